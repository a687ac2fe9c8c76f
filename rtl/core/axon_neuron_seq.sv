// Neuron sweep of one timestep (docs/spec/models.md, docs/rtl.md "Neuron core"): for every
// neuron i < n_i in ascending order it reads the parameter block, the state block, the
// recording selection and both ring-buffer words of slot t mod 16 (read-and-clear), feeds
// them to the model's update unit (axon_lif_update, one neuron per clock, or
// axon_izk_update, one per 8 clocks), and for each result writes the new state back, and
// reports a spike, the recorded samples and the saturations.
//
// Stages: issue (RAM reads of neuron i) -> hold (the RAMs' read registers; the ring-buffer
// words are kept in a register because its read port answers for one cycle only) -> update
// unit -> write-back. A read is issued whenever the hold is free or handed to the unit, so
// the LIF sweep takes n + 12 clocks. The recording selection of each neuron travels beside
// the unit in a small FIFO (results come out in order). Every consumer of the results
// accepts one per clock (the output FIFO holds one spike per neuron), so the units never
// stall at their outputs.
module axon_neuron_seq #(
  parameter int unsigned NumNeurons = 256,
  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned NWidth     = $clog2(NumNeurons + 1),
  localparam int unsigned ParamWords = axon_pkg::PIFcondexpWords,
  localparam int unsigned StateWords = axon_pkg::SIFcurralphaWords,
  localparam int unsigned SlotWidth  = $clog2(axon_pkg::SynRingSlots)
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  input  logic                         start_i,
  output logic                         busy_o,
  output logic                         done_o,
  // core configuration
  input  logic [2:0]                   model_i,
  input  logic [7:0]                   shift_i,
  input  logic [NWidth-1:0]            n_i,
  input  logic [SlotWidth-1:0]         slot_i,
  input  logic                         sampling_i,
  // per-neuron memories (read data the cycle after re)
  output logic                         mem_re_o,
  output logic [IdxWidth-1:0]          mem_raddr_o,
  input  logic [ParamWords*32-1:0]     param_rdata_i,
  input  logic [StateWords*32-1:0]     state_rdata_i,
  input  logic [axon_pkg::NRecVars-1:0] recsel_rdata_i,
  output logic                         state_we_o,
  output logic [IdxWidth-1:0]          state_waddr_o,
  output logic [StateWords*32-1:0]     state_wdata_o,
  // ring buffer read-and-clear port
  output logic                         rb_req_o,
  output logic [SlotWidth-1:0]         rb_slot_o,
  output logic [IdxWidth-1:0]          rb_idx_o,
  input  logic                         rb_rvalid_i,
  input  logic [33:0]                  rb_rdata_i,
  // results
  output logic                         spike_o,        // neuron out_idx_o fired
  output logic                         spike_rec_o,    // ... and its spikes are recorded
  output logic [IdxWidth-1:0]          out_idx_o,
  output logic                         smp_v_o,        // sample words to record
  output logic                         smp_ge_o,
  output logic                         smp_gi_o,
  output logic [31:0]                  smp_v_data_o,
  output logic [31:0]                  smp_ge_data_o,
  output logic [31:0]                  smp_gi_data_o,
  output logic [1:0]                   sat_o           // saturated accumulators consumed
);

  localparam int unsigned IzkParamWords = axon_pkg::PIzhikevichWords;
  localparam int unsigned IzkStateWords = axon_pkg::SIzhikevichWords;

  logic                is_izk;
  logic                run_q, hold_q, fire, issue;
  logic [NWidth-1:0]   rd_i_q, wr_n_q;
  logic [IdxWidth-1:0] hold_idx_q;
  logic [33:0]         rb_q, rb_word;

  assign is_izk = (model_i == 3'(axon_pkg::ModelIzhikevich));

  // issue stage
  logic in_ready;
  assign fire  = hold_q & in_ready;
  assign issue = run_q & (rd_i_q != n_i) & (~hold_q | fire);

  assign mem_re_o    = issue;
  assign mem_raddr_o = IdxWidth'(rd_i_q);
  assign rb_req_o    = issue;
  assign rb_slot_o   = slot_i;
  assign rb_idx_o    = IdxWidth'(rd_i_q);
  assign rb_word     = rb_rvalid_i ? rb_rdata_i : rb_q;

  logic out_valid;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q      <= 1'b0;
      hold_q     <= 1'b0;
      rd_i_q     <= '0;
      wr_n_q     <= '0;
      hold_idx_q <= '0;
      rb_q       <= '0;
    end else begin
      if (start_i) begin
        run_q  <= 1'b1;
        rd_i_q <= '0;
        wr_n_q <= '0;
      end else begin
        if (issue) begin
          rd_i_q     <= rd_i_q + 1'b1;
          hold_idx_q <= IdxWidth'(rd_i_q);
        end
        if (out_valid) begin
          wr_n_q <= wr_n_q + 1'b1;
        end
        if (run_q && wr_n_q == n_i) begin
          run_q <= 1'b0;
        end
      end
      if (issue) begin
        hold_q <= 1'b1;
      end else if (fire) begin
        hold_q <= 1'b0;
      end
      if (rb_rvalid_i) begin
        rb_q <= rb_rdata_i;
      end
    end
  end

  assign busy_o = run_q;
  assign done_o = run_q & (wr_n_q == n_i);

  ///////////////////////////
  // Update units          //
  ///////////////////////////

  logic                        lif_ready, izk_ready, lif_valid, izk_valid;
  logic [IdxWidth-1:0]         lif_idx, izk_idx;
  logic [StateWords*32-1:0]    lif_state;
  logic [IzkStateWords*32-1:0] izk_state;
  logic [31:0]                 lif_v, lif_ge, lif_gi, izk_v, izk_ge, izk_gi;
  logic                        lif_spike, izk_spike;
  logic [1:0]                  lif_sat, izk_sat;

  assign in_ready = is_izk ? izk_ready : lif_ready;

  axon_lif_update #(
    .NumNeurons (NumNeurons)
  ) u_lif (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cfg_model_i    (model_i),
    .cfg_shift_i    (shift_i),
    .in_valid_i     (hold_q & ~is_izk),
    .in_ready_o     (lif_ready),
    .in_idx_i       (hold_idx_q),
    .in_param_i     (param_rdata_i),
    .in_state_i     (state_rdata_i),
    .in_rb_exc_i    (rb_word[16:0]),
    .in_rb_inh_i    (rb_word[33:17]),
    .out_valid_o    (lif_valid),
    .out_ready_i    (1'b1),
    .out_idx_o      (lif_idx),
    .out_state_o    (lif_state),
    .out_v_o        (lif_v),
    .out_gsyn_exc_o (lif_ge),
    .out_gsyn_inh_o (lif_gi),
    .out_spike_o    (lif_spike),
    .out_sat_o      (lif_sat)
  );

  axon_izk_update #(
    .NumNeurons (NumNeurons)
  ) u_izk (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cfg_shift_i    (shift_i),
    .in_valid_i     (hold_q & is_izk),
    .in_ready_o     (izk_ready),
    .in_idx_i       (hold_idx_q),
    .in_param_i     (param_rdata_i[IzkParamWords*32-1:0]),
    .in_state_i     (state_rdata_i[IzkStateWords*32-1:0]),
    .in_rb_exc_i    (rb_word[16:0]),
    .in_rb_inh_i    (rb_word[33:17]),
    .out_valid_o    (izk_valid),
    .out_ready_i    (1'b1),
    .out_idx_o      (izk_idx),
    .out_state_o    (izk_state),
    .out_v_o        (izk_v),
    .out_gsyn_exc_o (izk_ge),
    .out_gsyn_inh_o (izk_gi),
    .out_spike_o    (izk_spike),
    .out_sat_o      (izk_sat)
  );

  ///////////////////////////////////////////
  // Recording selection beside the unit   //
  ///////////////////////////////////////////

  localparam int unsigned SelDepth = 16;  // > the LIF unit's latency
  logic [axon_pkg::NRecVars-1:0] sel_q [SelDepth];
  logic [3:0]                    sel_w_q, sel_r_q;
  logic [axon_pkg::NRecVars-1:0] sel;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sel_w_q <= '0;
      sel_r_q <= '0;
    end else if (start_i) begin
      sel_w_q <= '0;
      sel_r_q <= '0;
    end else begin
      if (fire) begin
        sel_w_q <= sel_w_q + 1'b1;
      end
      if (out_valid) begin
        sel_r_q <= sel_r_q + 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (fire) begin
      sel_q[sel_w_q] <= recsel_rdata_i;
    end
  end

  assign sel = sel_q[sel_r_q];

  ///////////////////////////
  // Write-back, results   //
  ///////////////////////////

  logic spike;
  assign out_valid     = is_izk ? izk_valid : lif_valid;
  assign spike         = is_izk ? izk_spike : lif_spike;
  assign state_we_o    = out_valid;
  assign state_waddr_o = is_izk ? izk_idx : lif_idx;
  assign state_wdata_o = is_izk ? (StateWords*32)'(izk_state) : lif_state;
  assign out_idx_o     = state_waddr_o;
  assign spike_o       = out_valid & spike;
  assign spike_rec_o   = out_valid & spike & sel[axon_pkg::RecVarSpikes];
  assign smp_v_o       = out_valid & sampling_i & sel[axon_pkg::RecVarV];
  assign smp_ge_o      = out_valid & sampling_i & sel[axon_pkg::RecVarGsynExc];
  assign smp_gi_o      = out_valid & sampling_i & sel[axon_pkg::RecVarGsynInh];
  assign smp_v_data_o  = is_izk ? izk_v : lif_v;
  assign smp_ge_data_o = is_izk ? izk_ge : lif_ge;
  assign smp_gi_data_o = is_izk ? izk_gi : lif_gi;
  assign sat_o         = out_valid ? (is_izk ? izk_sat : lif_sat) : 2'b00;

endmodule
