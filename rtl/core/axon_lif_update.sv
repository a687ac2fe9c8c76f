// Axon LIF neuron update pipeline: one neuron per clock (II = 1), latency 10 clocks.
//
// Computes, for one neuron of a LIF-family core, exactly the fused per-step sequence of the
// golden model (models/core_neuron.c, lif_fused; docs/spec/models.md):
//   transfer   x_k = min(rb_k, 0xFFFF) << shift_k; sat_k = rb_k[16]
//   synapse    exp/cond: isyn_k += mulu(x_k, init_k); alpha: z_k += x_k; delta: jump = x_0 - x_1
//   sample     gsyn_k: exp isyn_k; cond isyn_k >>> 10; alpha isyn_k (before decay); delta x_k
//   input      curr: I = isyn_0 - isyn_1 + i_offset;
//              cond: I = mul(g_0, e_rev_e - v) + mul(g_1, e_rev_i - v) + i_offset;
//              delta: I = i_offset
//   LIF        a = mul(I, r_membrane) + v_rest; v' = a - mulu(a - v, exp_tc) (+ jump, delta)
//              refractory: v held, refract - 1; threshold v >= v_thresh: v_reset, t_refrac
//   decay      exp/cond: isyn_k = mulu(isyn_k, decay_k);
//              alpha: isyn_k = mulu(isyn_k, decay_k) + mulu(z_k, coef_k); z_k = mulu(z_k, decay_k)
// with the wrapping adds and floor multiplies of include/axon/fixed.h.
//
// Stages (each one register level; M = a registered multiplier, A = adders/muxes); the
// per-type work of stages 1..5 is one axon_lif_syn instance per synapse type:
//   1 A  decode, transfer, z += x, jump, e_rev - v, refractory test
//   2 M  U0, U1: mulu(x, init) (exp/cond) | mulu(z, decay) (alpha: new z)
//   3 A  isyn += U (exp/cond), gsyn samples
//   4 M  U2, U3: mulu(isyn, decay); U4, U5: mul(g, e_rev - v) (cond) | mulu(z, coef) (alpha)
//   5 A  I; new isyn (alpha: sum of the two decay products)
//   6 M  U6: mul(I, r_membrane)
//   7 A  a = U6 + v_rest; d = a - v
//   8 M  U7: mulu(d, exp_tc)
//   9 A  v' = a - U7 (+ jump); refractory select
//  10 A  threshold, reset, refractory counter
// Eight multipliers (axon_fx_mul: three per synapse type, U6, U7), shared between models:
// the model is a static configuration, so each unit's operands are a fixed mux per model.
//
// Handshake: valid/ready on both sides. The whole pipeline advances when the output stage
// is empty or taken (in_ready_o = !out_valid_o || out_ready_i, a combinational path from
// out_ready_i); a neuron accepted in cycle t appears at the output in cycle t + 10 when
// nothing stalls. cfg_* must not change while neurons are in flight.
//
// Words: in_param_i / in_state_i hold the model's parameter / state block (word k at bits
// 32k+31:32k, offsets axon_pkg::P<Model>* / S<Model>*; words beyond the model's block are
// ignored). out_state_o is the new state block in the same layout (words beyond the
// model's block are 0). out_v_o is the sampled v (start of the step).
module axon_lif_update #(
  parameter int unsigned NumNeurons = 256,
  localparam int unsigned IdxWidth = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  // largest LIF-family parameter block (IF_cond_exp) and state block (IF_curr_alpha)
  localparam int unsigned ParamWords = axon_pkg::PIFcondexpWords,
  localparam int unsigned StateWords = axon_pkg::SIFcurralphaWords
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // configuration (the core header): model id (one of the four LIF models) and weight
  // shifts (type k in bits 4k+3:4k)
  input  logic [2:0]               cfg_model_i,
  input  logic [7:0]               cfg_shift_i,
  // one neuron in
  input  logic                     in_valid_i,
  output logic                     in_ready_o,
  input  logic [IdxWidth-1:0]      in_idx_i,
  input  logic [ParamWords*32-1:0] in_param_i,
  input  logic [StateWords*32-1:0] in_state_i,
  input  logic [16:0]              in_rb_exc_i,
  input  logic [16:0]              in_rb_inh_i,
  // its update out
  output logic                     out_valid_o,
  input  logic                     out_ready_i,
  output logic [IdxWidth-1:0]      out_idx_o,
  output logic [StateWords*32-1:0] out_state_o,
  output logic [31:0]              out_v_o,
  output logic [31:0]              out_gsyn_exc_o,
  output logic [31:0]              out_gsyn_inh_o,
  output logic                     out_spike_o,
  output logic [1:0]               out_sat_o
);

  localparam int unsigned NumStages = 10;

  ////////////////////
  // Configuration  //
  ////////////////////

  logic is_cond, is_alpha, is_delta;
  logic [3:0] shift_exc, shift_inh;

  assign is_cond   = (cfg_model_i == 3'(axon_pkg::ModelIFcondexp));
  assign is_alpha  = (cfg_model_i == 3'(axon_pkg::ModelIFcurralpha));
  assign is_delta  = (cfg_model_i == 3'(axon_pkg::ModelIFcurrdelta));
  assign shift_exc = cfg_shift_i[0 +: 4];
  assign shift_inh = cfg_shift_i[axon_pkg::WeightShiftBits +: 4];

  // Ring-buffer word (<= 0x10000) to an s16.15 input, as axon_lif_syn computes it (for the
  // delta model's jump).
  function automatic logic [31:0] rb_input(logic [16:0] rb, logic [3:0] sh);
    rb_input = (32'(rb) - 32'(rb[16])) << sh;
  endfunction

  function automatic logic [31:0] word(logic [ParamWords*32-1:0] blk, int unsigned k);
    word = blk[32*k +: 32];
  endfunction

  ////////////////////////////
  // Pipeline control       //
  ////////////////////////////

  logic [NumStages:1] valid_q;
  logic               adv;

  assign adv        = ~valid_q[NumStages] | out_ready_i;
  assign in_ready_o = adv;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (adv) begin
      valid_q <= {valid_q[NumStages-1:1], in_valid_i};
    end
  end

  //////////////////////////////////////////////
  // Synapse types: stages 1..5 (axon_lif_syn) //
  //////////////////////////////////////////////

  logic [ParamWords*32-1:0] state_w;  // the state block widened to index like the parameters
  logic [31:0] de, ke, di, ki, ie, ii;
  logic [31:0] term_e, term_i, isyn_e, isyn_i, z_e, z_i, gsyn_e, gsyn_i;

  assign state_w = (ParamWords*32)'(in_state_i);

  always_comb begin
    if (is_cond) begin
      de = word(in_param_i, axon_pkg::PIFcondexpDecayE);
      ke = word(in_param_i, axon_pkg::PIFcondexpInitE);
      di = word(in_param_i, axon_pkg::PIFcondexpDecayI);
      ki = word(in_param_i, axon_pkg::PIFcondexpInitI);
    end else if (is_alpha) begin
      de = word(in_param_i, axon_pkg::PIFcurralphaDecayE);
      ke = word(in_param_i, axon_pkg::PIFcurralphaCoefE);
      di = word(in_param_i, axon_pkg::PIFcurralphaDecayI);
      ki = word(in_param_i, axon_pkg::PIFcurralphaCoefI);
    end else begin
      de = word(in_param_i, axon_pkg::PIFcurrexpDecayE);
      ke = word(in_param_i, axon_pkg::PIFcurrexpInitE);
      di = word(in_param_i, axon_pkg::PIFcurrexpDecayI);
      ki = word(in_param_i, axon_pkg::PIFcurrexpInitI);
    end
    ie = word(state_w, axon_pkg::SIFcurrexpIsynE);  // the same offset in IF_curr_alpha
    ii = is_alpha ? word(state_w, axon_pkg::SIFcurralphaIsynI)
                  : word(state_w, axon_pkg::SIFcurrexpIsynI);
  end

  axon_lif_syn u_syn_exc (
    .clk_i      (clk_i),
    .en_i       (adv),
    .is_cond_i  (is_cond),
    .is_alpha_i (is_alpha),
    .is_delta_i (is_delta),
    .shift_i    (shift_exc),
    .rb_i       (in_rb_exc_i),
    .isyn_i     (ie),
    .z_i        (word(state_w, axon_pkg::SIFcurralphaZE)),
    .decay_i    (de),
    .coef_i     (ke),
    .e_rev_i    (word(in_param_i, axon_pkg::PIFcondexpERevE)),
    .v_i        (word(state_w, axon_pkg::SIFcurrexpV)),
    .term_o     (term_e),
    .isyn_o     (isyn_e),
    .z_o        (z_e),
    .gsyn_o     (gsyn_e)
  );

  axon_lif_syn u_syn_inh (
    .clk_i      (clk_i),
    .en_i       (adv),
    .is_cond_i  (is_cond),
    .is_alpha_i (is_alpha),
    .is_delta_i (is_delta),
    .shift_i    (shift_inh),
    .rb_i       (in_rb_inh_i),
    .isyn_i     (ii),
    .z_i        (word(state_w, axon_pkg::SIFcurralphaZI)),
    .decay_i    (di),
    .coef_i     (ki),
    .e_rev_i    (word(in_param_i, axon_pkg::PIFcondexpERevI)),
    .v_i        (word(state_w, axon_pkg::SIFcurrexpV)),
    .term_o     (term_i),
    .isyn_o     (isyn_i),
    .z_o        (z_i),
    .gsyn_o     (gsyn_i)
  );

  //////////////////////////////////////////////////////////
  // Stages 1..4: the neuron's words beside the synapses  //
  //////////////////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;  // refract == 0
    logic [31:0] rr;      // refract - 1
    logic [31:0] v0, jump;
    logic [31:0] vr, rm, tc, vres, vt, tref, ioff;
  } s1_t;

  s1_t s1_d, s1_q, s2_q, s3_q, s4_q;
  logic [31:0] in_r;

  always_comb begin
    s1_d        = '0;
    s1_d.idx    = in_idx_i;
    s1_d.sat    = {in_rb_inh_i[16], in_rb_exc_i[16]};
    s1_d.jump   = rb_input(in_rb_exc_i, shift_exc) - rb_input(in_rb_inh_i, shift_inh);
    s1_d.v0     = word(state_w, axon_pkg::SIFcurrexpV);
    in_r        = word(state_w, axon_pkg::SIFcurrexpRefract);
    s1_d.active = (in_r == '0);
    s1_d.rr     = in_r - 32'd1;
    // LIF block: the same offsets in every LIF-family model
    s1_d.vr   = word(in_param_i, axon_pkg::PIFcurrexpVRest);
    s1_d.rm   = word(in_param_i, axon_pkg::PIFcurrexpRMembrane);
    s1_d.tc   = word(in_param_i, axon_pkg::PIFcurrexpExpTc);
    s1_d.vres = word(in_param_i, axon_pkg::PIFcurrexpVReset);
    s1_d.vt   = word(in_param_i, axon_pkg::PIFcurrexpVThresh);
    s1_d.tref = word(in_param_i, axon_pkg::PIFcurrexpTRefrac);
    s1_d.ioff = word(in_param_i, axon_pkg::PIFcurrexpIOffset);
  end

  ////////////////////////////////////////////
  // Stage 5: input current                 //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, cur;
    logic [31:0] vr, rm, tc, vres, vt, tref;
  } s5_t;

  s5_t s5_d, s5_q;

  always_comb begin
    s5_d        = '0;
    s5_d.idx    = s4_q.idx;
    s5_d.sat    = s4_q.sat;
    s5_d.active = s4_q.active;
    s5_d.rr     = s4_q.rr;
    s5_d.v0     = s4_q.v0;
    s5_d.jump   = s4_q.jump;
    if (is_delta) begin
      s5_d.cur = s4_q.ioff;
    end else if (is_cond) begin
      s5_d.cur = term_e + term_i + s4_q.ioff;
    end else begin
      s5_d.cur = term_e - term_i + s4_q.ioff;
    end
    s5_d.vr   = s4_q.vr;
    s5_d.rm   = s4_q.rm;
    s5_d.tc   = s4_q.tc;
    s5_d.vres = s4_q.vres;
    s5_d.vt   = s4_q.vt;
    s5_d.tref = s4_q.tref;
  end

  ////////////////////////////////////////////
  // Stage 6: U6 = mul(I, r_membrane)       //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump;
    logic [31:0] vr, tc, vres, vt, tref;
  } s6_t;

  s6_t s6_d, s6_q;
  logic [31:0] u6;

  always_comb begin
    s6_d        = '0;
    s6_d.idx    = s5_q.idx;
    s6_d.sat    = s5_q.sat;
    s6_d.active = s5_q.active;
    s6_d.rr     = s5_q.rr;
    s6_d.v0     = s5_q.v0;
    s6_d.jump   = s5_q.jump;
    s6_d.vr     = s5_q.vr;
    s6_d.tc     = s5_q.tc;
    s6_d.vres   = s5_q.vres;
    s6_d.vt     = s5_q.vt;
    s6_d.tref   = s5_q.tref;
  end

  axon_fx_mul u_mul6 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b0),
    .a_i         (s5_q.cur),
    .b_i         (s5_q.rm),
    .p_o         (u6)
  );

  ////////////////////////////////////////////
  // Stage 7: a = U6 + v_rest; d = a - v    //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, a, d;
    logic [31:0] tc, vres, vt, tref;
  } s7_t;

  s7_t s7_d, s7_q;
  logic [31:0] a7;

  assign a7 = u6 + s6_q.vr;

  always_comb begin
    s7_d        = '0;
    s7_d.idx    = s6_q.idx;
    s7_d.sat    = s6_q.sat;
    s7_d.active = s6_q.active;
    s7_d.rr     = s6_q.rr;
    s7_d.v0     = s6_q.v0;
    s7_d.jump   = s6_q.jump;
    s7_d.a      = a7;
    s7_d.d      = a7 - s6_q.v0;
    s7_d.tc     = s6_q.tc;
    s7_d.vres   = s6_q.vres;
    s7_d.vt     = s6_q.vt;
    s7_d.tref   = s6_q.tref;
  end

  ////////////////////////////////////////////
  // Stage 8: U7 = mulu(d, exp_tc)          //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, a;
    logic [31:0] vres, vt, tref;
  } s8_t;

  s8_t s8_d, s8_q;
  logic [31:0] u7;

  always_comb begin
    s8_d        = '0;
    s8_d.idx    = s7_q.idx;
    s8_d.sat    = s7_q.sat;
    s8_d.active = s7_q.active;
    s8_d.rr     = s7_q.rr;
    s8_d.v0     = s7_q.v0;
    s8_d.jump   = s7_q.jump;
    s8_d.a      = s7_q.a;
    s8_d.vres   = s7_q.vres;
    s8_d.vt     = s7_q.vt;
    s8_d.tref   = s7_q.tref;
  end

  axon_fx_mul u_mul7 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b1),
    .a_i         (s7_q.d),
    .b_i         (s7_q.tc),
    .p_o         (u7)
  );

  ////////////////////////////////////////////
  // Stage 9: v' and the refractory select  //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic [31:0] v0, vv, rsel;
    logic [31:0] vres, vt, tref;
  } s9_t;

  s9_t s9_d, s9_q;
  logic [31:0] vn9;

  assign vn9 = s8_q.a - u7 + (is_delta ? s8_q.jump : 32'd0);

  always_comb begin
    s9_d      = '0;
    s9_d.idx  = s8_q.idx;
    s9_d.sat  = s8_q.sat;
    s9_d.v0   = s8_q.v0;
    s9_d.vv   = s8_q.active ? vn9 : s8_q.v0;
    s9_d.rsel = s8_q.active ? 32'd0 : s8_q.rr;
    s9_d.vres = s8_q.vres;
    s9_d.vt   = s8_q.vt;
    s9_d.tref = s8_q.tref;
  end

  ////////////////////////////////////////////////////
  // Stage 10: threshold, reset, new state block    //
  ////////////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0]      idx;
    logic [1:0]               sat;
    logic                     spike;
    logic [31:0]              v0, gse, gsi;
    logic [StateWords*32-1:0] state;
  } s10_t;

  s10_t s10_d, s10_q;
  logic spike10;

  assign spike10 = $signed(s9_q.vv) >= $signed(s9_q.vt);

  always_comb begin
    s10_d       = '0;
    s10_d.idx   = s9_q.idx;
    s10_d.sat   = s9_q.sat;
    s10_d.spike = spike10;
    s10_d.v0    = s9_q.v0;
    s10_d.gse   = gsyn_e;
    s10_d.gsi   = gsyn_i;
    s10_d.state[32*axon_pkg::SIFcurrexpV +: 32]       = spike10 ? s9_q.vres : s9_q.vv;
    s10_d.state[32*axon_pkg::SIFcurrexpRefract +: 32] = spike10 ? s9_q.tref : s9_q.rsel;
    if (is_alpha) begin
      s10_d.state[32*axon_pkg::SIFcurralphaIsynE +: 32] = isyn_e;
      s10_d.state[32*axon_pkg::SIFcurralphaZE +: 32]    = z_e;
      s10_d.state[32*axon_pkg::SIFcurralphaIsynI +: 32] = isyn_i;
      s10_d.state[32*axon_pkg::SIFcurralphaZI +: 32]    = z_i;
    end else if (!is_delta) begin
      s10_d.state[32*axon_pkg::SIFcurrexpIsynE +: 32] = isyn_e;
      s10_d.state[32*axon_pkg::SIFcurrexpIsynI +: 32] = isyn_i;
    end
  end

  ////////////////////////////////////////////
  // Stage registers                        //
  ////////////////////////////////////////////

  // Datapath registers without reset (valid_q qualifies them); they advance together.
  always_ff @(posedge clk_i) begin
    if (adv) begin
      s1_q  <= s1_d;
      s2_q  <= s1_q;
      s3_q  <= s2_q;
      s4_q  <= s3_q;
      s5_q  <= s5_d;
      s6_q  <= s6_d;
      s7_q  <= s7_d;
      s8_q  <= s8_d;
      s9_q  <= s9_d;
      s10_q <= s10_d;
    end
  end

  ////////////////////////////////////////////
  // Outputs                                //
  ////////////////////////////////////////////

  assign out_valid_o    = valid_q[NumStages];
  assign out_idx_o      = s10_q.idx;
  assign out_state_o    = s10_q.state;
  assign out_v_o        = s10_q.v0;
  assign out_gsyn_exc_o = s10_q.gse;
  assign out_gsyn_inh_o = s10_q.gsi;
  assign out_spike_o    = s10_q.spike;
  assign out_sat_o      = s10_q.sat;

endmodule
