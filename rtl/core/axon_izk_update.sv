// Axon Izhikevich neuron update: one neuron every 8 clocks on two shared multipliers.
//
// Computes exactly the golden model's per-step sequence for the Izhikevich model
// (models/core_neuron.c, izk_fused; docs/spec/models.md): transfer of the two ring-buffer
// words, exponential synapses, the RK2 midpoint step of Hopkins & Furber (2015) with the
// threshold correction (h_spike after a spike), threshold and reset, synapse decay:
//   se = isyn_e + mulu(x_e, init_e), si = isyn_i + mulu(x_i, init_i)    (gsyn samples)
//   I = se - si + i_offset;  h = flags[0] ? h_spike : h
//   pre   = 140 + I - u
//   alpha = pre + mul(5 + mul(0.04, v), v)
//   eta   = v + half(mul(h, alpha))
//   beta  = half(mul(mul(h, mul(b, v) - u), a))
//   v'    = v + mul(h, pre - beta + mul(5 + mul(0.04, eta), eta))
//   u'    = u + mul(mul(a, h), mul(b, eta) - u - beta)
//   spike = v' >= v_thresh: v = c, u = u' + d, flags = 1; else v', u', flags = 0
//   isyn_e = mulu(se, decay_e), isyn_i = mulu(si, decay_i)
// 16 multiplications, two per clock on units A and B (axon_fx_mul), in 8 steps:
//   step 0 (the cycle the neuron is accepted)  A mulu(x_e, init_e)     B mulu(x_i, init_i)
//   step 1  se, si                             A mul(0.04, v)          B mul(b, v)
//   step 2  pre                                A mul(5 + 0.04 v, v)    B mul(h, b v - u)
//   step 3  alpha                              A mul(h, alpha)         B mul(h (b v - u), a)
//   step 4  eta, beta                          A mul(0.04, eta)        B mul(b, eta)
//   step 5  b eta - u - beta                   A mul(5 + 0.04 eta, eta) B mul(a, h)
//   step 6                                     A mul(h, pre - beta + ..) B mul(a h, ..)
//   step 7  v', u', threshold, reset           A mulu(se, decay_e)     B mulu(si, decay_i)
// then the output is valid (latency 8 clocks). A new neuron is accepted in the cycle the
// previous result is taken, so the unit sustains one update per 8 clocks (II = 8); every
// multiplier is busy in every step, so 8 is the minimum for two multipliers.
//
// Words: in_param_i / in_state_i hold the Izhikevich parameter / state block (word k at
// bits 32k+31:32k, offsets axon_pkg::PIzhikevich* / SIzhikevich*); out_state_o is the new
// state block; out_v_o the sampled v (start of the step); out_gsyn_* the sampled isyn.
module axon_izk_update #(
  parameter int unsigned NumNeurons = 256,
  localparam int unsigned IdxWidth = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned ParamWords = axon_pkg::PIzhikevichWords,
  localparam int unsigned StateWords = axon_pkg::SIzhikevichWords
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // weight shifts (type k in bits 4k+3:4k of the core header word)
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

  localparam logic [31:0] K5   = 32'(5) << axon_pkg::S1615FracBits;
  localparam logic [31:0] K140 = 32'(140) << axon_pkg::S1615FracBits;
  localparam logic [31:0] C004 = 32'(axon_pkg::IzkCoef004);

  function automatic logic [31:0] rb_input(logic [16:0] rb, logic [3:0] sh);
    rb_input = (32'(rb) - 32'(rb[16])) << sh;
  endfunction

  function automatic logic [31:0] half(logic [31:0] x);
    half = 32'($signed(x) >>> 1);
  endfunction

  function automatic logic [31:0] param(logic [ParamWords*32-1:0] p, int unsigned k);
    param = p[32*k +: 32];
  endfunction

  ////////////////////
  // Control        //
  ////////////////////

  typedef enum logic [1:0] {
    StIdle,
    StRun,
    StDone
  } state_e;

  state_e     state_d, state_q;
  logic [2:0] step_d, step_q;
  logic       in_fire, mul_en;

  assign in_ready_o = (state_q == StIdle) | ((state_q == StDone) & out_ready_i);
  assign in_fire    = in_valid_i & in_ready_o;
  assign mul_en     = in_fire | (state_q == StRun);

  always_comb begin
    state_d = state_q;
    step_d  = step_q;
    unique case (state_q)
      StIdle, StDone: begin
        if (in_fire) begin
          state_d = StRun;
          step_d  = 3'd1;
        end else if (out_ready_i) begin
          state_d = StIdle;
        end
      end
      StRun: begin
        step_d = step_q + 3'd1;
        if (step_q == 3'd7) begin
          state_d = StDone;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      step_q  <= '0;
    end else begin
      state_q <= state_d;
      step_q  <= step_d;
    end
  end

  ////////////////////
  // Datapath       //
  ////////////////////

  // captured with the neuron
  logic [IdxWidth-1:0] idx_q;
  logic [1:0]          sat_q;
  logic [31:0] v_q, u_q, ie_q, ii_q, a_q, b_q, c_q, d_q, ioff_q, h_q, vt_q, de_q, di_q;
  // temporaries
  logic [31:0] se_q, si_q, pre_q, eta_q, beta_q, t_q;
  // results
  logic [31:0] vout_q, uout_q;
  logic        spike_q;

  // multipliers
  logic [31:0] a_op_a, a_op_b, b_op_a, b_op_b, m_a, m_b;
  logic        a_u032, b_u032;
  // step values
  logic [31:0] eta_c, vn_c, un_c;
  logic        spike_c;

  assign eta_c   = v_q + half(m_a);
  assign vn_c    = v_q + m_a;
  assign un_c    = u_q + m_b;
  assign spike_c = $signed(vn_c) >= $signed(vt_q);

  always_comb begin
    a_op_a = C004;
    a_op_b = v_q;
    b_op_a = b_q;
    b_op_b = v_q;
    a_u032 = 1'b0;
    b_u032 = 1'b0;
    if (in_fire) begin
      // step 0, straight from the inputs
      a_op_a = rb_input(in_rb_exc_i, cfg_shift_i[0 +: 4]);
      a_op_b = param(in_param_i, axon_pkg::PIzhikevichInitE);
      b_op_a = rb_input(in_rb_inh_i, cfg_shift_i[axon_pkg::WeightShiftBits +: 4]);
      b_op_b = param(in_param_i, axon_pkg::PIzhikevichInitI);
      a_u032 = 1'b1;
      b_u032 = 1'b1;
    end else begin
      unique case (step_q)
        3'd1: begin
          a_op_a = C004;             a_op_b = v_q;
          b_op_a = b_q;              b_op_b = v_q;
        end
        3'd2: begin
          a_op_a = K5 + m_a;         a_op_b = v_q;
          b_op_a = h_q;              b_op_b = m_b - u_q;
        end
        3'd3: begin
          a_op_a = h_q;              a_op_b = pre_q + m_a;
          b_op_a = m_b;              b_op_b = a_q;
        end
        3'd4: begin
          a_op_a = C004;             a_op_b = eta_c;
          b_op_a = b_q;              b_op_b = eta_c;
        end
        3'd5: begin
          a_op_a = K5 + m_a;         a_op_b = eta_q;
          b_op_a = a_q;              b_op_b = h_q;
        end
        3'd6: begin
          a_op_a = h_q;              a_op_b = pre_q - beta_q + m_a;
          b_op_a = m_b;              b_op_b = t_q;
        end
        3'd7: begin
          a_op_a = se_q;             a_op_b = de_q;
          b_op_a = si_q;             b_op_b = di_q;
          a_u032 = 1'b1;
          b_u032 = 1'b1;
        end
        default: ;
      endcase
    end
  end

  axon_fx_mul u_mul_a (
    .clk_i       (clk_i),
    .en_i        (mul_en),
    .mode_u032_i (a_u032),
    .a_i         (a_op_a),
    .b_i         (a_op_b),
    .p_o         (m_a)
  );

  axon_fx_mul u_mul_b (
    .clk_i       (clk_i),
    .en_i        (mul_en),
    .mode_u032_i (b_u032),
    .a_i         (b_op_a),
    .b_i         (b_op_b),
    .p_o         (m_b)
  );

  // Datapath registers without reset (state_q qualifies them).
  always_ff @(posedge clk_i) begin
    if (in_fire) begin
      idx_q  <= in_idx_i;
      sat_q  <= {in_rb_inh_i[16], in_rb_exc_i[16]};
      v_q    <= in_state_i[32*axon_pkg::SIzhikevichV +: 32];
      u_q    <= in_state_i[32*axon_pkg::SIzhikevichU +: 32];
      ie_q   <= in_state_i[32*axon_pkg::SIzhikevichIsynE +: 32];
      ii_q   <= in_state_i[32*axon_pkg::SIzhikevichIsynI +: 32];
      a_q    <= param(in_param_i, axon_pkg::PIzhikevichA);
      b_q    <= param(in_param_i, axon_pkg::PIzhikevichB);
      c_q    <= param(in_param_i, axon_pkg::PIzhikevichC);
      d_q    <= param(in_param_i, axon_pkg::PIzhikevichD);
      ioff_q <= param(in_param_i, axon_pkg::PIzhikevichIOffset);
      h_q    <= in_state_i[32*axon_pkg::SIzhikevichFlags] ?
                param(in_param_i, axon_pkg::PIzhikevichHSpike) :
                param(in_param_i, axon_pkg::PIzhikevichH);
      vt_q   <= param(in_param_i, axon_pkg::PIzhikevichVThresh);
      de_q   <= param(in_param_i, axon_pkg::PIzhikevichDecayE);
      di_q   <= param(in_param_i, axon_pkg::PIzhikevichDecayI);
    end else if (state_q == StRun) begin
      unique case (step_q)
        3'd1: begin
          se_q <= ie_q + m_a;
          si_q <= ii_q + m_b;
        end
        3'd2: pre_q <= K140 + (se_q - si_q + ioff_q) - u_q;
        3'd4: begin
          eta_q  <= eta_c;
          beta_q <= half(m_b);
        end
        3'd5: t_q <= m_b - u_q - beta_q;
        3'd7: begin
          spike_q <= spike_c;
          vout_q  <= spike_c ? c_q : vn_c;
          uout_q  <= spike_c ? un_c + d_q : un_c;
        end
        default: ;
      endcase
    end
  end

  ////////////////////
  // Outputs        //
  ////////////////////

  assign out_valid_o    = (state_q == StDone);
  assign out_idx_o      = idx_q;
  assign out_v_o        = v_q;
  assign out_gsyn_exc_o = se_q;
  assign out_gsyn_inh_o = si_q;
  assign out_spike_o    = spike_q;
  assign out_sat_o      = sat_q;

  always_comb begin
    out_state_o = '0;
    out_state_o[32*axon_pkg::SIzhikevichV +: 32]     = vout_q;
    out_state_o[32*axon_pkg::SIzhikevichU +: 32]     = uout_q;
    out_state_o[32*axon_pkg::SIzhikevichFlags +: 32] = {31'b0, spike_q};
    out_state_o[32*axon_pkg::SIzhikevichIsynE +: 32] = m_a;  // held in StDone (mul_en = 0)
    out_state_o[32*axon_pkg::SIzhikevichIsynI +: 32] = m_b;
  end

  // flags bits 31:1 are not read (only bit 0: spiked in the previous step)
  logic unused_flags;
  assign unused_flags = ^in_state_i[32*axon_pkg::SIzhikevichFlags + 1 +: 31];

endmodule
