// Axon fixed-point multiplier unit (docs/spec/arithmetic.md, include/axon/fixed.h).
//
// One registered unit serves both multiplications of the neuron datapath:
//   mode_u032_i = 0: mul  (s16.15 x s16.15): p = floor(a * b / 2^15), low 32 bits (wraps)
//   mode_u032_i = 1: mulu (s16.15 x u0.32):  p = floor(a * d / 2^32) (cannot overflow)
// Both come from one 32 x 32 signed product P = a * b (exact in 64 bits): mul is P[46:15]
// (an arithmetic shift of the exact product keeps the floor rounding of negative values);
// for mulu, d = b + 2^32 b[31] when b is read unsigned, so a * d = P + 2^32 a b[31] and
// floor(a * d / 2^32) = P[63:32] + (b[31] ? a : 0) (mod 2^32). A 64-bit product (rather than
// an exact 33 x 33 one) keeps simulators on native 64-bit arithmetic. Tie mode_u032_i to a
// constant for a dedicated mul or mulu (synthesis removes the unused slice).
//
// Timing: latency 1 (the product register), one product per clock; en_i = 0 holds the
// register (pipeline stall). The data register has no reset (it maps into DSP blocks).
module axon_fx_mul (
  input  logic        clk_i,
  input  logic        en_i,
  input  logic        mode_u032_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] p_o
);

  logic signed [63:0] prod;
  logic        [31:0] p_d, p_q;

  assign prod = 64'($signed(a_i)) * 64'($signed(b_i));
  assign p_d  = mode_u032_i ? prod[63:32] + (b_i[31] ? a_i : 32'd0) : prod[46:15];

  // bits 14:0 are below both results' LSBs
  logic unused_prod;
  assign unused_prod = ^prod[14:0];

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      p_q <= p_d;
    end
  end

  assign p_o = p_q;

endmodule
