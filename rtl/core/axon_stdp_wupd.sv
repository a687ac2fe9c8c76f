// STDP weight-update unit (docs/spec/plasticity.md "Weight terms"): one potentiation or one
// depression of a weight held in u16.16, combinational. Bit-exact with the golden functions
// axon_stdp_potentiate / axon_stdp_depress (include/axon/stdp.h), including their 32- and
// 64-bit wrap-around for initial weights outside [w_min, w_max]:
//   scale(base, A, x) = (base * A * x + 2^14) >> 15        (64-bit product)
//   additive:       d = scale(w_max, A, x)
//   multiplicative: d = (scale(top - w or w - bot, A, x) + 2^15) >> 16
//   potentiate: min(w + d, top); depress: w < bot + d ? bot : w - d
// with top = w_max << 16, bot = w_min << 16.
module axon_stdp_wupd (
  input  logic        depress_i,  // 0: potentiate by trace_i, 1: depress by trace_i
  input  logic        mult_i,     // weight dependence: 0 additive, 1 multiplicative
  input  logic [31:0] w_i,        // u16.16
  input  logic [15:0] w_min_i,
  input  logic [15:0] w_max_i,
  input  logic [31:0] amp_i,      // u11.20
  input  logic [31:0] trace_i,    // u5.11 (up to 20 bits for a summed additive trace)
  output logic [31:0] w_o
);

  localparam int unsigned WFrac = 16;
  localparam int unsigned Sh    = axon_pkg::PlastAmpFracBits + axon_pkg::PlastTraceFracBits - WFrac;

  logic [31:0] top, bot, base;
  logic [63:0] prod, scaled, d, sum;

  assign top = {w_max_i, 16'd0};
  assign bot = {w_min_i, 16'd0};

  always_comb begin
    if (!mult_i) begin
      base = 32'(w_max_i);
    end else if (!depress_i) begin
      base = top - w_i;
    end else begin
      base = w_i - bot;
    end
    prod   = 64'(base) * 64'(amp_i) * 64'(trace_i);
    scaled = (prod + (64'd1 << (Sh - 1))) >> Sh;
    d      = mult_i ? ((scaled + (64'd1 << (WFrac - 1))) >> WFrac) : scaled;
    sum    = 64'(w_i) + d;
    if (!depress_i) begin
      w_o = (sum > 64'(top)) ? top : sum[31:0];
    end else begin
      w_o = (64'(w_i) < 64'(bot) + d) ? bot : 32'(64'(w_i) - d);
    end
  end

endmodule
