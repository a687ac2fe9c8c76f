// Axon spike-source PRNG: Marsaglia's KISS with a 64-bit multiply-with-carry (sPyNNaker's
// mars_kiss64), bit-exact with axon_kiss_next() of include/axon/kiss.h
// (docs/spec/sources.md):
//   x = 314527869 x + 1234567; y ^= y << 5; y ^= y >> 7; y ^= y << 22;
//   t = 4294584393 z + c (64 bits); c = t >> 32; z = t mod 2^32; return x + y + z
//
// The unit runs one step ahead of its consumer: rnd_o is always the value the next call of
// axon_kiss_next() returns, from a register, so a consumer can use one number per clock
// without the generator's multiplier in its path. seed_load_i loads the seed {c, z, y, x}
// (seed_i word k = core header word seed<k>) and makes rnd_o the seed's first output;
// next_i consumes rnd_o (the following number appears the next cycle). seed_load_i wins
// over next_i. The host validates seeds (y != 0, c < 698769069, (z, c) != 0).
module axon_kiss (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         seed_load_i,
  input  logic [127:0] seed_i,
  input  logic         next_i,
  output logic [31:0]  rnd_o
);

  // state after the step that produced rnd_o
  logic [31:0] x_q, y_q, z_q, c_q, rnd_q;
  logic [31:0] x_s, y_s, z_s, c_s;  // the state to step from
  logic [31:0] x_d, y_d1, y_d2, y_d, z_d, c_d;
  logic [63:0] t_d;

  assign x_s = seed_load_i ? seed_i[31:0] : x_q;
  assign y_s = seed_load_i ? seed_i[63:32] : y_q;
  assign z_s = seed_load_i ? seed_i[95:64] : z_q;
  assign c_s = seed_load_i ? seed_i[127:96] : c_q;

  assign x_d  = axon_pkg::KissMulX * x_s + axon_pkg::KissAddX;
  assign y_d1 = y_s ^ (y_s << 5);
  assign y_d2 = y_d1 ^ (y_d1 >> 7);
  assign y_d  = y_d2 ^ (y_d2 << 22);
  assign t_d  = 64'(axon_pkg::KissMulZ) * 64'(z_s) + 64'(c_s);
  assign c_d  = t_d[63:32];
  assign z_d  = t_d[31:0];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      x_q   <= '0;
      y_q   <= '0;
      z_q   <= '0;
      c_q   <= '0;
      rnd_q <= '0;
    end else if (seed_load_i || next_i) begin
      x_q   <= x_d;
      y_q   <= y_d;
      z_q   <= z_d;
      c_q   <= c_d;
      rnd_q <= x_d + y_d + z_d;
    end
  end

  assign rnd_o = rnd_q;

endmodule
