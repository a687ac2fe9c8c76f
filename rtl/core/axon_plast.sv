// Plastic synapse path of a neuron core (docs/spec/plasticity.md, docs/rtl.md "Plasticity"):
// the postsynaptic spike history of every neuron and the deferred STDP update of a plastic
// row, bit-exact with models/plasticity.c (fixed-point mode).
//
// load_i (boot, when the core has a plasticity region): reads the rule blocks of the region
//   into registers, copies each rule's lut_plus table into the Lanes lane tables and its
//   lut_minus table into the depression table (a table an earlier rule shares is not copied
//   again; at most lut_core_entries entries per kind for all rules together, more sets
//   err_o), and empties every history.
// spk_i (the neuron sweep, one spike per clock at most): queues the neuron; the queue is
//   drained during the step: the new history entry (step, and per rule the post trace
//   spike(decay(y_prev, t - t_prev))) becomes entry 0: the traces are written at the trace
//   ring's head, the times of the neuron's history words move one entry older.
// row_start_i (axon_syn_proc, a plastic row header of step t_i): reads pre_time / pre_trace,
//   then streams the synapses through a pipeline, one per clock:
//     F  the synapse word is read from core memory
//     W  ... arrives; the neuron's history count / head are read
//     M  ... arrive; history word 0 (the Lanes newest entry times) is read
//     S  every lane of the word is classified at once (reaches the synapse at t or later,
//        potentiating pair in [t0, t), older) and looks up its lut_plus entry in its own
//        table copy; the newest entry before t is kept for the depression. The scan stays
//        in S (1 clock per further word) while the oldest entry read so far is late or
//        potentiating, as the golden loop goes on.
//     L  the table entries arrive and are summed (additive) or stored as decayed pre traces
//        (multiplicative); the depression's trace and lut_minus entry arrive
//     P  potentiation: one term (additive), or one term per clock, oldest first, holding
//        the stages before it (multiplicative)
//     Q  depression by the newest post spike before t
//     B  write-back of the rounded weight and the ring-buffer add
//   finally the new pre trace and pre_time are written back.
// Throughput (docs/rtl.md "Plasticity"): 1 clock per synapse and history word scanned,
// plus (multiplicative rule) 1 per potentiating pair beyond the first.
module axon_plast #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned Lanes        = axon_pkg::PlastLanes,  // entries compared per clock
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
  output logic                    err_o,    // the tables exceed lut_core_entries
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
  localparam int unsigned P       = Lanes;
  localparam int unsigned WPN     = H / P;                 // history words per neuron
  localparam int unsigned WW      = (WPN > 1) ? $clog2(WPN) : 1;
  localparam int unsigned Rules   = axon_pkg::PlastMaxRules;
  localparam int unsigned RW      = $clog2(Rules);
  localparam int unsigned TrW     = 16 * Rules;            // one post trace per rule
  localparam int unsigned MetaW   = HW + 1 + HW;           // count (0..H), head
  localparam int unsigned LdWords = axon_pkg::PlastRegionRuleBase + Rules * axon_pkg::PlastRuleWords;
  localparam int unsigned LutHalf = 1 << (axon_pkg::PlastLutFracBits - 1);
  localparam logic [31:0] TraceOne = 32'd1 << axon_pkg::PlastTraceFracBits;
  localparam int unsigned MW      = MemWordsLog2;
  localparam int unsigned LE      = axon_pkg::PlastLutCoreEntries;
  localparam int unsigned LW      = $clog2(LE);
  localparam int unsigned LutW    = axon_pkg::PlastLutFracBits + 1;  // entries up to 1.0

  typedef enum logic [3:0] {
    StIdle,
    StLoad,       // region words
    StCopy,       // decay tables into the lane and depression tables
    StClear,      // history counts
    StPostMeta,   // post spike: count / head of the neuron
    StPostPrev,   // ... its newest entry
    StPostRule,   // ... per rule: decay of the previous trace
    StPostLut,
    StPostWr,
    StPostShift,  // ... the times move one entry older, the new one is entry 0
    StRowT0,      // row: pre_time
    StRowX0,      // ... pre_trace
    StRowRun,     // ... the synapse pipeline
    StFinLut,     // ... new pre trace
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
  logic [LW-1:0] r_lp_loc_q [Rules], r_lm_loc_q [Rules];  // in the local tables

  // load / copy registers
  logic [7:0]    ld_cnt_q;
  logic [RW:0]   ld_k_q;
  logic [3:0]    ld_f_q;
  logic          ld_dv_q;
  logic [RW:0]   cp_k_q;
  logic          cp_m_q;         // 0 lut_plus, 1 lut_minus
  logic [31:0]   cp_i_q;
  logic [LW:0]   fill_p_q, fill_m_q;
  logic          cp_wv_q, cp_wm_q;
  logic [LW-1:0] cp_wa_q;
  logic          err_q;
  logic [LW:0]   cp_fill;        // the table being copied: its local start, its length
  logic [31:0]   cp_len;
  assign cp_fill = cp_m_q ? fill_m_q : fill_p_q;
  assign cp_len  = cp_m_q ? r_lm_len_q[cp_k_q[RW-1:0]] : r_lp_len_q[cp_k_q[RW-1:0]];

  // the table being copied is an earlier rule's (the host shares one table per time
  // constant): reuse that copy
  logic          cp_dup;
  logic [LW-1:0] cp_dup_loc;
  always_comb begin
    cp_dup     = 1'b0;
    cp_dup_loc = '0;
    for (int unsigned q = 0; q < Rules; q++) begin
      if (!cp_dup && q < 32'(cp_k_q) &&
          (cp_m_q ? (r_lm_base_q[q] == r_lm_base_q[cp_k_q[RW-1:0]] && r_lm_len_q[q] == cp_len)
                  : (r_lp_base_q[q] == r_lp_base_q[cp_k_q[RW-1:0]] && r_lp_len_q[q] == cp_len))) begin
        cp_dup     = 1'b1;
        cp_dup_loc = cp_m_q ? r_lm_loc_q[q] : r_lp_loc_q[q];
      end
    end
  end

  // post-spike registers
  logic [IdxWidth-1:0] idx_q;
  logic [HW:0]         cnt_q;
  logic [HW-1:0]       head_q;
  logic [RW:0]         r_q;
  logic [31:0]         tp_q;
  logic [TrW-1:0]      ptr_q, ntr_q;
  logic [WW:0]         sh_k_q;       // StPostShift: the word read
  logic [31:0]         sh_carry_q;   // the entry moving into lane 0 of word sh_k_q - 1

  // row registers
  logic [31:0]   t_q, t0_q, x0_q;
  logic          x0_first_q;
  logic          fin_hit_q;
  logic [RW-1:0] rule_q;
  logic [MW-1:0] a_q;
  logic [15:0]   n_q, fk_q, bk_q;  // synapses fetched, written back

  ////////////////////////////////////////
  // Memories                            //
  ////////////////////////////////////////

  // history times: lane l of word w of neuron i is entry w * Lanes + l of the ring
  logic                      ht_re;
  logic [IdxWidth+WW-1:0]    ht_raddr, ht_waddr;
  logic [P-1:0]              ht_we;
  logic [31:0]               ht_wdata [P];
  logic [31:0]               ht_rdata [P];
  // history post traces (one entry per address), counts / heads
  logic                      tr_re, tr_we, m_re, m_we;
  logic [IdxWidth+HW-1:0]    tr_raddr, tr_waddr;
  logic [TrW-1:0]            tr_rdata, tr_wdata;
  logic [IdxWidth-1:0]       m_raddr, m_waddr;
  logic [MetaW-1:0]          m_rdata, m_wdata;
  // decay tables: a lut_plus copy per lane, one lut_minus copy
  logic [P-1:0]              lp_re;
  logic [LW-1:0]             lp_raddr [P];
  logic [LutW-1:0]           lp_rdata [P];
  logic                      lp_we, lm_re, lm_we;
  logic [LW-1:0]             lm_raddr, cp_waddr;
  logic [LutW-1:0]           lm_rdata, cp_wdata;

  for (genvar l = 0; l < P; l++) begin : g_lane
    axon_ram_1r1w #(
      .Width (32),
      .Depth (NumNeurons * WPN)
    ) u_time (
      .clk_i   (clk_i),
      .re_i    (ht_re),
      .raddr_i (ht_raddr),
      .rdata_o (ht_rdata[l]),
      .we_i    (ht_we[l]),
      .waddr_i (ht_waddr),
      .wdata_i (ht_wdata[l])
    );

    axon_ram_1r1w #(
      .Width (LutW),
      .Depth (LE)
    ) u_lut_plus (
      .clk_i   (clk_i),
      .re_i    (lp_re[l]),
      .raddr_i (lp_raddr[l]),
      .rdata_o (lp_rdata[l]),
      .we_i    (lp_we),
      .waddr_i (cp_waddr),
      .wdata_i (cp_wdata)
    );
  end

  axon_ram_1r1w #(
    .Width (LutW),
    .Depth (LE)
  ) u_lut_minus (
    .clk_i   (clk_i),
    .re_i    (lm_re),
    .raddr_i (lm_raddr),
    .rdata_o (lm_rdata),
    .we_i    (lm_we),
    .waddr_i (cp_waddr),
    .wdata_i (cp_wdata)
  );

  axon_ram_1r1w #(
    .Width (TrW),
    .Depth (NumNeurons * H)
  ) u_trace (
    .clk_i   (clk_i),
    .re_i    (tr_re),
    .raddr_i (tr_raddr),
    .rdata_o (tr_rdata),
    .we_i    (tr_we),
    .waddr_i (tr_waddr),
    .wdata_i (tr_wdata)
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
                       (state_q == StPostRule) | (state_q == StPostLut) | (state_q == StPostWr) |
                       (state_q == StPostShift);
  assign busy_o      = (state_q != StIdle);
  assign err_o       = err_q;

  ////////////////////////////////////////
  // Arithmetic                          //
  ////////////////////////////////////////

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

  logic        nearest, mult;
  logic [31:0] lp_len, lm_len;
  logic [LW-1:0] lp_loc, lm_loc;
  assign nearest = r_nearest_q[rule_q];
  assign mult    = r_mult_q[rule_q];
  assign lp_len  = r_lp_len_q[rule_q];
  assign lm_len  = r_lm_len_q[rule_q];
  assign lp_loc  = r_lp_loc_q[rule_q];
  assign lm_loc  = r_lm_loc_q[rule_q];

  // the post trace of rule r_q after the spike (StPostRule: no table entry, StPostLut: with it)
  logic [31:0] post_new;
  assign post_new = spike(r_nearest_q[r_q[RW-1:0]], (state_q == StPostLut) ?
                          decay(32'(ptr_q[16 * r_q[RW-1:0] +: 16]), mem_rdata_i) : '0);

  ////////////////////////////////////////
  // Row pipeline                        //
  ////////////////////////////////////////

  logic run;
  assign run = (state_q == StRowRun);

  // stage registers (valid bits and payloads)
  logic            w_v_q, m_v_q, s_v_q, l_v_q, p_v_q, q_v_q, b_v_q;
  logic [31:0]     m_sw_q, s_sw_q, l_sw_q, p_sw_q, q_sw_q, b_sw_q;   // synapse words
  logic [HW:0]     s_cnt_q;
  logic [HW-1:0]   s_head_q;
  logic [WW-1:0]   s_wi_q;                     // words of this synapse read before
  logic            s_found_q;                  // depression entry so far: found, age, time
  logic [HW-1:0]   s_jage_q;
  logic [31:0]     s_jsq_q;
  logic [HW:0]     s_nw_q;                     // potentiating pairs so far
  logic            l_first_q, l_last_q;
  logic [P-1:0]    l_hit_q, l_win_q;
  logic [HW-1:0]   l_age_q [P];
  logic            l_found_q;
  logic            l_lm_hit_q;
  logic [HW-1:0]   l_jage_q;
  logic [HW:0]     l_nw_q;
  logic [31:0]     l_lsum_q;                   // table entries of the earlier words
  logic [31:0]     p_w_q, q_w_q, b_w_q;        // u16.16
  logic [31:0]     p_lsum_q, p_y_q, q_y_q;
  logic            p_found_q, q_found_q;
  logic [HW-1:0]   p_jage_q;
  logic [HW:0]     p_np_q;                     // multiplicative terms left
  logic [15:0]     xs_q [H];                   // decayed pre traces by age (multiplicative)

  // --- stage S: the lanes of the history word in ht_rdata
  logic [IdxWidth-1:0] s_idx;
  logic [31:0]         s_d;
  logic [HW-1:0]       s_age [P];
  logic [P-1:0]        s_late, s_nonlate, s_win, s_hit;
  logic [31:0]         s_sq [P];
  logic [LW-1:0]       s_lpa [P];
  logic                s_cont, s_last, w_found;
  logic [HW-1:0]       w_jage, j_age;
  logic [31:0]         w_jsq, j_sq;
  logic                j_found;
  logic [HW:0]         s_nwin;

  assign s_idx  = s_sw_q[axon_pkg::SynIndexLsb +: IdxWidth];
  assign s_d    = 32'd1 + 32'(s_sw_q[axon_pkg::SynDelayM1Lsb +: 4]);

  always_comb begin
    w_found = 1'b0;
    w_jage  = '0;
    w_jsq   = '0;
    s_nwin  = '0;
    for (int unsigned l = 0; l < P; l++) begin
      s_age[l]     = HW'(32'(s_wi_q) * P + l);
      s_sq[l]      = ht_rdata[l] + s_d;
      s_late[l]    = (s_sq[l] >= t_q);
      s_nonlate[l] = ({1'b0, s_age[l]} < s_cnt_q) && !s_late[l];
      s_win[l]     = s_nonlate[l] && (x0_q != '0) && (s_sq[l] >= t0_q);
      s_hit[l]     = s_win[l] && (s_sq[l] - t0_q < lp_len);
      s_lpa[l]     = lp_loc + LW'(s_sq[l] - t0_q);
      if (s_win[l]) s_nwin = s_nwin + 1'b1;
    end
    // the newest entry before t among the lanes (ages are distinct)
    for (int unsigned l = 0; l < P; l++) begin
      if (s_nonlate[l] && (!w_found || s_age[l] < w_jage)) begin
        w_found = 1'b1;
        w_jage  = s_age[l];
        w_jsq   = s_sq[l];
      end
    end
    j_found = s_found_q;
    j_age   = s_jage_q;
    j_sq    = s_jsq_q;
    if (w_found && (!s_found_q || w_jage < s_jage_q)) begin
      j_found = 1'b1;
      j_age   = w_jage;
      j_sq    = w_jsq;
    end
    // the last lane holds the oldest entry read so far; go on while it is late or
    // potentiating and older entries remain
    s_cont = (32'(s_wi_q) + 1 < WPN) && (32'(s_age[P-1]) + 1 < 32'(s_cnt_q)) &&
             (s_late[P-1] || s_win[P-1]);
    s_last = !s_cont;
  end

  // --- stalls: P holds the pipeline while it applies multiplicative terms; S holds the
  // stages before it while it reads further words of a synapse
  logic stall_p, s_free, m_free, w_free, f_issue;
  assign stall_p = p_v_q && mult && (p_np_q > (HW + 1)'(1));
  assign s_free  = !s_v_q || (s_last && !stall_p);
  assign m_free  = !m_v_q || s_free;
  assign w_free  = !w_v_q || m_free;
  assign f_issue = run && w_free && (fk_q != n_q);

  // --- stage L: the table entries in lp_rdata, the depression's in tr_rdata / lm_rdata
  logic [31:0] l_bsum, l_lsum;
  always_comb begin
    l_bsum = '0;
    for (int unsigned l = 0; l < P; l++) begin
      if (l_hit_q[l]) l_bsum = l_bsum + 32'(lp_rdata[l]);
    end
    l_lsum = (l_first_q ? '0 : l_lsum_q) + l_bsum;
  end

  // --- stages P and Q: the weight-update units
  logic [31:0] wp_tr, wp_w, wq_w;
  assign wp_tr = mult ? 32'(xs_q[HW'(32'(p_jage_q) + 32'(p_np_q) - 1)]) : decay(x0_q, p_lsum_q);

  axon_stdp_wupd u_wupd_pot (
    .depress_i (1'b0),
    .mult_i    (mult),
    .w_i       (p_w_q),
    .w_min_i   (r_wmin_q[rule_q]),
    .w_max_i   (r_wmax_q[rule_q]),
    .amp_i     (r_aplus_q[rule_q]),
    .trace_i   (wp_tr),
    .w_o       (wp_w)
  );

  axon_stdp_wupd u_wupd_dep (
    .depress_i (1'b1),
    .mult_i    (mult),
    .w_i       (q_w_q),
    .w_min_i   (r_wmin_q[rule_q]),
    .w_max_i   (r_wmax_q[rule_q]),
    .amp_i     (r_aminus_q[rule_q]),
    .trace_i   (q_y_q),
    .w_o       (wq_w)
  );

  // P applies a term: additive when the summed entries are not 0, multiplicative per pair
  logic p_apply;
  assign p_apply = mult ? (p_np_q != '0) : (p_lsum_q != '0);

  // the rounded weight written back (stage B)
  logic [31:0] w_round;
  logic [31:0] b_d;
  assign w_round = (b_w_q + 32'(LutHalf)) >> 16;
  assign b_d     = 32'd1 + 32'(b_sw_q[axon_pkg::SynDelayM1Lsb +: 4]);

  logic drained;
  assign drained = !(w_v_q || m_v_q || s_v_q || l_v_q || p_v_q || q_v_q || b_v_q);

  ////////////////////////////////////////
  // Ports                               //
  ////////////////////////////////////////

  logic [HW-1:0] post_newest;
  assign post_newest = m_rdata[HW-1:0] - 1'b1;

  always_comb begin
    mem_re_o    = 1'b0;
    mem_raddr_o = '0;
    mem_we_o    = 1'b0;
    mem_waddr_o = '0;
    mem_wdata_o = '0;
    ht_re       = 1'b0;
    ht_raddr    = {s_idx, s_wi_q + 1'b1};
    ht_we       = '0;
    ht_waddr    = {idx_q, WW'(sh_k_q - 1'b1)};
    for (int unsigned l = 0; l < P; l++) begin
      ht_wdata[l] = (l == 0) ? sh_carry_q : ht_rdata[(l + P - 1) % P];
    end
    tr_re       = 1'b0;
    tr_raddr    = {s_idx, HW'(s_head_q - 1'b1 - j_age)};
    tr_we       = 1'b0;
    tr_waddr    = {idx_q, head_q};
    tr_wdata    = ntr_q;
    m_re        = 1'b0;
    m_raddr     = idx_q;
    m_we        = 1'b0;
    m_waddr     = idx_q;
    m_wdata     = {cnt_q + ((cnt_q == (HW + 1)'(H)) ? '0 : (HW + 1)'(1)), head_q + 1'b1};
    lp_re       = '0;
    for (int unsigned l = 0; l < P; l++) lp_raddr[l] = s_lpa[l];
    lm_re       = 1'b0;
    lm_raddr    = lm_loc + LW'(t_q - j_sq);
    lp_we       = cp_wv_q & ~cp_wm_q;
    lm_we       = cp_wv_q & cp_wm_q;
    cp_waddr    = cp_wa_q;
    cp_wdata    = LutW'(mem_rdata_i);
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
      StCopy: begin
        mem_re_o    = (32'(cp_k_q) < n_rules_q) && (cp_k_q != (RW + 1)'(Rules)) &&
                      (cp_i_q < cp_len) && !err_q && !(cp_i_q == '0 && cp_dup);
        mem_raddr_o = (cp_m_q ? r_lm_base_q[cp_k_q[RW-1:0]] : r_lp_base_q[cp_k_q[RW-1:0]]) +
                      MW'(cp_i_q);
      end
      StClear: begin
        m_we    = 1'b1;
        m_waddr = IdxWidth'(ld_cnt_q);
        m_wdata = '0;
      end
      StPostMeta: begin
        ht_re    = 1'b1;
        ht_raddr = {idx_q, WW'(0)};
        tr_re    = 1'b1;
        tr_raddr = {idx_q, post_newest};
      end
      StPostRule: begin
        mem_re_o    = (32'(r_q) < n_rules_q) && (cnt_q != '0) && (t_q - tp_q < r_lm_len_q[r_q[RW-1:0]]);
        mem_raddr_o = r_lm_base_q[r_q[RW-1:0]] + MW'(t_q - tp_q);
      end
      StPostWr: begin
        tr_we = 1'b1;
        m_we  = 1'b1;
      end
      StPostShift: begin
        // read word k, write word k - 1 shifted by one lane (lane 0 from word k - 2)
        ht_re    = (32'(sh_k_q) < WPN);
        ht_raddr = {idx_q, WW'(sh_k_q)};
        ht_we    = (sh_k_q != '0) ? '1 : '0;
      end
      StRowT0: begin
        mem_re_o    = 1'b1;
        mem_raddr_o = a_q + MW'(axon_pkg::ProwPreTime);
      end
      StRowX0: begin
        mem_re_o    = 1'b1;
        mem_raddr_o = a_q + MW'(axon_pkg::ProwPreTrace);
      end
      StRowRun: begin
        // F: the next synapse word
        mem_re_o    = f_issue;
        mem_raddr_o = a_q + MW'(axon_pkg::PlastRowOverhead) + MW'(fk_q);
        // W: the neuron's count / head, when the word moves on to M
        m_re    = w_v_q && m_free;
        m_raddr = mem_rdata_i[axon_pkg::SynIndexLsb +: IdxWidth];
        // S: the next word of this synapse, or M's first word when S takes it
        if (s_v_q && s_cont && !stall_p) begin
          ht_re = 1'b1;
        end else if (m_v_q && s_free) begin
          ht_re    = 1'b1;
          ht_raddr = {m_sw_q[axon_pkg::SynIndexLsb +: IdxWidth], WW'(0)};
        end
        // S: table entries of the lanes; on its last word the depression's trace and entry
        if (s_v_q && !stall_p) begin
          lp_re = s_hit;
          if (s_last && j_found) begin
            tr_re = 1'b1;
            lm_re = (t_q - j_sq < lm_len);
          end
        end
        // B: write-back and ring-buffer add
        mem_we_o    = b_v_q;
        mem_waddr_o = a_q + MW'(axon_pkg::PlastRowOverhead) + MW'(bk_q);
        mem_wdata_o = (b_sw_q & ~(32'(16'hFFFF) << axon_pkg::SynWeightLsb)) |
                      (w_round << axon_pkg::SynWeightLsb);
        acc_valid_o = b_v_q;
      end
      StFinLut: begin
        lp_re[0]    = (t_q - t0_q < lp_len);
        lp_raddr[0] = lp_loc + LW'(t_q - t0_q);
      end
      StFin1: begin
        mem_we_o    = 1'b1;
        mem_waddr_o = a_q + MW'(axon_pkg::ProwPreTrace);
        mem_wdata_o = spike(nearest, fin_hit_q ? decay(x0_q, 32'(lp_rdata[0])) : '0);
      end
      StFin2: begin
        mem_we_o    = 1'b1;
        mem_waddr_o = a_q + MW'(axon_pkg::ProwPreTime);
        mem_wdata_o = t_q;
      end
      default: ;
    endcase
  end

  assign acc_slot_o   = SlotWidth'(t_q + b_d);
  assign acc_type_o   = b_sw_q[axon_pkg::SynTypeLsb];
  assign acc_idx_o    = b_sw_q[axon_pkg::SynIndexLsb +: IdxWidth];
  assign acc_weight_o = w_round[15:0];

  // --- stage L: the depression's trace
  logic [31:0] l_y;
  assign l_y = l_lm_hit_q ? decay(32'(tr_rdata[16 * rule_q +: 16]), 32'(lm_rdata)) : '0;

  ////////////////////////////////////////
  // Registers                           //
  ////////////////////////////////////////

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

  // decayed pre traces of the potentiating pairs, by age (stage L, multiplicative rule)
  always_ff @(posedge clk_i) begin
    if (run && l_v_q && !stall_p) begin
      for (int unsigned l = 0; l < P; l++) begin
        if (l_win_q[l]) begin
          xs_q[l_age_q[l]] <= l_hit_q[l] ? 16'(decay(x0_q, 32'(lp_rdata[l]))) : '0;
        end
      end
    end
  end

  // the synapse pipeline (stage payloads need no reset: the valid bits guard them)
  always_ff @(posedge clk_i) begin
    if (run) begin
      if (m_free && w_v_q) m_sw_q <= mem_rdata_i;
      if (s_free) begin
        s_sw_q    <= m_sw_q;
        s_cnt_q   <= m_rdata[MetaW-1 -: HW + 1];
        s_head_q  <= m_rdata[HW-1:0];
        s_wi_q    <= '0;
        s_found_q <= 1'b0;
        s_jage_q  <= '0;
        s_jsq_q   <= '0;
        s_nw_q    <= '0;
      end else if (s_v_q && !stall_p) begin  // S goes on with the next word
        s_wi_q    <= s_wi_q + 1'b1;
        s_found_q <= j_found;
        s_jage_q  <= j_age;
        s_jsq_q   <= j_sq;
        s_nw_q    <= s_nw_q + s_nwin;
      end
      if (!stall_p) begin
        l_first_q  <= (s_wi_q == '0);
        l_last_q   <= s_last;
        l_hit_q    <= s_hit;
        l_win_q    <= s_win;
        for (int unsigned l = 0; l < P; l++) l_age_q[l] <= s_age[l];
        l_sw_q     <= s_sw_q;
        l_found_q  <= j_found;
        l_jage_q   <= j_age;
        l_lm_hit_q <= j_found && (t_q - j_sq < lm_len);
        l_nw_q     <= s_nw_q + s_nwin;
        if (l_v_q) l_lsum_q <= l_lsum;
      end
      if (!stall_p) begin
        // P takes L's synapse after its last word
        p_sw_q    <= l_sw_q;
        p_w_q     <= {l_sw_q[axon_pkg::SynWeightLsb +: 16], 16'd0};
        p_lsum_q  <= l_lsum;
        p_np_q    <= l_nw_q;
        p_found_q <= l_found_q;
        p_jage_q  <= l_jage_q;
        p_y_q     <= l_y;
      end else begin
        p_w_q  <= wp_w;  // a multiplicative term, oldest pair first
        p_np_q <= p_np_q - 1'b1;
      end
      if (!stall_p) begin
        q_sw_q    <= p_sw_q;
        q_w_q     <= p_apply ? wp_w : p_w_q;
        q_found_q <= p_found_q;
        q_y_q     <= p_y_q;
      end
      b_sw_q <= q_sw_q;
      b_w_q  <= q_found_q ? wq_w : q_w_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_v_q <= 1'b0;
      m_v_q <= 1'b0;
      s_v_q <= 1'b0;
      l_v_q <= 1'b0;
      p_v_q <= 1'b0;
      q_v_q <= 1'b0;
      b_v_q <= 1'b0;
    end else if (!run) begin
      w_v_q <= 1'b0;
      m_v_q <= 1'b0;
      s_v_q <= 1'b0;
      l_v_q <= 1'b0;
      p_v_q <= 1'b0;
      q_v_q <= 1'b0;
      b_v_q <= 1'b0;
    end else begin
      if (w_free) w_v_q <= f_issue;
      if (m_free) m_v_q <= w_v_q;
      if (s_free) s_v_q <= m_v_q;
      if (!stall_p) begin
        l_v_q <= s_v_q;
        p_v_q <= l_v_q && l_last_q;
        q_v_q <= p_v_q;
      end else begin
        q_v_q <= 1'b0;
      end
      b_v_q <= q_v_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      ld_cnt_q   <= '0;
      ld_k_q     <= '0;
      ld_f_q     <= '0;
      ld_dv_q    <= 1'b0;
      cp_k_q     <= '0;
      cp_m_q     <= 1'b0;
      cp_i_q     <= '0;
      fill_p_q   <= '0;
      fill_m_q   <= '0;
      cp_wv_q    <= 1'b0;
      cp_wm_q    <= 1'b0;
      cp_wa_q    <= '0;
      err_q      <= 1'b0;
      idx_q      <= '0;
      cnt_q      <= '0;
      head_q     <= '0;
      r_q        <= '0;
      tp_q       <= '0;
      sh_k_q     <= '0;
      sh_carry_q <= '0;
      ptr_q      <= '0;
      ntr_q      <= '0;
      t_q        <= '0;
      t0_q       <= '0;
      x0_q       <= '0;
      x0_first_q <= 1'b0;
      fin_hit_q  <= 1'b0;
      rule_q     <= '0;
      a_q        <= '0;
      n_q        <= '0;
      fk_q       <= '0;
      bk_q       <= '0;
      for (int unsigned k = 0; k < Rules; k++) begin
        r_lp_loc_q[k] <= '0;
        r_lm_loc_q[k] <= '0;
      end
    end else if (load_i) begin
      state_q  <= StLoad;
      ld_cnt_q <= '0;
      ld_k_q   <= '0;
      ld_f_q   <= '0;
      ld_dv_q  <= 1'b0;
      err_q    <= 1'b0;
    end else begin
      cp_wv_q <= 1'b0;
      unique case (state_q)
        StIdle: begin
          if (row_start_i) begin
            a_q     <= row_addr_i;
            n_q     <= row_n_i;
            rule_q  <= RW'(row_rule_i);
            t_q     <= t_i;
            fk_q    <= '0;
            bk_q    <= '0;
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
            cp_k_q   <= '0;
            cp_m_q   <= 1'b0;
            cp_i_q   <= '0;
            fill_p_q <= '0;
            fill_m_q <= '0;
            state_q  <= StCopy;
          end
        end
        // tables one entry per clock: read from core memory, written the next clock
        StCopy: begin
          cp_wv_q <= mem_re_o;
          cp_wm_q <= cp_m_q;
          cp_wa_q <= LW'(cp_fill + (LW + 1)'(cp_i_q));
          if (32'(cp_k_q) >= n_rules_q || cp_k_q == (RW + 1)'(Rules) || err_q) begin
            if (!cp_wv_q) begin
              ld_cnt_q <= '0;
              state_q  <= StClear;
            end
          end else if (cp_i_q == '0 && cp_dup) begin
            // an earlier rule's table (same region words): share its copy
            if (cp_m_q) r_lm_loc_q[cp_k_q[RW-1:0]] <= cp_dup_loc;
            else        r_lp_loc_q[cp_k_q[RW-1:0]] <= cp_dup_loc;
            if (cp_m_q) cp_k_q <= cp_k_q + 1'b1;
            cp_m_q <= ~cp_m_q;
          end else if (cp_i_q == '0 && 33'(cp_fill) + 33'(cp_len) > 33'(LE)) begin
            err_q <= 1'b1;  // the tables do not fit: boot fails (CifErrPlastic)
          end else if (mem_re_o) begin
            cp_i_q <= cp_i_q + 32'd1;
            if (cp_i_q == '0) begin
              if (cp_m_q) r_lm_loc_q[cp_k_q[RW-1:0]] <= LW'(fill_m_q);
              else        r_lp_loc_q[cp_k_q[RW-1:0]] <= LW'(fill_p_q);
            end
          end else begin
            // table done (tables have at least one entry: images are validated)
            cp_i_q <= '0;
            if (cp_m_q) begin
              fill_m_q <= fill_m_q + (LW + 1)'(r_lm_len_q[cp_k_q[RW-1:0]]);
              cp_k_q   <= cp_k_q + 1'b1;
            end else begin
              fill_p_q <= fill_p_q + (LW + 1)'(r_lp_len_q[cp_k_q[RW-1:0]]);
            end
            cp_m_q <= ~cp_m_q;
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
          tp_q    <= ht_rdata[0];
          ptr_q   <= tr_rdata;
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
        StPostWr: begin
          sh_k_q     <= '0;
          sh_carry_q <= t_q;
          state_q    <= StPostShift;
        end
        StPostShift: begin
          sh_k_q <= sh_k_q + 1'b1;
          if (sh_k_q != '0) sh_carry_q <= ht_rdata[P-1];
          if (32'(sh_k_q) == WPN) state_q <= StIdle;
        end
        // ---- plastic row at a_q
        StRowT0: state_q <= StRowX0;
        StRowX0: begin
          t0_q       <= mem_rdata_i;
          x0_first_q <= 1'b1;
          state_q    <= StRowRun;
        end
        StRowRun: begin
          x0_first_q <= 1'b0;
          if (x0_first_q) x0_q <= mem_rdata_i;
          if (f_issue) fk_q <= fk_q + 16'd1;
          if (b_v_q) bk_q <= bk_q + 16'd1;
          if (!x0_first_q && fk_q == n_q && drained) state_q <= StFinLut;
        end
        StFinLut: begin
          fin_hit_q <= lp_re[0];
          state_q   <= StFin1;
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
