// Place-and-route harness for the UP5K timing measurement (rtl/syn/pnr_up5k.sh): the
// Izhikevich unit (axon_izk_update, 8 SB_MAC16, the only multiplier unit of the core that
// fits a UP5K) with every input driven from a scan shift register fed by one pin and every
// output folded into one registered pin, so that a 48-pin package suffices and no logic is
// optimised away. Not part of the neuron core.
module axon_up5k_izk #(
  parameter int unsigned NumNeurons = 256,
  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned ParamWords = axon_pkg::PIzhikevichWords,
  localparam int unsigned StateWords = axon_pkg::SIzhikevichWords,
  localparam int unsigned InWidth    = 2 + 8 + IdxWidth + 32 * (ParamWords + StateWords) + 34
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

  logic                        in_ready, out_valid, out_spike;
  logic [IdxWidth-1:0]         out_idx;
  logic [StateWords*32-1:0]    out_state;
  logic [31:0]                 out_v, out_ge, out_gi;
  logic [1:0]                  out_sat;

  axon_izk_update #(
    .NumNeurons (NumNeurons)
  ) u_izk (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .cfg_shift_i    (scan_q[2 +: 8]),
    .in_valid_i     (scan_q[0]),
    .in_ready_o     (in_ready),
    .in_idx_i       (scan_q[10 +: IdxWidth]),
    .in_param_i     (scan_q[10 + IdxWidth +: 32 * ParamWords]),
    .in_state_i     (scan_q[10 + IdxWidth + 32 * ParamWords +: 32 * StateWords]),
    .in_rb_exc_i    (scan_q[InWidth-34 +: 17]),
    .in_rb_inh_i    (scan_q[InWidth-17 +: 17]),
    .out_valid_o    (out_valid),
    .out_ready_i    (scan_q[1]),
    .out_idx_o      (out_idx),
    .out_state_o    (out_state),
    .out_v_o        (out_v),
    .out_gsyn_exc_o (out_ge),
    .out_gsyn_inh_o (out_gi),
    .out_spike_o    (out_spike),
    .out_sat_o      (out_sat)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fold_q <= 1'b0;
    end else begin
      fold_q <= ^{in_ready, out_valid, out_spike, out_idx, out_state, out_v, out_ge, out_gi,
                  out_sat};
    end
  end

  assign fold_o = fold_q;

endmodule
