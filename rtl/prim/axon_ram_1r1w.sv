// Simple dual-port RAM: one read port and one write port on one clock, inferable as block
// RAM (iCE40 SB_RAM40_4K, Xilinx RAMB18/36): the array sits alone in an always_ff without
// reset (docs/rtl.md).
//
// Read: rdata_o is the word at raddr_i sampled at the clock edge where re_i = 1 (latency
// 1) and holds until the next read. A read and a write of the same address at the same
// edge return the old word (read-first); users that need the new word forward it (see
// axon_ring_buffer). The initial content is undefined: users clear it.
module axon_ram_1r1w #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 1024,
  localparam int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i
);

  logic [Width-1:0] mem [Depth];
  logic [Width-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) begin
      mem[waddr_i] <= wdata_i;
    end
    if (re_i) begin
      rdata_q <= mem[raddr_i];
    end
  end

  assign rdata_o = rdata_q;

endmodule
