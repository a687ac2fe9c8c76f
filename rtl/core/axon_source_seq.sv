// Spike sources of one timestep t (docs/spec/sources.md):
//  * SpikeSourceArray: a cursor (cleared by boot_i) over the (step, index) events of the src
//    region: events with step < t are skipped, every event with step = t is emitted.
//  * SpikeSourcePoisson: sources i = 0..n-1 in order; an active one (start <= t < end)
//    draws its count k with axon_poisson (which owns the core's KISS generator, reseeded by
//    seed_load_i) and is emitted k times.
// Every emission is offered to the output FIFO (emit_valid_o / emit_ready_i; the top drops
// it when the core does not send) and, when the source's spikes are recorded, reported to
// the recorder as (index, count). Events cost 4 clocks (array) and a Poisson source 3 + k
// + draws clocks.
module axon_source_seq #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned NWidth     = $clog2(NumNeurons + 1),
  localparam int unsigned ParamWords = axon_pkg::PIFcondexpWords
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          boot_i,      // abort, reset the cursor
  input  logic                          seed_load_i, // load the KISS seed (end of boot)
  input  logic [127:0]                  seed_i,
  input  logic                          start_i,
  input  logic                          poisson_i,   // else array
  input  logic [31:0]                   step_i,
  input  logic [NWidth-1:0]             n_i,
  input  logic [MemWordsLog2-1:0]       src_off_i,
  input  logic [31:0]                   src_words_i,
  output logic                          busy_o,
  output logic                          done_o,
  // core memory read port
  output logic                          mem_re_o,
  output logic [MemWordsLog2-1:0]       mem_addr_o,
  input  logic [31:0]                   mem_rdata_i,
  // per-neuron memories
  output logic                          nrn_re_o,
  output logic [IdxWidth-1:0]           nrn_raddr_o,
  input  logic [ParamWords*32-1:0]      param_rdata_i,
  input  logic [axon_pkg::NRecVars-1:0] recsel_rdata_i,
  // emissions
  output logic                          emit_valid_o,
  input  logic                          emit_ready_i,
  output logic [IdxWidth-1:0]           emit_idx_o,
  output logic                          rec_o,
  output logic [IdxWidth-1:0]           rec_idx_o,
  output logic [7:0]                    rec_count_o,
  output logic                          cnt_capped_o
);

  typedef enum logic [3:0] {
    StIdle,
    StArrRead,
    StArrStep,
    StArrIdx,
    StArrSel,
    StEmit,
    StPoiRead,
    StPoiCheck,
    StPoiWait,
    StDone
  } state_e;

  state_e              state_q;
  logic [31:0]         cursor_q;
  logic [NWidth-1:0]   i_q;
  logic [IdxWidth-1:0] idx_q;
  logic [7:0]          left_q;
  logic                poi_req_ready, poi_rsp_valid, poi_capped;
  logic [7:0]          poi_count;
  logic [31:0]         p_l, p_start, p_end;

  assign p_l     = param_rdata_i[32*axon_pkg::PPoissonExpMinusLambda +: 32];
  assign p_start = param_rdata_i[32*axon_pkg::PPoissonStartStep +: 32];
  assign p_end   = param_rdata_i[32*axon_pkg::PPoissonEndStep +: 32];

  wire poi_active = (step_i >= p_start) && (step_i < p_end);

  axon_poisson u_poisson (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .seed_load_i  (seed_load_i),
    .seed_i       (seed_i),
    .req_valid_i  (state_q == StPoiCheck && poi_active),
    .req_ready_o  (poi_req_ready),
    .req_l_i      (p_l),
    .rsp_valid_o  (poi_rsp_valid),
    .rsp_ready_i  (state_q == StPoiWait),
    .rsp_count_o  (poi_count),
    .rsp_capped_o (poi_capped)
  );

  always_comb begin
    mem_re_o   = 1'b0;
    mem_addr_o = src_off_i + MemWordsLog2'(cursor_q);
    if (state_q == StArrRead && cursor_q < src_words_i) begin
      mem_re_o = 1'b1;
    end else if (state_q == StArrStep) begin
      mem_re_o   = (mem_rdata_i == step_i);
      mem_addr_o = src_off_i + MemWordsLog2'(cursor_q) + 1'b1;
    end
  end

  assign nrn_re_o     = (state_q == StArrIdx) || (state_q == StPoiRead && i_q != n_i);
  assign nrn_raddr_o  = (state_q == StArrIdx) ? mem_rdata_i[IdxWidth-1:0] : IdxWidth'(i_q);
  assign emit_valid_o = (state_q == StEmit) && (left_q != '0);
  assign emit_idx_o   = idx_q;
  assign cnt_capped_o = (state_q == StPoiWait) && poi_rsp_valid && poi_capped;
  assign busy_o       = (state_q != StIdle);
  assign done_o       = (state_q == StDone);

  always_comb begin
    rec_o       = 1'b0;
    rec_idx_o   = idx_q;
    rec_count_o = 8'd1;
    if (state_q == StArrSel) begin
      rec_o = recsel_rdata_i[axon_pkg::RecVarSpikes];
    end else if (state_q == StPoiWait && poi_rsp_valid) begin
      rec_o       = recsel_rdata_i[axon_pkg::RecVarSpikes] && (poi_count != '0);
      rec_count_o = poi_count;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= StIdle;
      cursor_q <= '0;
      i_q      <= '0;
      idx_q    <= '0;
      left_q   <= '0;
    end else if (boot_i) begin
      state_q  <= StIdle;
      cursor_q <= '0;
    end else begin
      unique case (state_q)
        StIdle: begin
          if (start_i) begin
            i_q     <= '0;
            state_q <= poisson_i ? StPoiRead : StArrRead;
          end
        end
        // array: the event's step word is read, then (if it is this step's) its index
        StArrRead: state_q <= (cursor_q < src_words_i) ? StArrStep : StDone;
        StArrStep: begin
          if (mem_rdata_i < step_i) begin
            cursor_q <= cursor_q + axon_pkg::SsaEventWords;
            state_q  <= StArrRead;
          end else if (mem_rdata_i == step_i) begin
            state_q <= StArrIdx;
          end else begin
            state_q <= StDone;
          end
        end
        StArrIdx: begin
          idx_q   <= mem_rdata_i[IdxWidth-1:0];
          state_q <= StArrSel;
        end
        StArrSel: begin
          left_q   <= 8'd1;
          cursor_q <= cursor_q + axon_pkg::SsaEventWords;
          state_q  <= StEmit;
        end
        StEmit: begin
          if (left_q == '0) begin
            state_q <= poisson_i ? StPoiRead : StArrRead;
          end else if (emit_ready_i) begin
            left_q <= left_q - 8'd1;
          end
        end
        // Poisson
        StPoiRead: begin
          idx_q   <= IdxWidth'(i_q);
          state_q <= (i_q == n_i) ? StDone : StPoiCheck;
          i_q     <= i_q + 1'b1;
        end
        StPoiCheck: begin
          if (!poi_active) begin
            state_q <= StPoiRead;
          end else if (poi_req_ready) begin
            state_q <= StPoiWait;
          end
        end
        StPoiWait: begin
          if (poi_rsp_valid) begin
            left_q  <= poi_count;
            state_q <= StEmit;
          end
        end
        StDone: state_q <= StIdle;
        default: state_q <= StIdle;
      endcase
    end
  end

  // (the widest parameter block is shared with the neuron models; Poisson uses 3 words)
  logic unused_param;
  assign unused_param = ^param_rdata_i[ParamWords*32-1:axon_pkg::PPoissonWords*32];

endmodule
