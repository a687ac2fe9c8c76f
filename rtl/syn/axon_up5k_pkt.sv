// Place-and-route harness for the UP5K timing measurement (rtl/syn/pnr_up5k.sh): the core's
// packet path (axon_syn_proc with axon_mpt_lookup, a core memory of 2^MemWordsLog2 words in
// block RAM, axon_ring_buffer) with its inputs driven from a scan shift register fed by one
// pin and its outputs folded into one registered pin. Not part of the neuron core.
module axon_up5k_pkt #(
  parameter int unsigned NumNeurons   = 128,
  parameter int unsigned MemWordsLog2 = 10,
  localparam int unsigned IdxWidth  = $clog2(NumNeurons),
  localparam int unsigned SlotWidth = $clog2(axon_pkg::SynRingSlots),
  localparam int unsigned InWidth   = 3 + 32 + 1 + MemWordsLog2 + 32 + 1 + SlotWidth + IdxWidth +
                                      3 * MemWordsLog2 + 16 + SlotWidth
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic scan_i,
  output logic fold_o
);

  logic [InWidth-1:0] scan_q;
  logic               fold_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      scan_q <= '0;
    end else begin
      scan_q <= {scan_q[InWidth-2:0], scan_i};
    end
  end

  // scan fields
  localparam int unsigned OKey   = 3;
  localparam int unsigned OWe    = OKey + 32;
  localparam int unsigned OWAddr = OWe + 1;
  localparam int unsigned OWData = OWAddr + MemWordsLog2;
  localparam int unsigned ORd    = OWData + 32;
  localparam int unsigned OSlot  = ORd + 1;
  localparam int unsigned OIdx   = OSlot + SlotWidth;
  localparam int unsigned OMpt   = OIdx + IdxWidth;
  localparam int unsigned OSyn   = OMpt + MemWordsLog2;
  localparam int unsigned ODeN   = OSyn + MemWordsLog2;
  localparam int unsigned OMptN  = ODeN + MemWordsLog2;
  localparam int unsigned OStep  = OMptN + 16;

  logic                    mem_re, pkt_ready, busy, acc_valid, acc_type, acc_ready;
  logic                    rb_busy, rd_gnt, rvalid, de_rx;
  logic                    cnt_pkt, cnt_miss, cnt_invalid, cnt_event;
  logic [MemWordsLog2-1:0] mem_addr;
  logic [31:0]             mem_rdata;
  logic [SlotWidth-1:0]    acc_slot;
  logic [IdxWidth-1:0]     acc_idx, de_idx;
  logic [15:0]             acc_weight;
  logic [33:0]             rd_data;

  axon_ram_1r1w #(
    .Width (32),
    .Depth (1 << MemWordsLog2)
  ) u_mem (
    .clk_i   (clk_i),
    .re_i    (mem_re),
    .raddr_i (mem_addr),
    .rdata_o (mem_rdata),
    .we_i    (scan_q[OWe]),
    .waddr_i (scan_q[OWAddr +: MemWordsLog2]),
    .wdata_i (scan_q[OWData +: 32])
  );

  logic                    prow_start;
  logic [MemWordsLog2-1:0] prow_addr;
  logic [15:0]             prow_n;
  logic [1:0]              prow_rule;
  logic                    unused_prow;
  assign unused_prow = ^{prow_start, prow_addr, prow_n, prow_rule};

  axon_syn_proc #(
    .NumNeurons   (NumNeurons),
    .MemWordsLog2 (MemWordsLog2)
  ) u_syn (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .en_i          (scan_q[0] & ~rb_busy),
    .neuron_core_i (scan_q[1]),
    .de_i          (scan_q[2]),
    .de_n_i        (16'(scan_q[ODeN +: MemWordsLog2])),
    .mpt_off_i     (scan_q[OMpt +: MemWordsLog2]),
    .mpt_n_i       (scan_q[OMptN +: 16]),
    .syn_off_i     (scan_q[OSyn +: MemWordsLog2]),
    .step_i        (scan_q[OStep +: SlotWidth]),
    .plast_en_i    (1'b0),  // the static packet path only
    .pkt_valid_i   (scan_q[OKey - 1]),
    .pkt_ready_o   (pkt_ready),
    .pkt_key_i     (scan_q[OKey +: 32]),
    .busy_o        (busy),
    .mem_re_o      (mem_re),
    .mem_addr_o    (mem_addr),
    .mem_rdata_i   (mem_rdata),
    .prow_start_o  (prow_start),
    .prow_addr_o   (prow_addr),
    .prow_n_o      (prow_n),
    .prow_rule_o   (prow_rule),
    .prow_busy_i   (1'b0),
    .acc_valid_o   (acc_valid),
    .acc_slot_o    (acc_slot),
    .acc_type_o    (acc_type),
    .acc_idx_o     (acc_idx),
    .acc_weight_o  (acc_weight),
    .de_rx_o       (de_rx),
    .de_idx_o      (de_idx),
    .cnt_pkt_o     (cnt_pkt),
    .cnt_miss_o    (cnt_miss),
    .cnt_invalid_o (cnt_invalid),
    .cnt_event_o   (cnt_event)
  );

  axon_ring_buffer #(
    .NumNeurons (NumNeurons)
  ) u_rb (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (1'b0),
    .busy_o       (rb_busy),
    .rd_req_i     (scan_q[ORd]),
    .rd_gnt_o     (rd_gnt),
    .rd_slot_i    (scan_q[OSlot +: SlotWidth]),
    .rd_idx_i     (scan_q[OIdx +: IdxWidth]),
    .rd_rvalid_o  (rvalid),
    .rd_rdata_o   (rd_data),
    .acc_valid_i  (acc_valid),
    .acc_ready_o  (acc_ready),
    .acc_slot_i   (acc_slot),
    .acc_type_i   (acc_type),
    .acc_idx_i    (acc_idx),
    .acc_weight_i (acc_weight)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fold_q <= 1'b0;
    end else begin
      fold_q <= ^{pkt_ready, busy, rd_gnt, rvalid, rd_data, acc_ready, de_rx, de_idx, cnt_pkt,
                  cnt_miss, cnt_invalid, cnt_event};
    end
  end

  assign fold_o = fold_q;

endmodule
