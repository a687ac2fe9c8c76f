// Plastic synapse path of a neuron core (docs/spec/plasticity.md, docs/rtl.md "Plasticity"):
// the postsynaptic spike history of every neuron and the deferred STDP update of a plastic
// row, bit-exact with models/plasticity.c (fixed-point mode).
//
// load_i (boot, when the core has a plasticity region): reads the rule blocks of the region
//   into registers (the exponential tables stay in core memory) and empties every history.
// spk_i (the neuron sweep, one spike per clock at most): queues the neuron; the queue is
//   drained during the step: the new history entry (step, and per rule the post trace
//   spike(decay(y_prev, t - t_prev))) is written at the ring's head.
// row_start_i (axon_syn_proc, a plastic row header of step t_i): reads pre_time / pre_trace,
//   then for each synapse: the synapse word, the neuron's history newest first
//   (potentiation window [t0, t), depression by the newest post spike before t), the table
//   entries from core memory, axon_stdp_wupd, the write-back of the word and the ring-buffer
//   add; finally the new pre trace and pre_time are written back.
// One sequential engine, overlapped where the ports allow: 2 clocks per synapse without post
// history, plus 1 per history entry scanned, 1 per potentiating pair, 1 for the potentiation
// and 1 for the depression when there are any (docs/rtl.md "Plasticity").
module axon_plast #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  localparam int unsigned IdxWidth  = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned NWidth    = $clog2(NumNeurons + 1),
  localparam int unsigned SlotWidth = $clog2(axon_pkg::SynRingSlots)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // boot: load the rules of the region at plast_off_i, empty the histories
  input  logic                    load_i,
  input  logic [MemWordsLog2-1:0] plast_off_i,
  input  logic [NWidth-1:0]       n_i,
  output logic                    busy_o,
  // postsynaptic spikes of step step_i
  input  logic                    spk_i,
  input  logic [IdxWidth-1:0]     spk_idx_i,
  input  logic [31:0]             step_i,
  output logic                    post_busy_o,
  // a plastic row received in step t_i
  input  logic                    row_start_i,
  input  logic [MemWordsLog2-1:0] row_addr_i,
  input  logic [15:0]             row_n_i,
  input  logic [1:0]              row_rule_i,
  input  logic [31:0]             t_i,
  // core memory
  output logic                    mem_re_o,
  output logic [MemWordsLog2-1:0] mem_raddr_o,
  input  logic [31:0]             mem_rdata_i,
  output logic                    mem_we_o,
  output logic [MemWordsLog2-1:0] mem_waddr_o,
  output logic [31:0]             mem_wdata_o,
  // ring-buffer accumulate port
  output logic                    acc_valid_o,
  output logic [SlotWidth-1:0]    acc_slot_o,
  output logic                    acc_type_o,
  output logic [IdxWidth-1:0]     acc_idx_o,
  output logic [15:0]             acc_weight_o
);

  localparam int unsigned H       = axon_pkg::PlastPostHistory;
  localparam int unsigned HW      = $clog2(H);
  localparam int unsigned Rules   = axon_pkg::PlastMaxRules;
  localparam int unsigned RW      = $clog2(Rules);
  localparam int unsigned HistW   = 32 + 16 * Rules;      // step, one post trace per rule
  localparam int unsigned MetaW   = HW + 1 + HW;          // count (0..H), head
  localparam int unsigned LdWords = axon_pkg::PlastRegionRuleBase + Rules * axon_pkg::PlastRuleWords;
  localparam int unsigned LutHalf = 1 << (axon_pkg::PlastLutFracBits - 1);
  localparam logic [31:0] TraceOne = 32'd1 << axon_pkg::PlastTraceFracBits;
  localparam int unsigned MW      = MemWordsLog2;

  typedef enum logic [4:0] {
    StIdle,
    StLoad,       // region words
    StClear,      // history counts
    StPostMeta,   // post spike: count / head of the neuron
    StPostPrev,   // ... its newest entry
    StPostRule,   // ... per rule: decay of the previous trace
    StPostLut,
    StPostWr,
    StRowT0,      // row: pre_time
    StRowX0,      // ... pre_trace
    StSynRd,      // synapse 0: its word
    StSynMeta,    // synapse 0: its word arrives; the neuron's count / head requested
    StSynScan0,   // synapse k: count / head arrive; history entry 0 and word k + 1 requested
    StHistChk,    // ... history entry q (newest first) arrives; entry q + 1 requested
    StHistLut,    // ... lut_plus entry of a potentiating pair
    StPot,        // ... potentiation; the lut_minus entry requested
    StDep,        // ... depression
    StWb,         // ... write-back and ring-buffer add; count / head of synapse k + 1 requested
    StFinLut,     // row: new pre trace
    StFin1,
    StFin2
  } state_e;

  state_e state_q;

  // rule registers
  logic [31:0]   n_rules_q;
  logic          r_nearest_q [Rules];
  logic          r_mult_q [Rules];
  logic [15:0]   r_wmin_q [Rules], r_wmax_q [Rules];
  logic [31:0]   r_aplus_q [Rules], r_aminus_q [Rules];
  logic [MW-1:0] r_lp_base_q [Rules], r_lm_base_q [Rules];
  logic [31:0]   r_lp_len_q [Rules], r_lm_len_q [Rules];

  // work registers
  logic [7:0]          ld_cnt_q;
  logic [RW:0]         ld_k_q;
  logic [3:0]          ld_f_q;
  logic                ld_dv_q;
  logic [IdxWidth-1:0] idx_q;
  logic [HW:0]         cnt_q, q_q, np_q;
  logic [HW-1:0]       head_q;
  logic [RW:0]         r_q;
  logic [31:0]         tp_q;
  logic [16*Rules-1:0] ptr_q, ntr_q;
  logic [31:0]         t_q, t0_q, x0_q, sw_q, w_q, lsum_q, sdep_q;
  logic [15:0]         ys_q;
  logic                found_q;
  logic [RW-1:0]       rule_q;
  logic [MW-1:0]       a_q;
  logic [15:0]         n_q, k_q;
  logic [15:0]         xs_q [H];   // decayed pre traces (<= pre_trace <= 0xFFFF)
  logic                pf_q;       // word k + 1 was requested last clock (StSynScan0)
  logic [31:0]         sw_nx_q, nx_word;

  // history memories
  logic                 h_re, h_we, m_re, m_we;
  logic [IdxWidth+HW-1:0] h_raddr, h_waddr;
  logic [HistW-1:0]     h_rdata, h_wdata;
  logic [IdxWidth-1:0]  m_raddr, m_waddr;
  logic [MetaW-1:0]     m_rdata, m_wdata;

  axon_ram_1r1w #(
    .Width (HistW),
    .Depth (NumNeurons * H)
  ) u_hist (
    .clk_i   (clk_i),
    .re_i    (h_re),
    .raddr_i (h_raddr),
    .rdata_o (h_rdata),
    .we_i    (h_we),
    .waddr_i (h_waddr),
    .wdata_i (h_wdata)
  );

  axon_ram_1r1w #(
    .Width (MetaW),
    .Depth (NumNeurons)
  ) u_meta (
    .clk_i   (clk_i),
    .re_i    (m_re),
    .raddr_i (m_raddr),
    .rdata_o (m_rdata),
    .we_i    (m_we),
    .waddr_i (m_waddr),
    .wdata_i (m_wdata)
  );

  // postsynaptic spike queue (one entry per neuron at most per step)
  logic                pq_valid, pq_pop, pq_in_ready;
  logic [IdxWidth-1:0] pq_idx;
  logic [$clog2(NumNeurons + 2)-1:0] pq_level;

  axon_fifo #(
    .Width (IdxWidth),
    .Depth (NumNeurons)
  ) u_postq (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (load_i),
    .in_valid_i  (spk_i),
    .in_ready_o  (pq_in_ready),
    .in_data_i   (spk_idx_i),
    .out_valid_o (pq_valid),
    .out_ready_i (pq_pop),
    .out_data_o  (pq_idx),
    .level_o     (pq_level)
  );

  assign pq_pop      = (state_q == StIdle) & ~row_start_i & ~load_i & pq_valid;
  assign post_busy_o = (pq_level != '0) | spk_i | (state_q == StPostMeta) | (state_q == StPostPrev) |
                       (state_q == StPostRule) | (state_q == StPostLut) | (state_q == StPostWr);
  assign busy_o      = (state_q != StIdle);

  // the synapse word in sw_q and the fields of the current rule
  logic [IdxWidth-1:0] s_idx;
  logic [31:0]         s_d;
  logic [HW-1:0]       h_entry, h_next;
  logic [HW:0]         q_next;
  logic                scan_on;
  logic [31:0]         h_time, s_time, lp_len, lm_len;
  logic [MW-1:0]       lp_base, lm_base;
  logic                nearest, mult;
  logic [15:0]         h_tr;

  assign s_idx   = sw_q[axon_pkg::SynIndexLsb +: IdxWidth];
  assign s_d     = 32'd1 + 32'(sw_q[axon_pkg::SynDelayM1Lsb +: 4]);
  assign h_entry = head_q - 1'b1 - q_q[HW-1:0];
  assign h_next  = head_q - HW'(2) - q_q[HW-1:0];
  assign q_next  = q_q + 1'b1;
  assign h_time  = h_rdata[31:0];
  assign h_tr    = h_rdata[32 + 16 * rule_q +: 16];
  assign s_time  = h_time + s_d;
  assign nearest = r_nearest_q[rule_q];
  assign mult    = r_mult_q[rule_q];
  assign lp_len  = r_lp_len_q[rule_q];
  assign lm_len  = r_lm_len_q[rule_q];
  assign lp_base = r_lp_base_q[rule_q];
  assign lm_base = r_lm_base_q[rule_q];

  // decay(trace, lut entry) = (trace * entry + 2^15) >> 16
  function automatic logic [31:0] decay(logic [31:0] tr, logic [31:0] lut);
    decay = 32'((64'(tr) * 64'(lut) + 64'(LutHalf)) >> axon_pkg::PlastLutFracBits);
  endfunction

  // the trace right after a spike
  function automatic logic [31:0] spike(logic near, logic [31:0] decayed);
    logic [32:0] v;
    v = 33'(decayed) + 33'(TraceOne);
    if (near) begin
      spike = TraceOne;
    end else if (v > 33'(axon_pkg::PlastTraceMax)) begin
      spike = axon_pkg::PlastTraceMax;
    end else begin
      spike = v[31:0];
    end
  endfunction

  // the pair inside the potentiation window that StHistChk is looking at; the scan goes on
  // past entries that reach the synapse at t or later and past potentiating pairs
  logic pot_pair;
  assign pot_pair = (s_time < t_q) && (x0_q != '0) && (s_time >= t0_q);
  assign scan_on  = (s_time >= t_q) || pot_pair;

  // the post trace of rule r_q after the spike (StPostRule: no table entry, StPostLut: with it)
  logic [31:0] post_new;
  assign post_new = spike(r_nearest_q[r_q[RW-1:0]], (state_q == StPostLut) ?
                          decay(32'(ptr_q[16 * r_q[RW-1:0] +: 16]), mem_rdata_i) : '0);

  // weight-update unit: potentiation in StPot, depression in StDep
  logic        wu_dep;
  logic [31:0] wu_amp, wu_tr, wu_w;

  always_comb begin
    wu_dep = 1'b0;
    wu_tr  = decay(x0_q, lsum_q);  // additive: x0 times the summed table entries
    if (state_q == StPot && mult) begin
      wu_tr = 32'(xs_q[HW'(np_q - 1'b1)]);
    end else if (state_q == StDep) begin
      wu_dep = 1'b1;
      wu_tr  = '0;
      if (t_q - sdep_q < lm_len) begin
        wu_tr = decay(32'(ys_q), mem_rdata_i);  // read in StPot; 0 beyond the table
      end
    end
    wu_amp = wu_dep ? r_aminus_q[rule_q] : r_aplus_q[rule_q];
  end

  axon_stdp_wupd u_wupd (
    .depress_i (wu_dep),
    .mult_i    (mult),
    .w_i       (w_q),
    .w_min_i   (r_wmin_q[rule_q]),
    .w_max_i   (r_wmax_q[rule_q]),
    .amp_i     (wu_amp),
    .trace_i   (wu_tr),
    .w_o       (wu_w)
  );

  // the rounded weight written back
  logic [31:0] w_round;
  assign w_round = (w_q + 32'(LutHalf)) >> 16;

  // memory and RAM ports
  always_comb begin
    mem_re_o    = 1'b0;
    mem_raddr_o = '0;
    mem_we_o    = 1'b0;
    mem_waddr_o = '0;
    mem_wdata_o = '0;
    h_re        = 1'b0;
    h_raddr     = {idx_q, h_entry};
    h_we        = 1'b0;
    h_waddr     = {idx_q, head_q};
    h_wdata     = {ntr_q, t_q};
    m_re        = 1'b0;
    m_raddr     = idx_q;
    m_we        = 1'b0;
    m_waddr     = idx_q;
    m_wdata     = {cnt_q + ((cnt_q == (HW + 1)'(H)) ? '0 : (HW + 1)'(1)), head_q + 1'b1};
    acc_valid_o = 1'b0;
    unique case (state_q)
      StIdle: begin
        m_re    = pq_pop;
        m_raddr = pq_idx;
      end
      StLoad: begin
        mem_re_o    = (32'(ld_cnt_q) < LdWords) & ~ld_dv_q;
        mem_raddr_o = plast_off_i + MW'(ld_cnt_q);
      end
      StClear: begin
        m_we    = 1'b1;
        m_waddr = IdxWidth'(ld_cnt_q);
        m_wdata = '0;
      end
      StPostMeta: begin
        h_re    = 1'b1;
        h_raddr = {idx_q, m_rdata[HW-1:0] - 1'b1};
      end
      StPostRule: begin
        mem_re_o    = (32'(r_q) < n_rules_q) && (cnt_q != '0) && (t_q - tp_q < r_lm_len_q[r_q[RW-1:0]]);
        mem_raddr_o = r_lm_base_q[r_q[RW-1:0]] + MW'(t_q - tp_q);
      end
      StPostWr: begin
        h_we = 1'b1;
        m_we = 1'b1;
      end
      StRowT0: begin
        mem_re_o    = 1'b1;
        mem_raddr_o = a_q + MW'(axon_pkg::ProwPreTime);
      end
      StRowX0: begin
        mem_re_o    = 1'b1;
        mem_raddr_o = a_q + MW'(axon_pkg::ProwPreTrace);
      end
      StSynRd: begin
        mem_re_o    = (n_q != '0);
        mem_raddr_o = a_q + MW'(axon_pkg::PlastRowOverhead);
      end
      StSynMeta: begin
        m_re    = 1'b1;
        m_raddr = mem_rdata_i[axon_pkg::SynIndexLsb +: IdxWidth];
      end
      StSynScan0: begin
        h_re        = (m_rdata[MetaW-1 -: HW + 1] != '0);
        h_raddr     = {idx_q, m_rdata[HW-1:0] - 1'b1};
        mem_re_o    = (k_q + 16'd1 != n_q);  // the next synapse word
        mem_raddr_o = a_q + MW'(axon_pkg::PlastRowOverhead) + MW'(k_q) + 1'b1;
      end
      StHistChk: begin
        mem_re_o    = pot_pair && (s_time - t0_q < lp_len);
        mem_raddr_o = lp_base + MW'(s_time - t0_q);
        h_re        = scan_on && (q_next != cnt_q);
        h_raddr     = {idx_q, h_next};
      end
      StPot: begin
        mem_re_o    = found_q && (t_q - sdep_q < lm_len);
        mem_raddr_o = lm_base + MW'(t_q - sdep_q);
      end
      StWb: begin
        mem_we_o    = 1'b1;
        mem_waddr_o = a_q + MW'(axon_pkg::PlastRowOverhead) + MW'(k_q);
        mem_wdata_o = (sw_q & ~(32'(16'hFFFF) << axon_pkg::SynWeightLsb)) |
                      (w_round << axon_pkg::SynWeightLsb);
        acc_valid_o = 1'b1;
        m_re        = (k_q + 16'd1 != n_q);  // the next synapse's count / head
        m_raddr     = nx_word[axon_pkg::SynIndexLsb +: IdxWidth];
      end
      StFinLut: begin
        mem_re_o    = (t_q - t0_q < lp_len);
        mem_raddr_o = lp_base + MW'(t_q - t0_q);
      end
      StFin1: begin
        mem_we_o    = 1'b1;
        mem_waddr_o = a_q + MW'(axon_pkg::ProwPreTrace);
        mem_wdata_o = spike(nearest, found_q ? decay(x0_q, mem_rdata_i) : '0);
      end
      StFin2: begin
        mem_we_o    = 1'b1;
        mem_waddr_o = a_q + MW'(axon_pkg::ProwPreTime);
        mem_wdata_o = t_q;
      end
      default: ;
    endcase
  end

  // the next synapse word: in mem_rdata_i the clock after its request, then held here
  assign nx_word = pf_q ? mem_rdata_i : sw_nx_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pf_q    <= 1'b0;
      sw_nx_q <= '0;
    end else begin
      pf_q <= (state_q == StSynScan0) & mem_re_o;
      if (pf_q) sw_nx_q <= mem_rdata_i;
    end
  end

  assign acc_slot_o   = SlotWidth'(t_q + s_d);
  assign acc_type_o   = sw_q[axon_pkg::SynTypeLsb];
  assign acc_idx_o    = s_idx;
  assign acc_weight_o = w_round[15:0];

  // rule words as they arrive (word f of rule k)
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      n_rules_q <= '0;
      for (int unsigned k = 0; k < Rules; k++) begin
        r_nearest_q[k] <= 1'b0; r_mult_q[k] <= 1'b0; r_wmin_q[k] <= '0; r_wmax_q[k] <= '0;
        r_aplus_q[k] <= '0; r_aminus_q[k] <= '0; r_lp_base_q[k] <= '0; r_lm_base_q[k] <= '0;
        r_lp_len_q[k] <= '0; r_lm_len_q[k] <= '0;
      end
    end else if (state_q == StLoad && ld_dv_q) begin
      if (ld_k_q == '0) begin
        n_rules_q <= mem_rdata_i;
      end else begin
        unique case (32'(ld_f_q))
          axon_pkg::PruleFlags: begin
            r_nearest_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i[axon_pkg::PruleFlagTimingLsb] ==
                                          1'(axon_pkg::PlastTimingSpikeNearestPair);
            r_mult_q[RW'(ld_k_q - 1'b1)]    <= mem_rdata_i[axon_pkg::PruleFlagWeightLsb] ==
                                          1'(axon_pkg::PlastWeightMultiplicative);
          end
          axon_pkg::PruleWMin:   r_wmin_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i[15:0];
          axon_pkg::PruleWMax:   r_wmax_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i[15:0];
          axon_pkg::PruleAPlus:  r_aplus_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i;
          axon_pkg::PruleAMinus: r_aminus_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i;
          axon_pkg::PruleLutPlusOff:
            r_lp_base_q[RW'(ld_k_q - 1'b1)] <= plast_off_i + MW'(mem_rdata_i);
          axon_pkg::PruleLutPlusLen: r_lp_len_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i;
          axon_pkg::PruleLutMinusOff:
            r_lm_base_q[RW'(ld_k_q - 1'b1)] <= plast_off_i + MW'(mem_rdata_i);
          axon_pkg::PruleLutMinusLen: r_lm_len_q[RW'(ld_k_q - 1'b1)] <= mem_rdata_i;
          default: ;
        endcase
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (state_q == StHistLut && mult) begin
      xs_q[np_q[HW-1:0]] <= 16'(decay(x0_q, mem_rdata_i));
    end else if (state_q == StHistChk && mult && pot_pair && !mem_re_o) begin
      xs_q[np_q[HW-1:0]] <= '0;  // beyond the table
    end
  end


  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= StIdle;
      ld_cnt_q <= '0;
      ld_k_q   <= '0;
      ld_f_q   <= '0;
      ld_dv_q  <= 1'b0;
      idx_q    <= '0;
      cnt_q    <= '0;
      head_q   <= '0;
      q_q      <= '0;
      np_q     <= '0;
      r_q      <= '0;
      tp_q     <= '0;
      ptr_q    <= '0;
      ntr_q    <= '0;
      t_q      <= '0;
      t0_q     <= '0;
      x0_q     <= '0;
      sw_q     <= '0;
      w_q      <= '0;
      lsum_q   <= '0;
      sdep_q   <= '0;
      ys_q     <= '0;
      found_q  <= 1'b0;
      rule_q   <= '0;
      a_q      <= '0;
      n_q      <= '0;
      k_q      <= '0;
    end else if (load_i) begin
      state_q  <= StLoad;
      ld_cnt_q <= '0;
      ld_k_q   <= '0;
      ld_f_q   <= '0;
      ld_dv_q  <= 1'b0;
    end else begin
      unique case (state_q)
        StIdle: begin
          if (row_start_i) begin
            a_q     <= row_addr_i;
            n_q     <= row_n_i;
            rule_q  <= RW'(row_rule_i);
            t_q     <= t_i;
            k_q     <= '0;
            state_q <= StRowT0;
          end else if (pq_valid) begin
            idx_q   <= pq_idx;
            t_q     <= step_i;
            state_q <= StPostMeta;
          end
        end
        StLoad: begin
          // one word every other clock: request, then take it
          ld_dv_q <= mem_re_o;
          if (mem_re_o) begin
            ld_cnt_q <= ld_cnt_q + 8'd1;
          end
          if (ld_dv_q) begin
            if (ld_k_q == '0 || 32'(ld_f_q) == axon_pkg::PlastRuleWords - 1) begin
              ld_k_q <= ld_k_q + 1'b1;
              ld_f_q <= '0;
            end else begin
              ld_f_q <= ld_f_q + 4'd1;
            end
          end
          if (!mem_re_o && !ld_dv_q) begin
            ld_cnt_q <= '0;
            state_q  <= StClear;
          end
        end
        StClear: begin
          ld_cnt_q <= ld_cnt_q + 8'd1;
          if (32'(ld_cnt_q) + 32'd1 >= 32'(n_i) || 32'(ld_cnt_q) + 32'd1 >= NumNeurons) begin
            state_q <= StIdle;
          end
        end
        // ---- postsynaptic spike of neuron idx_q in step t_q
        StPostMeta: begin
          cnt_q   <= m_rdata[MetaW-1 -: HW + 1];
          head_q  <= m_rdata[HW-1:0];
          state_q <= StPostPrev;
        end
        StPostPrev: begin
          tp_q    <= h_rdata[31:0];
          ptr_q   <= h_rdata[HistW-1:32];
          ntr_q   <= '0;
          r_q     <= '0;
          state_q <= StPostRule;
        end
        StPostRule: begin
          if (32'(r_q) >= n_rules_q || r_q == (RW + 1)'(Rules)) begin
            state_q <= StPostWr;
          end else if (mem_re_o) begin
            state_q <= StPostLut;
          end else begin
            ntr_q[16 * r_q[RW-1:0] +: 16] <= post_new[15:0];
            r_q <= r_q + 1'b1;
          end
        end
        StPostLut: begin
          ntr_q[16 * r_q[RW-1:0] +: 16] <= post_new[15:0];
          r_q     <= r_q + 1'b1;
          state_q <= StPostRule;
        end
        StPostWr: state_q <= StIdle;
        // ---- plastic row at a_q
        StRowT0: state_q <= StRowX0;
        StRowX0: begin
          t0_q    <= mem_rdata_i;
          state_q <= StSynRd;
        end
        StSynRd: begin
          x0_q    <= mem_rdata_i;
          state_q <= (n_q == '0) ? StFinLut : StSynMeta;
        end
        StSynMeta: begin
          sw_q    <= mem_rdata_i;
          w_q     <= {mem_rdata_i[axon_pkg::SynWeightLsb +: 16], 16'd0};
          idx_q   <= mem_rdata_i[axon_pkg::SynIndexLsb +: IdxWidth];
          state_q <= StSynScan0;
        end
        StSynScan0: begin
          cnt_q   <= m_rdata[MetaW-1 -: HW + 1];
          head_q  <= m_rdata[HW-1:0];
          q_q     <= '0;
          np_q    <= '0;
          lsum_q  <= '0;
          found_q <= 1'b0;
          // no post spike yet: nothing to pair, straight to the write-back
          state_q <= (m_rdata[MetaW-1 -: HW + 1] == '0) ? StWb : StHistChk;
        end
        StHistChk: begin
          if (s_time < t_q && !found_q) begin
            found_q <= 1'b1;
            sdep_q  <= s_time;
            ys_q    <= h_tr;
          end
          if (pot_pair && mem_re_o) begin
            state_q <= StHistLut;  // (entry q + 1 was requested too; the RAM holds it)
          end else begin
            // beyond the table: the additive sum gains 0, the multiplicative rule a 0 term
            if (pot_pair && mult) np_q <= np_q + 1'b1;
            q_q <= q_next;
            if (!scan_on || q_next == cnt_q) state_q <= StPot;
          end
        end
        StHistLut: begin
          if (mult) begin
            np_q <= np_q + 1'b1;
          end else begin
            lsum_q <= lsum_q + mem_rdata_i;
          end
          q_q     <= q_next;
          state_q <= (q_next == cnt_q) ? StPot : StHistChk;
        end
        StPot: begin
          if (mult && np_q != '0) begin
            w_q  <= wu_w;  // oldest pair first
            np_q <= np_q - 1'b1;
          end else begin
            if (!mult && lsum_q != '0) w_q <= wu_w;
            state_q <= found_q ? StDep : StWb;
          end
        end
        StDep: begin
          w_q     <= wu_w;  // (beyond the table: depression by a zero trace, which clamps)
          state_q <= StWb;
        end
        StWb: begin
          k_q <= k_q + 16'd1;
          if (k_q + 16'd1 == n_q) begin
            state_q <= StFinLut;
          end else begin
            sw_q    <= nx_word;
            w_q     <= {nx_word[axon_pkg::SynWeightLsb +: 16], 16'd0};
            idx_q   <= nx_word[axon_pkg::SynIndexLsb +: IdxWidth];
            state_q <= StSynScan0;
          end
        end
        StFinLut: begin
          found_q <= mem_re_o;  // reused: the table entry is in mem_rdata_i next clock
          state_q <= StFin1;
        end
        StFin1: state_q <= StFin2;
        StFin2: state_q <= StIdle;
        default: state_q <= StIdle;
      endcase
    end
  end

  logic unused;
  // one queue entry per neuron and step: never full; post traces are 16 bits
  assign unused = ^{pq_in_ready, post_new[31:16]};

endmodule
