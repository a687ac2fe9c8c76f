// Recording of one core (docs/spec/recording.md): stages one step's recorded spikes and
// sampled state words, then writes the step's block into the recording FIFO that the host
// pops through the rec_data register:
//   step, n_spikes | n_state << 16, the spike indices two per word (first in the low half),
//   the v samples, then gsyn_exc, then gsyn_inh (ascending neuron order within each).
// Spikes arrive as (index, count) in ascending index order; consecutive reports of the same
// index are merged (array events of one neuron; a Poisson draw of k spikes is one report),
// so the spike list holds at most one entry per neuron. Samples arrive per variable in
// ascending order. finish_i writes the block (nothing when the step recorded nothing); a
// full FIFO holds the write, and so the step, until the host reads. The block costs
// 2 + n_entries + ceil(n_spikes / 2) + n_state + 4 clocks at one word per clock.
// Limit: a block carries at most 65535 spikes; NumNeurons x 255 Poisson spikes fit for
// NumNeurons <= 257 (the default 256).
module axon_recorder #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned RecWordsLog2 = 12,
  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned NWidth     = $clog2(NumNeurons + 1),
  localparam int unsigned LevelWidth = RecWordsLog2 + 1
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  clear_i,     // boot: empty everything
  input  logic                  begin_i,     // a step starts: empty the staging
  // staging
  input  logic                  spk_i,
  input  logic [IdxWidth-1:0]   spk_idx_i,
  input  logic [7:0]            spk_cnt_i,
  input  logic                  smp_v_i,
  input  logic                  smp_ge_i,
  input  logic                  smp_gi_i,
  input  logic [31:0]           smp_v_data_i,
  input  logic [31:0]           smp_ge_data_i,
  input  logic [31:0]           smp_gi_data_i,
  // write the block of step step_i
  input  logic                  finish_i,
  input  logic [31:0]           step_i,
  output logic                  busy_o,
  output logic                  done_o,
  // the recording stream
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [31:0]           out_data_o,
  output logic [LevelWidth-1:0] level_o
);

  localparam int unsigned NumStaged = 3;  // v, gsyn_exc, gsyn_inh
  localparam int unsigned EntWidth  = IdxWidth + 8;

  typedef enum logic [3:0] {
    StIdle,
    StHead0,
    StHead1,
    StSpkRead,
    StSpkLoad,
    StSpkOut,
    StSpkLast,
    StState,
    StDone
  } state_e;

  state_e state_q;

  ///////////////////////////
  // Spike list            //
  ///////////////////////////

  logic                pend_q, ent_we;
  logic [IdxWidth-1:0] pend_idx_q;
  logic [7:0]          pend_cnt_q;
  logic [NWidth-1:0]   n_ent_q, ent_r_q;
  logic [15:0]         n_spk_q;
  logic [EntWidth-1:0] ent_rdata;
  logic                merge;

  // a report merges with the pending entry when it names the same neuron and the count
  // stays below 256
  assign merge  = pend_q & (spk_idx_i == pend_idx_q) & (9'(pend_cnt_q) + 9'(spk_cnt_i) < 9'd256);
  assign ent_we = pend_q & ((spk_i & ~merge) | (state_q == StIdle & finish_i));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pend_q     <= 1'b0;
      pend_idx_q <= '0;
      pend_cnt_q <= '0;
      n_ent_q    <= '0;
      n_spk_q    <= '0;
    end else if (clear_i || begin_i) begin
      pend_q  <= 1'b0;
      n_ent_q <= '0;
      n_spk_q <= '0;
    end else begin
      if (ent_we) begin
        n_ent_q <= n_ent_q + 1'b1;
      end
      if (spk_i) begin
        n_spk_q    <= n_spk_q + 16'(spk_cnt_i);
        pend_q     <= 1'b1;
        pend_idx_q <= spk_idx_i;
        pend_cnt_q <= merge ? pend_cnt_q + spk_cnt_i : spk_cnt_i;
      end else if (ent_we) begin
        pend_q <= 1'b0;
      end
    end
  end

  axon_ram_1r1w #(
    .Width (EntWidth),
    .Depth (NumNeurons)
  ) u_spk_ram (
    .clk_i   (clk_i),
    .re_i    (state_q == StSpkRead && ent_r_q != n_ent_q),
    .raddr_i (IdxWidth'(ent_r_q)),
    .rdata_o (ent_rdata),
    .we_i    (ent_we),
    .waddr_i (IdxWidth'(n_ent_q)),
    .wdata_i ({pend_cnt_q, pend_idx_q})
  );

  ///////////////////////////
  // Sample staging        //
  ///////////////////////////

  logic [NumStaged-1:0] smp_we, st_re;
  logic [31:0]          smp_wdata [NumStaged];
  logic [31:0]          st_rdata [NumStaged];
  logic [NWidth-1:0]    n_smp_q [NumStaged];
  logic [NWidth-1:0]    st_j_q;
  logic [1:0]           st_var_q, hold_var_q;
  logic                 hold_q, st_push, st_issue, st_more;
  logic [15:0]          n_state;

  assign smp_we       = {smp_gi_i, smp_ge_i, smp_v_i};
  assign smp_wdata[0] = smp_v_data_i;
  assign smp_wdata[1] = smp_ge_data_i;
  assign smp_wdata[2] = smp_gi_data_i;
  assign n_state      = 16'(n_smp_q[0]) + 16'(n_smp_q[1]) + 16'(n_smp_q[2]);

  for (genvar k = 0; k < NumStaged; k++) begin : g_stage
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        n_smp_q[k] <= '0;
      end else if (clear_i || begin_i) begin
        n_smp_q[k] <= '0;
      end else if (smp_we[k]) begin
        n_smp_q[k] <= n_smp_q[k] + 1'b1;
      end
    end

    assign st_re[k] = st_issue & (st_var_q == 2'(k));

    axon_ram_1r1w #(
      .Width (32),
      .Depth (NumNeurons)
    ) u_ram (
      .clk_i   (clk_i),
      .re_i    (st_re[k]),
      .raddr_i (IdxWidth'(st_j_q)),
      .rdata_o (st_rdata[k]),
      .we_i    (smp_we[k]),
      .waddr_i (IdxWidth'(n_smp_q[k])),
      .wdata_i (smp_wdata[k])
    );
  end

  ///////////////////////////
  // Block writer          //
  ///////////////////////////

  logic        fifo_valid, fifo_ready;
  logic [31:0] fifo_data;
  logic [7:0]  rem_q;
  logic [IdxWidth-1:0] cur_idx_q;
  logic        lo_q;
  logic [15:0] lo_idx_q;

  assign st_more  = (st_var_q != 2'd3) && (st_j_q != n_smp_q[st_var_q]);
  assign st_push  = (state_q == StState) & hold_q & fifo_ready;
  assign st_issue = (state_q == StState) & st_more & (~hold_q | st_push);

  always_comb begin
    fifo_valid = 1'b0;
    fifo_data  = '0;
    unique case (state_q)
      StHead0: begin
        fifo_valid = 1'b1;
        fifo_data  = step_i;
      end
      StHead1: begin
        fifo_valid = 1'b1;
        fifo_data  = {n_state, n_spk_q};
      end
      StSpkOut: begin
        fifo_valid = (rem_q != '0) & lo_q;
        fifo_data  = {16'(cur_idx_q), lo_idx_q};
      end
      StSpkLast: begin
        fifo_valid = 1'b1;
        fifo_data  = {16'd0, lo_idx_q};
      end
      StState: begin
        fifo_valid = hold_q;
        fifo_data  = st_rdata[hold_var_q];
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= StIdle;
      ent_r_q    <= '0;
      rem_q      <= '0;
      cur_idx_q  <= '0;
      lo_q       <= 1'b0;
      lo_idx_q   <= '0;
      st_var_q   <= '0;
      st_j_q     <= '0;
      hold_q     <= 1'b0;
      hold_var_q <= '0;
    end else if (clear_i) begin
      state_q <= StIdle;
      hold_q  <= 1'b0;
    end else begin
      unique case (state_q)
        StIdle: begin
          if (finish_i) begin
            ent_r_q  <= '0;
            lo_q     <= 1'b0;
            st_var_q <= '0;
            st_j_q   <= '0;
            hold_q   <= 1'b0;
            state_q  <= (n_spk_q != '0 || n_state != '0) ? StHead0 : StDone;
          end
        end
        StHead0: if (fifo_ready) state_q <= StHead1;
        StHead1: if (fifo_ready) state_q <= StSpkRead;
        StSpkRead: begin
          if (ent_r_q == n_ent_q) begin
            state_q <= lo_q ? StSpkLast : StState;
          end else begin
            state_q <= StSpkLoad;
          end
        end
        StSpkLoad: begin
          rem_q     <= ent_rdata[IdxWidth +: 8];
          cur_idx_q <= ent_rdata[IdxWidth-1:0];
          ent_r_q   <= ent_r_q + 1'b1;
          state_q   <= StSpkOut;
        end
        StSpkOut: begin
          if (rem_q == '0) begin
            state_q <= StSpkRead;
          end else if (!lo_q) begin
            lo_q     <= 1'b1;
            lo_idx_q <= 16'(cur_idx_q);
            rem_q    <= rem_q - 8'd1;
          end else if (fifo_ready) begin
            lo_q  <= 1'b0;
            rem_q <= rem_q - 8'd1;
          end
        end
        StSpkLast: if (fifo_ready) state_q <= StState;
        StState: begin
          if (st_issue) begin
            hold_q     <= 1'b1;
            hold_var_q <= st_var_q;
            st_j_q     <= st_j_q + 1'b1;
          end else if (st_push) begin
            hold_q <= 1'b0;
          end
          if (!st_issue && st_var_q != 2'd3 && st_j_q == n_smp_q[st_var_q]) begin
            st_var_q <= st_var_q + 2'd1;
            st_j_q   <= '0;
          end
          if (st_var_q == 2'd3 && (!hold_q || st_push)) begin
            state_q <= StDone;
          end
        end
        StDone: state_q <= StIdle;
        default: state_q <= StIdle;
      endcase
    end
  end

  assign busy_o = (state_q != StIdle);
  assign done_o = (state_q == StDone);

  axon_fifo #(
    .Width (32),
    .Depth ((1 << RecWordsLog2) - 1)
  ) u_fifo (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (clear_i),
    .in_valid_i  (fifo_valid),
    .in_ready_o  (fifo_ready),
    .in_data_i   (fifo_data),
    .out_valid_o (out_valid_o),
    .out_ready_i (out_ready_i),
    .out_data_o  (out_data_o),
    .level_o     (level_o)
  );

endmodule
