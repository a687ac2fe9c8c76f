// Simple dual-port RAM with a write enable per bit: one read port and one write port on
// one clock (docs/rtl.md). Inferable as block RAM where the target has bit write masks
// (iCE40 SB_RAM40_4K MASK); otherwise Yosys maps it to distributed RAM or flops.
//
// Read: rdata_o is the word at raddr_i sampled at the clock edge where re_i = 1 (latency
// 1) and holds until the next read; a read and a write of the same address at the same
// edge return the old word. Write: bit b of word waddr_i takes wdata_i[b] where
// wmask_i[b] = 1. The initial content is undefined: users clear it.
module axon_ram_1r1w_bitwe #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 16,
  localparam int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wmask_i,
  input  logic [Width-1:0]     wdata_i
);

  logic [Width-1:0] mem [Depth];
  logic [Width-1:0] rdata_q;

  // The simulator (Verilator 5.006) cannot schedule a non-blocking write to an array bit inside a loop
  // (BLKLOOPINIT); it gets the equivalent whole-word merge. Yosys gets the per-bit form,
  // which it maps to the RAM's bit write enables.
  always_ff @(posedge clk_i) begin
`ifdef VERILATOR
    if (we_i) begin
      mem[waddr_i] <= (mem[waddr_i] & ~wmask_i) | (wdata_i & wmask_i);
    end
`else
    for (int unsigned b = 0; b < Width; b++) begin
      if (we_i && wmask_i[b]) begin
        mem[waddr_i][b] <= wdata_i[b];
      end
    end
`endif
    if (re_i) begin
      rdata_q <= mem[raddr_i];
    end
  end

  assign rdata_o = rdata_q;

endmodule
