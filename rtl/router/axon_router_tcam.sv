// Ternary match of a 32-bit key against NumEntries {key, mask} entries, stored as a
// bit-sliced RAM TCAM (docs/rtl.md, router): the key is cut into NumChunks chunks of
// ChunkBits bits; chunk c has a RAM of 2^ChunkBits rows of NumEntries bits, where bit i of
// row v says "entry i accepts value v in chunk c", i.e. (v & mask_c) == key_c. A lookup
// reads one row per chunk (the key's chunk values) and ANDs them: bit i of match_o is 1 iff
// (key & mask_i) == key_i. An entry with a key bit set where its mask bit is clear accepts
// no value in that chunk, so it never matches (docs/spec/routing.md).
//
//  * lookup: re_i with key_i; match_o is valid the next cycle and holds while re_i = 0.
//  * write entry: wr_i with wr_idx_i, wr_key_i, wr_mask_i when busy_o = 0; the rows are
//    rewritten in 2^ChunkBits cycles (busy_o = 1; a lookup meanwhile may see the entry
//    half written).
//  * after reset every entry is cleared (never matches), 2^ChunkBits cycles, busy_o = 1.
module axon_router_tcam #(
  parameter int unsigned NumEntries = 1024,
  localparam int unsigned IdxWidth  = $clog2(NumEntries),
  localparam int unsigned ChunkBits = 4,
  localparam int unsigned NumChunks = 32 / ChunkBits,
  localparam int unsigned NumRows   = 1 << ChunkBits
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  re_i,
  input  logic [31:0]           key_i,
  output logic [NumEntries-1:0] match_o,
  input  logic                  wr_i,
  input  logic [IdxWidth-1:0]   wr_idx_i,
  input  logic [31:0]           wr_key_i,
  input  logic [31:0]           wr_mask_i,
  output logic                  busy_o
);

  // row writer: sweeps the rows of every chunk RAM at once
  logic                  busy_q, busy_d;
  logic                  clearing_q, clearing_d;
  logic [ChunkBits-1:0]  row_q, row_d;
  logic [IdxWidth-1:0]   idx_q, idx_d;
  logic [31:0]           key_q, key_d, mask_q, mask_d;
  logic [NumEntries-1:0] wmask;
  logic [NumEntries-1:0] rows [NumChunks];

  always_comb begin
    busy_d     = busy_q;
    clearing_d = clearing_q;
    row_d      = row_q;
    idx_d      = idx_q;
    key_d      = key_q;
    mask_d     = mask_q;
    if (busy_q) begin
      row_d = row_q + 1'b1;
      if (row_q == ChunkBits'(NumRows - 1)) begin
        busy_d     = 1'b0;
        clearing_d = 1'b0;
      end
    end else if (wr_i) begin
      busy_d = 1'b1;
      row_d  = '0;
      idx_d  = wr_idx_i;
      key_d  = wr_key_i;
      mask_d = wr_mask_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b1;
      clearing_q <= 1'b1;
      row_q      <= '0;
      idx_q      <= '0;
      key_q      <= '0;
      mask_q     <= '0;
    end else begin
      busy_q     <= busy_d;
      clearing_q <= clearing_d;
      row_q      <= row_d;
      idx_q      <= idx_d;
      key_q      <= key_d;
      mask_q     <= mask_d;
    end
  end

  always_comb begin
    wmask = '0;
    if (clearing_q) begin
      wmask = '1;
    end else begin
      wmask[idx_q] = 1'b1;
    end
  end

  for (genvar c = 0; c < NumChunks; c++) begin : gen_chunk
    logic accept;
    assign accept = !clearing_q &&
                    ((row_q & mask_q[c*ChunkBits +: ChunkBits]) == key_q[c*ChunkBits +: ChunkBits]);
    axon_ram_1r1w_bitwe #(
      .Width(NumEntries),
      .Depth(NumRows)
    ) u_rows (
      .clk_i  (clk_i),
      .re_i   (re_i),
      .raddr_i(key_i[c*ChunkBits +: ChunkBits]),
      .rdata_o(rows[c]),
      .we_i   (busy_q),
      .waddr_i(row_q),
      .wmask_i(wmask),
      .wdata_i({NumEntries{accept}})
    );
  end

  always_comb begin
    match_o = '1;
    for (int unsigned c = 0; c < NumChunks; c++) begin
      match_o = match_o & rows[c];
    end
  end

  assign busy_o = busy_q;

endmodule
