// Axon fixed-point multiplier unit (docs/spec/arithmetic.md, include/axon/fixed.h).
//
// One registered unit serves both multiplications of the neuron datapath:
//   mode_u032_i = 0: mul  (s16.15 x s16.15): p = floor(a * b / 2^15), low 32 bits (wraps)
//   mode_u032_i = 1: mulu (s16.15 x u0.32):  p = floor(a * d / 2^32) (cannot overflow)
// Both are slices of one exact 33 x 33 signed product: a is sign-extended, b is
// sign-extended (mul) or zero-extended (mulu); an arithmetic shift of the exact product
// keeps the floor rounding for negative values. Tie mode_u032_i to a constant for a
// dedicated mul or mulu (synthesis removes the unused slice).
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

  logic signed [32:0] a_ext, b_ext;
  logic signed [65:0] prod;
  logic        [31:0] p_d, p_q;

  assign a_ext = {a_i[31], a_i};
  assign b_ext = {(b_i[31] & ~mode_u032_i), b_i};
  assign prod  = a_ext * b_ext;
  assign p_d   = mode_u032_i ? prod[63:32] : prod[46:15];

  // The exact product needs 64 bits; bits 14:0 are below both results' LSBs.
  logic unused_prod;
  assign unused_prod = ^{prod[65:64], prod[14:0]};

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      p_q <= p_d;
    end
  end

  assign p_o = p_q;

endmodule
