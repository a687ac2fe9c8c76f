// One synapse type (excitatory or inhibitory) of the LIF pipeline (axon_lif_update): the
// transfer, synapse add, gsyn sample, input term and decay of docs/spec/models.md for one
// type k, in the pipeline's stages 1..5, with its results delayed to stage 10:
//   stage 1   x = min(rb, 0xFFFF) << shift; z1 = z + x (alpha); dv = e_rev - v (cond)
//   stage 2 M U = mulu(x, init) (exp, cond) | mulu(z1, decay) (alpha: the new z)
//   stage 3   s = isyn + U (exp, cond) | isyn (alpha); gsyn = s, s >>> 10 (cond), x (delta)
//   stage 4 M D = mulu(s, decay); C = mul(s >>> 10, dv) (cond) | mulu(z1, coef) (alpha)
//   stage 5   term_o (combinational, to the pipeline's stage-5 register): C (cond) or s;
//             new isyn = D + C (alpha) | D
// Three multipliers (axon_fx_mul). Stage registers advance with en_i (the pipeline's
// advance); the inputs are sampled into stage 1 when en_i = 1, like the pipeline's own
// stage-1 register. Outputs *_o at stage 10: the new isyn and z words and the gsyn sample.
module axon_lif_syn (
  input  logic        clk_i,
  input  logic        en_i,
  // configuration (static while neurons are in flight)
  input  logic        is_cond_i,
  input  logic        is_alpha_i,
  input  logic        is_delta_i,
  input  logic [3:0]  shift_i,
  // stage-1 inputs: this type's ring-buffer word, state, parameters and v
  input  logic [16:0] rb_i,
  input  logic [31:0] isyn_i,
  input  logic [31:0] z_i,
  input  logic [31:0] decay_i,
  input  logic [31:0] coef_i,    // init (exp, cond) or coef (alpha)
  input  logic [31:0] e_rev_i,
  input  logic [31:0] v_i,
  // stage 4 -> 5: this type's input term (current or conductance product)
  output logic [31:0] term_o,
  // stage 10
  output logic [31:0] isyn_o,
  output logic [31:0] z_o,
  output logic [31:0] gsyn_o
);

  localparam int unsigned OutDelay = 5;  // stage 5 -> stage 10

  // ring-buffer word (<= 0x10000) to an s16.15 input, (rb - rb[16]) << shift as the golden
  // model computes min(rb, 0xFFFF) << shift
  logic [31:0] x_d;
  assign x_d = (32'(rb_i) - 32'(rb_i[16])) << shift_i;

  // stage 1
  logic [31:0] x1_q, z1_q, dv1_q, isyn1_q, decay1_q, coef1_q;
  // stage 2 (U beside it)
  logic [31:0] x2_q, z2_q, dv2_q, isyn2_q, decay2_q, coef2_q, u_mul;
  // stage 3
  logic [31:0] s3_d, s3_q, zn3_q, gsyn3_d, gsyn3_q, z3_q, dv3_q, decay3_q, coef3_q;
  // stage 4 (D, C beside it)
  logic [31:0] s4_q, zn4_q, gsyn4_q, d_mul, c_mul, g3;
  // stage 5 .. 10
  logic [31:0] isyn5_d;
  logic [31:0] isyn_dl_q [OutDelay];
  logic [31:0] z_dl_q [OutDelay];
  logic [31:0] gsyn_dl_q [OutDelay];

  assign s3_d    = is_alpha_i ? isyn2_q : isyn2_q + u_mul;
  assign gsyn3_d = is_delta_i ? x2_q :
                   (is_cond_i ? 32'($signed(s3_d) >>> axon_pkg::CondShift) : s3_d);
  assign g3      = 32'($signed(s3_q) >>> axon_pkg::CondShift);
  assign term_o  = is_cond_i ? c_mul : s4_q;
  assign isyn5_d = is_alpha_i ? d_mul + c_mul : d_mul;

  axon_fx_mul u_mul_u (
    .clk_i       (clk_i),
    .en_i        (en_i),
    .mode_u032_i (1'b1),
    .a_i         (is_alpha_i ? z1_q : x1_q),
    .b_i         (is_alpha_i ? decay1_q : coef1_q),
    .p_o         (u_mul)
  );

  axon_fx_mul u_mul_d (
    .clk_i       (clk_i),
    .en_i        (en_i),
    .mode_u032_i (1'b1),
    .a_i         (s3_q),
    .b_i         (decay3_q),
    .p_o         (d_mul)
  );

  axon_fx_mul u_mul_c (
    .clk_i       (clk_i),
    .en_i        (en_i),
    .mode_u032_i (is_alpha_i),
    .a_i         (is_alpha_i ? z3_q : g3),
    .b_i         (is_alpha_i ? coef3_q : dv3_q),
    .p_o         (c_mul)
  );

  // Datapath registers without reset (the pipeline's valid bits qualify them).
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      x1_q     <= x_d;
      z1_q     <= z_i + x_d;
      dv1_q    <= e_rev_i - v_i;
      isyn1_q  <= isyn_i;
      decay1_q <= decay_i;
      coef1_q  <= coef_i;
      x2_q     <= x1_q;
      z2_q     <= z1_q;
      dv2_q    <= dv1_q;
      isyn2_q  <= isyn1_q;
      decay2_q <= decay1_q;
      coef2_q  <= coef1_q;
      s3_q     <= s3_d;
      zn3_q    <= u_mul;
      gsyn3_q  <= gsyn3_d;
      z3_q     <= z2_q;
      dv3_q    <= dv2_q;
      decay3_q <= decay2_q;
      coef3_q  <= coef2_q;
      s4_q     <= s3_q;
      zn4_q    <= zn3_q;
      gsyn4_q  <= gsyn3_q;
      isyn_dl_q[0] <= isyn5_d;
      z_dl_q[0]    <= zn4_q;
      gsyn_dl_q[0] <= gsyn4_q;
      for (int unsigned k = 1; k < OutDelay; k++) begin
        isyn_dl_q[k] <= isyn_dl_q[k-1];
        z_dl_q[k]    <= z_dl_q[k-1];
        gsyn_dl_q[k] <= gsyn_dl_q[k-1];
      end
    end
  end

  assign isyn_o = isyn_dl_q[OutDelay-1];
  assign z_o    = z_dl_q[OutDelay-1];
  assign gsyn_o = gsyn_dl_q[OutDelay-1];

endmodule
