// Delay-extension core (docs/spec/synapses.md "Delay extension"), as delay_update() and
// core_de_receive() of the golden engine:
//  * receive (rx_i, between steps): the spike of source neuron rx_idx_i delivered in step t
//    (the step whose update has run: step_i - 1) adds one to its count in slot t mod 128,
//    saturating at 255 (read-modify-write, 2 clocks);
//  * step t (start_i): for stages s = 1..8 with 16 s <= t, for every neuron i whose stage
//    mask (word src_off + i of core memory) has bit s - 1, the count c of slot (t - 16 s)
//    mod 128 is emitted c times as {s - 1, i} (the core sends key_base | (s - 1) << 10 | i);
//    then slot t mod 128 is cleared. 2 clocks per neuron and stage plus one per emission, then n clocks of clear.
//  * clear_i (boot): every count becomes 0 (128 x 2^IdxWidth clocks, busy_o).
// Counts live in one block RAM of 128 x 2^IdxWidth bytes, address {slot, neuron}.
module axon_delay_ext #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned NWidth     = $clog2(NumNeurons + 1),
  localparam int unsigned SlotWidth  = $clog2(axon_pkg::DeBufferSlots),
  localparam int unsigned StageWidth = $clog2(axon_pkg::DeStages),
  localparam int unsigned KeyWidth   = StageWidth + IdxWidth
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    clear_i,
  output logic                    busy_o,
  input  logic                    start_i,
  output logic                    done_o,
  input  logic [31:0]             step_i,
  input  logic [NWidth-1:0]       n_i,
  input  logic [MemWordsLog2-1:0] src_off_i,
  // core memory read port (stage masks)
  output logic                    mem_re_o,
  output logic [MemWordsLog2-1:0] mem_addr_o,
  input  logic [31:0]             mem_rdata_i,
  // emissions: {stage - 1, neuron}
  output logic                    emit_valid_o,
  input  logic                    emit_ready_i,
  output logic [KeyWidth-1:0]     emit_key_o,
  // a delivered spike
  input  logic                    rx_i,
  input  logic [IdxWidth-1:0]     rx_idx_i
);

  localparam int unsigned Depth     = 1 << (SlotWidth + IdxWidth);
  localparam int unsigned StageStep = axon_pkg::DeStageSteps;

  typedef enum logic [2:0] {
    StIdle,
    StStage,
    StIssue,
    StEval,
    StEmit,
    StClear,
    StDone
  } state_e;

  state_e                          state_q;
  logic [3:0]                      s_q;      // stage 1..8 (9: past the last)
  logic [NWidth-1:0]               i_q;
  logic [7:0]                      left_q;
  logic                            clr_q, rx1_q;
  logic [SlotWidth+IdxWidth-1:0]   clr_addr_q, rx_addr_q;
  logic                            re, we;
  logic [SlotWidth+IdxWidth-1:0]   raddr, waddr;
  logic [7:0]                      rdata, wdata;
  logic [SlotWidth-1:0]            slot_now, slot_rx, slot_back;
  logic [31:0]                     back;

  assign back      = 32'(s_q) * StageStep;
  assign slot_now  = step_i[SlotWidth-1:0];
  assign slot_rx   = slot_now - 1'b1;  // step_i - 1 is the step whose packets arrive
  assign slot_back = SlotWidth'(step_i - back);

  always_comb begin
    re    = 1'b0;
    raddr = {slot_rx, rx_idx_i};
    if (rx_i) begin
      re = 1'b1;
    end else if (state_q == StIssue && i_q != n_i) begin
      re    = 1'b1;
      raddr = {slot_back, IdxWidth'(i_q)};
    end
  end

  always_comb begin
    we    = 1'b0;
    waddr = clr_addr_q;
    wdata = '0;
    if (clr_q) begin
      we = 1'b1;
    end else if (state_q == StClear && i_q != n_i) begin
      we    = 1'b1;
      waddr = {slot_now, IdxWidth'(i_q)};
    end else if (rx1_q) begin
      we    = 1'b1;
      waddr = rx_addr_q;
      wdata = (rdata == 8'hFF) ? rdata : rdata + 8'd1;
    end
  end

  axon_ram_1r1w #(
    .Width (8),
    .Depth (Depth)
  ) u_buf (
    .clk_i   (clk_i),
    .re_i    (re),
    .raddr_i (raddr),
    .rdata_o (rdata),
    .we_i    (we),
    .waddr_i (waddr),
    .wdata_i (wdata)
  );

  assign mem_re_o     = (state_q == StIssue) && (i_q != n_i);
  assign mem_addr_o   = src_off_i + MemWordsLog2'(i_q);
  assign emit_valid_o = (state_q == StEmit) && (left_q != '0);
  assign emit_key_o   = {StageWidth'(s_q - 4'd1), IdxWidth'(i_q)};
  assign busy_o       = clr_q | (state_q != StIdle) | rx1_q;
  assign done_o       = (state_q == StDone);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      s_q        <= '0;
      i_q        <= '0;
      left_q     <= '0;
      clr_q      <= 1'b0;
      clr_addr_q <= '0;
      rx1_q      <= 1'b0;
      rx_addr_q  <= '0;
    end else begin
      rx1_q     <= rx_i;
      rx_addr_q <= raddr;
      if (clear_i) begin
        clr_q      <= 1'b1;
        clr_addr_q <= '0;
        state_q    <= StIdle;
      end else if (clr_q) begin
        clr_addr_q <= clr_addr_q + 1'b1;
        if (clr_addr_q == (SlotWidth + IdxWidth)'(Depth - 1)) begin
          clr_q <= 1'b0;
        end
      end
      if (!clear_i) begin
        unique case (state_q)
          StIdle: begin
            if (start_i) begin
              s_q     <= 4'd1;
              state_q <= StStage;
            end
          end
          StStage: begin
            i_q <= '0;
            if (s_q > 4'(axon_pkg::DeStages) || back > step_i) begin
              state_q <= StClear;
            end else begin
              state_q <= StIssue;
            end
          end
          StIssue: begin
            if (i_q == n_i) begin
              s_q     <= s_q + 4'd1;
              state_q <= StStage;
            end else begin
              state_q <= StEval;
            end
          end
          StEval: begin
            if (rdata != '0 && mem_rdata_i[5'(s_q - 4'd1)]) begin
              left_q  <= rdata;
              state_q <= StEmit;
            end else begin
              i_q     <= i_q + 1'b1;
              state_q <= StIssue;
            end
          end
          StEmit: begin
            if (left_q == '0) begin
              i_q     <= i_q + 1'b1;
              state_q <= StIssue;
            end else if (emit_ready_i) begin
              left_q <= left_q - 8'd1;
            end
          end
          StClear: begin
            if (i_q == n_i) begin
              state_q <= StDone;
            end else begin
              i_q <= i_q + 1'b1;
            end
          end
          StDone: state_q <= StIdle;
          default: state_q <= StIdle;
        endcase
      end
    end
  end

  // (stage masks use bits 7:0; validated)
  logic unused_mask;
  assign unused_mask = ^mem_rdata_i[31:8];

endmodule
