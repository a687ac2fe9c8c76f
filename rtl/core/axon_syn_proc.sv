// Packet processing of a core (docs/spec/synapses.md): takes one multicast packet,
// looks its key up in the population table (axon_mpt_lookup), fetches the selected row's
// header and then one synapse word per clock from core memory, and sends each synapse
// (slot (t + delay) mod 16, type, index, weight) to the ring buffer's accumulate port, where
// t = step_i - 1 is the step whose packets are being delivered (step_i = steps completed).
// On a delay-extension core a match hands the source neuron to axon_delay_ext (de_rx_o).
// Counter pulses: packets_in, mpt_miss, row_invalid, synaptic_events (one per word).
// The caller accepts packets (en_i) only while the ring buffer accepts an event every clock
// (no neuron sweep, no clear), so the row stream never stalls: a row of n synapses takes
// n + 2 clocks after the lookup. A plastic row (header bit `plastic`, on a core with
// plasticity: plast_en_i) is handed to axon_plast (prow_start_o) after its header; the
// processor waits until that row is done (prow_busy_i).
module axon_syn_proc #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  localparam int unsigned IdxWidth  = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned SlotWidth = $clog2(axon_pkg::SynRingSlots)
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    en_i,
  // core configuration (header)
  input  logic                    neuron_core_i,
  input  logic                    de_i,           // a delay-extension core
  input  logic [15:0]             de_n_i,
  input  logic [MemWordsLog2-1:0] mpt_off_i,
  input  logic [15:0]             mpt_n_i,
  input  logic [MemWordsLog2-1:0] syn_off_i,
  input  logic [SlotWidth-1:0]    step_i,
  input  logic                    plast_en_i,     // the core has a plasticity region
  // packets
  input  logic                    pkt_valid_i,
  output logic                    pkt_ready_o,
  input  logic [31:0]             pkt_key_i,
  output logic                    busy_o,
  // core memory read port
  output logic                    mem_re_o,
  output logic [MemWordsLog2-1:0] mem_addr_o,
  input  logic [31:0]             mem_rdata_i,
  // a plastic row for axon_plast: its first word, synapse count and rule
  output logic                    prow_start_o,
  output logic [MemWordsLog2-1:0] prow_addr_o,
  output logic [15:0]             prow_n_o,
  output logic [1:0]              prow_rule_o,
  input  logic                    prow_busy_i,
  // ring-buffer accumulate port
  output logic                    acc_valid_o,
  output logic [SlotWidth-1:0]    acc_slot_o,
  output logic                    acc_type_o,
  output logic [IdxWidth-1:0]     acc_idx_o,
  output logic [15:0]             acc_weight_o,
  // a spike for a delay extension: its source neuron
  output logic                    de_rx_o,
  output logic [IdxWidth-1:0]     de_idx_o,
  // counter pulses
  output logic                    cnt_pkt_o,
  output logic                    cnt_miss_o,
  output logic                    cnt_invalid_o,
  output logic                    cnt_event_o
);

  typedef enum logic [2:0] {
    StIdle,
    StLookup,
    StHeader,
    StHeaderWait,
    StRow,
    StPlast
  } state_e;

  state_e                  state_q;
  logic                    lk_start, lk_busy, lk_done, lk_miss, lk_invalid, lk_re;
  logic [31:0]             lk_row;
  logic [MemWordsLog2-1:0] lk_addr, addr_q;
  logic [15:0]             left_q;
  logic                    pend_q;

  assign pkt_ready_o = en_i & (state_q == StIdle);
  assign lk_start    = pkt_valid_i & pkt_ready_o;
  assign cnt_pkt_o   = lk_start;
  assign busy_o      = (state_q != StIdle) | pend_q;

  axon_mpt_lookup #(
    .MemWordsLog2 (MemWordsLog2)
  ) u_lookup (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (lk_start),
    .key_i         (pkt_key_i),
    .mpt_off_i     (mpt_off_i),
    .mpt_n_i       (mpt_n_i),
    .neuron_core_i (neuron_core_i),
    .de_i          (de_i),
    .de_n_i        (de_n_i),
    .busy_o        (lk_busy),
    .done_o        (lk_done),
    .miss_o        (lk_miss),
    .invalid_o     (lk_invalid),
    .row_o         (lk_row),
    .mem_re_o      (lk_re),
    .mem_addr_o    (lk_addr),
    .mem_rdata_i   (mem_rdata_i)
  );

  wire lk_end = (state_q == StLookup) & lk_done & ~lk_busy;
  assign cnt_miss_o    = lk_end & lk_miss;
  assign cnt_invalid_o = lk_end & lk_invalid;
  assign de_rx_o       = lk_end & de_i & ~lk_miss & ~lk_invalid;
  assign de_idx_o      = lk_row[IdxWidth-1:0];

  always_comb begin
    mem_re_o   = lk_re;
    mem_addr_o = lk_addr;
    if (state_q == StHeader || state_q == StRow) begin
      mem_re_o   = (state_q == StHeader) | (left_q != '0);
      mem_addr_o = addr_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      addr_q  <= '0;
      left_q  <= '0;
      pend_q  <= 1'b0;
    end else begin
      pend_q <= (state_q == StRow) & (left_q != '0);
      unique case (state_q)
        StIdle: if (lk_start) state_q <= StLookup;
        StLookup: begin
          if (lk_end) begin
            addr_q  <= syn_off_i + MemWordsLog2'(lk_row);
            state_q <= (lk_miss | lk_invalid | de_i) ? StIdle : StHeader;
          end
        end
        StHeader: begin
          addr_q  <= addr_q + 1'b1;
          state_q <= StHeaderWait;
        end
        StHeaderWait: begin
          left_q  <= mem_rdata_i[axon_pkg::RowNStaticLsb +: 16];
          state_q <= prow_start_o ? StPlast : StRow;
        end
        StPlast: if (!prow_busy_i) state_q <= StIdle;
        StRow: begin
          if (left_q == '0) begin
            state_q <= StIdle;
          end else begin
            addr_q <= addr_q + 1'b1;
            left_q <= left_q - 16'd1;
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // the header read in the previous cycle (StHeaderWait) of a plastic row
  assign prow_start_o = (state_q == StHeaderWait) & plast_en_i &
                        mem_rdata_i[axon_pkg::ProwPlasticLsb];
  assign prow_addr_o  = addr_q - 1'b1;
  assign prow_n_o     = mem_rdata_i[axon_pkg::RowNStaticLsb +: 16];
  assign prow_rule_o  = mem_rdata_i[axon_pkg::ProwRuleLsb +: 2];

  // the synapse word read in the previous cycle
  logic [3:0] delay_m1;
  assign delay_m1     = mem_rdata_i[axon_pkg::SynDelayM1Lsb +: 4];
  assign acc_valid_o  = pend_q;
  assign cnt_event_o  = pend_q;
  assign acc_slot_o   = step_i + SlotWidth'(delay_m1);
  assign acc_type_o   = mem_rdata_i[axon_pkg::SynTypeLsb];
  assign acc_idx_o    = mem_rdata_i[axon_pkg::SynIndexLsb +: IdxWidth];
  assign acc_weight_o = mem_rdata_i[axon_pkg::SynWeightLsb +: 16];

  // (rows lie inside core memory: validated by the host)
  logic unused_row;
  assign unused_row = ^lk_row[31:MemWordsLog2];

endmodule
