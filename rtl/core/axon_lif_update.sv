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
// Stages (each one register level; M = a registered multiplier, A = adders/muxes):
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
// Eight multipliers (axon_fx_mul), shared between models: the model is a static
// configuration, so each unit's operands are a fixed mux per model.
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

  // Ring-buffer word (<= 0x10000) to an s16.15 input: min(rb, 0xFFFF) << shift, computed
  // as the golden model does, (rb - rb[16]) << shift.
  function automatic logic [31:0] rb_input(logic [16:0] rb, logic [3:0] sh);
    rb_input = (32'(rb) - 32'(rb[16])) << sh;
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

  //////////////////////////////////////////
  // Stage 1: decode, transfer, z += x    //
  //////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;  // refract == 0
    logic [31:0] rr;      // refract - 1
    logic [31:0] v0, xe, xi, jump, ze1, zi1, dve, dvi, ie, ii;
    logic [31:0] vr, rm, tc, vres, vt, tref, ioff, de, ke, di, ki;
  } s1_t;

  s1_t s1_d, s1_q;

  logic [31:0] in_ze, in_zi, in_ee, in_ei, in_r;

  always_comb begin
    s1_d      = '0;
    s1_d.idx  = in_idx_i;
    s1_d.sat  = {in_rb_inh_i[16], in_rb_exc_i[16]};
    s1_d.xe   = rb_input(in_rb_exc_i, shift_exc);
    s1_d.xi   = rb_input(in_rb_inh_i, shift_inh);
    s1_d.jump = s1_d.xe - s1_d.xi;
    s1_d.v0   = in_state_i[32*axon_pkg::SIFcurrexpV +: 32];
    in_r      = in_state_i[32*axon_pkg::SIFcurrexpRefract +: 32];
    s1_d.active = (in_r == '0);
    s1_d.rr   = in_r - 32'd1;
    // LIF block: the same offsets in every LIF-family model
    s1_d.vr   = in_param_i[32*axon_pkg::PIFcurrexpVRest +: 32];
    s1_d.rm   = in_param_i[32*axon_pkg::PIFcurrexpRMembrane +: 32];
    s1_d.tc   = in_param_i[32*axon_pkg::PIFcurrexpExpTc +: 32];
    s1_d.vres = in_param_i[32*axon_pkg::PIFcurrexpVReset +: 32];
    s1_d.vt   = in_param_i[32*axon_pkg::PIFcurrexpVThresh +: 32];
    s1_d.tref = in_param_i[32*axon_pkg::PIFcurrexpTRefrac +: 32];
    s1_d.ioff = in_param_i[32*axon_pkg::PIFcurrexpIOffset +: 32];
    // synapse block
    in_ee = in_param_i[32*axon_pkg::PIFcondexpERevE +: 32];
    in_ei = in_param_i[32*axon_pkg::PIFcondexpERevI +: 32];
    in_ze = in_state_i[32*axon_pkg::SIFcurralphaZE +: 32];
    in_zi = in_state_i[32*axon_pkg::SIFcurralphaZI +: 32];
    if (is_cond) begin
      s1_d.de = in_param_i[32*axon_pkg::PIFcondexpDecayE +: 32];
      s1_d.ke = in_param_i[32*axon_pkg::PIFcondexpInitE +: 32];
      s1_d.di = in_param_i[32*axon_pkg::PIFcondexpDecayI +: 32];
      s1_d.ki = in_param_i[32*axon_pkg::PIFcondexpInitI +: 32];
    end else if (is_alpha) begin
      s1_d.de = in_param_i[32*axon_pkg::PIFcurralphaDecayE +: 32];
      s1_d.ke = in_param_i[32*axon_pkg::PIFcurralphaCoefE +: 32];
      s1_d.di = in_param_i[32*axon_pkg::PIFcurralphaDecayI +: 32];
      s1_d.ki = in_param_i[32*axon_pkg::PIFcurralphaCoefI +: 32];
    end else begin
      s1_d.de = in_param_i[32*axon_pkg::PIFcurrexpDecayE +: 32];
      s1_d.ke = in_param_i[32*axon_pkg::PIFcurrexpInitE +: 32];
      s1_d.di = in_param_i[32*axon_pkg::PIFcurrexpDecayI +: 32];
      s1_d.ki = in_param_i[32*axon_pkg::PIFcurrexpInitI +: 32];
    end
    s1_d.ie = in_state_i[32*axon_pkg::SIFcurrexpIsynE +: 32];
    s1_d.ii = is_alpha ? in_state_i[32*axon_pkg::SIFcurralphaIsynI +: 32]
                       : in_state_i[32*axon_pkg::SIFcurrexpIsynI +: 32];
    s1_d.ze1 = in_ze + s1_d.xe;
    s1_d.zi1 = in_zi + s1_d.xi;
    s1_d.dve = in_ee - s1_d.v0;
    s1_d.dvi = in_ei - s1_d.v0;
  end

  ///////////////////////////////////////////////////////////
  // Stage 2: U0, U1 = mulu(x, init) | mulu(z, decay)      //
  ///////////////////////////////////////////////////////////

  s1_t s2_q;  // stage 2 carries stage 1 unchanged beside the multipliers
  logic [31:0] u0, u1;

  axon_fx_mul u_mul0 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b1),
    .a_i         (is_alpha ? s1_q.ze1 : s1_q.xe),
    .b_i         (is_alpha ? s1_q.de : s1_q.ke),
    .p_o         (u0)
  );

  axon_fx_mul u_mul1 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b1),
    .a_i         (is_alpha ? s1_q.zi1 : s1_q.xi),
    .b_i         (is_alpha ? s1_q.di : s1_q.ki),
    .p_o         (u1)
  );

  //////////////////////////////////////////
  // Stage 3: isyn += U, gsyn samples     //
  //////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, se, si, zne, zni, ze1, zi1, dve, dvi, gse, gsi;
    logic [31:0] vr, rm, tc, vres, vt, tref, ioff, de, ke, di, ki;
  } s3_t;

  s3_t s3_d, s3_q;

  always_comb begin
    s3_d        = '0;
    s3_d.idx    = s2_q.idx;
    s3_d.sat    = s2_q.sat;
    s3_d.active = s2_q.active;
    s3_d.rr     = s2_q.rr;
    s3_d.v0     = s2_q.v0;
    s3_d.jump   = s2_q.jump;
    s3_d.se     = is_alpha ? s2_q.ie : s2_q.ie + u0;
    s3_d.si     = is_alpha ? s2_q.ii : s2_q.ii + u1;
    s3_d.zne    = u0;
    s3_d.zni    = u1;
    s3_d.ze1    = s2_q.ze1;
    s3_d.zi1    = s2_q.zi1;
    s3_d.dve    = s2_q.dve;
    s3_d.dvi    = s2_q.dvi;
    if (is_delta) begin
      s3_d.gse = s2_q.xe;
      s3_d.gsi = s2_q.xi;
    end else if (is_cond) begin
      s3_d.gse = 32'($signed(s3_d.se) >>> axon_pkg::CondShift);
      s3_d.gsi = 32'($signed(s3_d.si) >>> axon_pkg::CondShift);
    end else begin
      s3_d.gse = s3_d.se;
      s3_d.gsi = s3_d.si;
    end
    s3_d.vr   = s2_q.vr;
    s3_d.rm   = s2_q.rm;
    s3_d.tc   = s2_q.tc;
    s3_d.vres = s2_q.vres;
    s3_d.vt   = s2_q.vt;
    s3_d.tref = s2_q.tref;
    s3_d.ioff = s2_q.ioff;
    s3_d.de   = s2_q.de;
    s3_d.ke   = s2_q.ke;
    s3_d.di   = s2_q.di;
    s3_d.ki   = s2_q.ki;
  end

  //////////////////////////////////////////////////////////////////////////
  // Stage 4: U2, U3 = mulu(isyn, decay); U4, U5 = mul(g, e_rev - v) |    //
  //          mulu(z, coef)                                               //
  //////////////////////////////////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, se, si, zne, zni, gse, gsi;
    logic [31:0] vr, rm, tc, vres, vt, tref, ioff;
  } s4_t;

  s4_t s4_d, s4_q;
  logic [31:0] u2, u3, u4, u5, ge, gi;

  always_comb begin
    s4_d        = '0;
    s4_d.idx    = s3_q.idx;
    s4_d.sat    = s3_q.sat;
    s4_d.active = s3_q.active;
    s4_d.rr     = s3_q.rr;
    s4_d.v0     = s3_q.v0;
    s4_d.jump   = s3_q.jump;
    s4_d.se     = s3_q.se;
    s4_d.si     = s3_q.si;
    s4_d.zne    = s3_q.zne;
    s4_d.zni    = s3_q.zni;
    s4_d.gse    = s3_q.gse;
    s4_d.gsi    = s3_q.gsi;
    s4_d.vr     = s3_q.vr;
    s4_d.rm     = s3_q.rm;
    s4_d.tc     = s3_q.tc;
    s4_d.vres   = s3_q.vres;
    s4_d.vt     = s3_q.vt;
    s4_d.tref   = s3_q.tref;
    s4_d.ioff   = s3_q.ioff;
  end

  assign ge = 32'($signed(s3_q.se) >>> axon_pkg::CondShift);
  assign gi = 32'($signed(s3_q.si) >>> axon_pkg::CondShift);

  axon_fx_mul u_mul2 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b1),
    .a_i         (s3_q.se),
    .b_i         (s3_q.de),
    .p_o         (u2)
  );

  axon_fx_mul u_mul3 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (1'b1),
    .a_i         (s3_q.si),
    .b_i         (s3_q.di),
    .p_o         (u3)
  );

  axon_fx_mul u_mul4 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (is_alpha),
    .a_i         (is_alpha ? s3_q.ze1 : ge),
    .b_i         (is_alpha ? s3_q.ke : s3_q.dve),
    .p_o         (u4)
  );

  axon_fx_mul u_mul5 (
    .clk_i       (clk_i),
    .en_i        (adv),
    .mode_u032_i (is_alpha),
    .a_i         (is_alpha ? s3_q.zi1 : gi),
    .b_i         (is_alpha ? s3_q.ki : s3_q.dvi),
    .p_o         (u5)
  );

  ////////////////////////////////////////////
  // Stage 5: input current, new isyn        //
  ////////////////////////////////////////////

  typedef struct packed {
    logic [IdxWidth-1:0] idx;
    logic [1:0]  sat;
    logic        active;
    logic [31:0] rr;
    logic [31:0] v0, jump, cur, ien, iin, zne, zni, gse, gsi;
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
      s5_d.cur = u4 + u5 + s4_q.ioff;
    end else begin
      s5_d.cur = s4_q.se - s4_q.si + s4_q.ioff;
    end
    s5_d.ien  = is_alpha ? u2 + u4 : u2;
    s5_d.iin  = is_alpha ? u3 + u5 : u3;
    s5_d.zne  = s4_q.zne;
    s5_d.zni  = s4_q.zni;
    s5_d.gse  = s4_q.gse;
    s5_d.gsi  = s4_q.gsi;
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
    logic [31:0] v0, jump, ien, iin, zne, zni, gse, gsi;
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
    s6_d.ien    = s5_q.ien;
    s6_d.iin    = s5_q.iin;
    s6_d.zne    = s5_q.zne;
    s6_d.zni    = s5_q.zni;
    s6_d.gse    = s5_q.gse;
    s6_d.gsi    = s5_q.gsi;
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
    logic [31:0] v0, jump, a, d, ien, iin, zne, zni, gse, gsi;
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
    s7_d.ien    = s6_q.ien;
    s7_d.iin    = s6_q.iin;
    s7_d.zne    = s6_q.zne;
    s7_d.zni    = s6_q.zni;
    s7_d.gse    = s6_q.gse;
    s7_d.gsi    = s6_q.gsi;
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
    logic [31:0] v0, jump, a, ien, iin, zne, zni, gse, gsi;
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
    s8_d.ien    = s7_q.ien;
    s8_d.iin    = s7_q.iin;
    s8_d.zne    = s7_q.zne;
    s8_d.zni    = s7_q.zni;
    s8_d.gse    = s7_q.gse;
    s8_d.gsi    = s7_q.gsi;
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
    logic [31:0] v0, vv, rsel, ien, iin, zne, zni, gse, gsi;
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
    s9_d.ien  = s8_q.ien;
    s9_d.iin  = s8_q.iin;
    s9_d.zne  = s8_q.zne;
    s9_d.zni  = s8_q.zni;
    s9_d.gse  = s8_q.gse;
    s9_d.gsi  = s8_q.gsi;
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
    s10_d.gse   = s9_q.gse;
    s10_d.gsi   = s9_q.gsi;
    s10_d.state[32*axon_pkg::SIFcurrexpV +: 32]       = spike10 ? s9_q.vres : s9_q.vv;
    s10_d.state[32*axon_pkg::SIFcurrexpRefract +: 32] = spike10 ? s9_q.tref : s9_q.rsel;
    if (is_alpha) begin
      s10_d.state[32*axon_pkg::SIFcurralphaIsynE +: 32] = s9_q.ien;
      s10_d.state[32*axon_pkg::SIFcurralphaZE +: 32]    = s9_q.zne;
      s10_d.state[32*axon_pkg::SIFcurralphaIsynI +: 32] = s9_q.iin;
      s10_d.state[32*axon_pkg::SIFcurralphaZI +: 32]    = s9_q.zni;
    end else if (!is_delta) begin
      s10_d.state[32*axon_pkg::SIFcurrexpIsynE +: 32] = s9_q.ien;
      s10_d.state[32*axon_pkg::SIFcurrexpIsynI +: 32] = s9_q.iin;
    end
  end

  ////////////////////////////////////////////
  // Stage registers                        //
  ////////////////////////////////////////////

  // Datapath registers without reset (valid_q qualifies them); they advance together.
  always_ff @(posedge clk_i) begin
    if (adv) begin
      s1_q <= s1_d;
      s2_q <= s1_q;
      s3_q <= s3_d;
      s4_q <= s4_d;
      s5_q <= s5_d;
      s6_q <= s6_d;
      s7_q <= s7_d;
      s8_q <= s8_d;
      s9_q <= s9_d;
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
