// First-word-fall-through FIFO in block RAM (axon_ram_1r1w), valid/ready on both sides.
//
// The RAM's read register is the head: a read is issued when the head is empty or being
// taken and the RAM holds words, so out_data_o is valid the cycle after a word becomes
// readable (a word written at an edge is readable from the next cycle; latency 2 from
// in_valid_i to out_valid_o). Capacity Depth + 1 words (the RAM plus the head). level_o
// counts every word held. clear_i empties it.
module axon_fifo #(
  parameter int unsigned Width = 32,
  parameter int unsigned Depth = 256,
  localparam int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1,
  localparam int unsigned LevelWidth = $clog2(Depth + 2)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  clear_i,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [Width-1:0]      in_data_i,
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [Width-1:0]      out_data_o,
  output logic [LevelWidth-1:0] level_o
);

  logic [AddrWidth-1:0]  wptr_q, rptr_q;
  logic [LevelWidth-1:0] ram_n_q;  // words in the RAM (not counting the head)
  logic                  head_q, push, pop, re;

  assign in_ready_o  = (ram_n_q != LevelWidth'(Depth));
  assign push        = in_valid_i & in_ready_o;
  assign pop         = head_q & out_ready_i;
  assign re          = (ram_n_q != '0) & (~head_q | out_ready_i);
  assign out_valid_o = head_q;
  assign level_o     = ram_n_q + LevelWidth'(head_q);

  function automatic logic [AddrWidth-1:0] incr(logic [AddrWidth-1:0] p);
    incr = (p == AddrWidth'(Depth - 1)) ? '0 : p + 1'b1;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      ram_n_q <= '0;
      head_q  <= 1'b0;
    end else if (clear_i) begin
      wptr_q  <= '0;
      rptr_q  <= '0;
      ram_n_q <= '0;
      head_q  <= 1'b0;
    end else begin
      if (push) begin
        wptr_q <= incr(wptr_q);
      end
      if (re) begin
        rptr_q <= incr(rptr_q);
      end
      ram_n_q <= ram_n_q + LevelWidth'(push) - LevelWidth'(re);
      if (re) begin
        head_q <= 1'b1;
      end else if (pop) begin
        head_q <= 1'b0;
      end
    end
  end

  axon_ram_1r1w #(
    .Width (Width),
    .Depth (Depth)
  ) u_ram (
    .clk_i   (clk_i),
    .re_i    (re),
    .raddr_i (rptr_q),
    .rdata_o (out_data_o),
    .we_i    (push),
    .waddr_i (wptr_q),
    .wdata_i (in_data_i)
  );

endmodule
