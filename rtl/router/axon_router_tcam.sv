// Ternary match of a 32-bit key against NumEntries {key, mask} entries, stored as a
// bit-sliced RAM TCAM (docs/rtl.md, router): the key is cut into NumChunks chunks of
// ChunkBits bits; chunk c has a RAM of 2^ChunkBits rows of NumEntries bits, where bit i of
// row v says "entry i accepts value v in chunk c", i.e. (v & mask_c) == key_c. A lookup
// reads one row per chunk (the key's chunk values) and ANDs them: bit i of match_o is 1 iff
// (key & mask_i) == key_i. An entry with a key bit set where its mask bit is clear accepts
// no value in that chunk, so it never matches (docs/spec/routing.md).
//
//  * lookup: re_i with key_i; match_o is valid the next cycle and holds while re_i = 0 and
//    no entry is being written.
//  * write entry: wr_i with wr_idx_i, wr_key_i, wr_mask_i when busy_o = 0. Each row is
//    read and written back with bit wr_idx_i changed (read-modify-write through the lookup
//    port, so the RAMs are plain one-read one-write block RAMs): 2 x 2^ChunkBits cycles,
//    busy_o = 1, lookups ignored and match_o undefined meanwhile.
//  * after reset every row is cleared (no entry matches): 2^ChunkBits cycles, busy_o = 1.
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

  typedef enum logic [1:0] {Clear, Idle, Read, Write} state_e;

  state_e                state_q, state_d;
  logic [ChunkBits-1:0]  row_q, row_d;
  logic [IdxWidth-1:0]   idx_q, idx_d;
  logic [31:0]           key_q, key_d, mask_q, mask_d;
  logic [NumEntries-1:0] onehot;
  logic [NumEntries-1:0] rows [NumChunks];
  logic                  ram_re, ram_we;
  logic                  last_row;

  assign last_row = row_q == ChunkBits'(NumRows - 1);

  always_comb begin
    state_d = state_q;
    row_d   = row_q;
    idx_d   = idx_q;
    key_d   = key_q;
    mask_d  = mask_q;
    unique case (state_q)
      Clear: begin
        row_d = row_q + 1'b1;
        if (last_row) begin
          state_d = Idle;
        end
      end
      Idle: begin
        if (wr_i) begin
          state_d = Read;
          row_d   = '0;
          idx_d   = wr_idx_i;
          key_d   = wr_key_i;
          mask_d  = wr_mask_i;
        end
      end
      Read: state_d = Write;
      Write: begin
        row_d   = row_q + 1'b1;
        state_d = last_row ? Idle : Read;
      end
      default: state_d = Idle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= Clear;
      row_q   <= '0;
      idx_q   <= '0;
      key_q   <= '0;
      mask_q  <= '0;
    end else begin
      state_q <= state_d;
      row_q   <= row_d;
      idx_q   <= idx_d;
      key_q   <= key_d;
      mask_q  <= mask_d;
    end
  end

  always_comb begin
    onehot = '0;
    onehot[idx_q] = 1'b1;
  end

  assign ram_re = (state_q == Idle) ? re_i : (state_q == Read);
  assign ram_we = (state_q == Clear) || (state_q == Write);

  for (genvar c = 0; c < NumChunks; c++) begin : gen_chunk
    logic                  accept;
    logic [NumEntries-1:0] wdata;
    assign accept = (row_q & mask_q[c*ChunkBits +: ChunkBits]) == key_q[c*ChunkBits +: ChunkBits];
    assign wdata  = (state_q == Clear) ? '0 : ((rows[c] & ~onehot) | (accept ? onehot : '0));
    axon_ram_1r1w #(
      .Width(NumEntries),
      .Depth(NumRows)
    ) u_rows (
      .clk_i  (clk_i),
      .re_i   (ram_re),
      .raddr_i((state_q == Idle) ? key_i[c*ChunkBits +: ChunkBits] : row_q),
      .rdata_o(rows[c]),
      .we_i   (ram_we),
      .waddr_i(row_q),
      .wdata_i(wdata)
    );
  end

  always_comb begin
    match_o = '1;
    for (int unsigned c = 0; c < NumChunks; c++) begin
      match_o = match_o & rows[c];
    end
  end

  assign busy_o = state_q != Idle;

endmodule
