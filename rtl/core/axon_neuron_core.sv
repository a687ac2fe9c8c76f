// Axon neuron core (docs/spec/core_if.md, docs/rtl.md "Neuron core").
// SKELETON: final port list and register map; datapath being filled in.
module axon_neuron_core #(
  parameter int unsigned NumNeurons  = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned RecWordsLog2 = 12
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // configuration bus
  input  logic        cfg_req_i,
  input  logic        cfg_we_i,
  input  logic [23:0] cfg_addr_i,
  input  logic [31:0] cfg_wdata_i,
  output logic        cfg_gnt_o,
  output logic        cfg_rvalid_o,
  output logic [31:0] cfg_rdata_o,
  // packets in
  input  logic        pkt_in_valid_i,
  output logic        pkt_in_ready_o,
  input  logic [71:0] pkt_in_data_i,
  // packets out
  output logic        pkt_out_valid_o,
  input  logic        pkt_out_ready_i,
  output logic [71:0] pkt_out_data_o,
  // timestep handshake
  input  logic        tick_i,
  output logic        idle_o
);
  logic [31:0] mem [2**MemWordsLog2];
  logic [31:0] step_q;
  logic        booted_q;
  logic        rvalid_q;
  logic [31:0] rdata_q;

  wire in_mem = cfg_addr_i < 24'(2**MemWordsLog2);
  wire in_reg = cfg_addr_i[23:8] == 16'(axon_pkg::CifRegBase >> 8);

  always_ff @(posedge clk_i) begin
    if (cfg_req_i && cfg_we_i && in_mem) mem[cfg_addr_i[MemWordsLog2-1:0]] <= cfg_wdata_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      step_q   <= '0;
      booted_q <= 1'b0;
      rvalid_q <= 1'b0;
      rdata_q  <= '0;
    end else begin
      rvalid_q <= cfg_req_i && !cfg_we_i;
      if (cfg_req_i && cfg_we_i && in_reg && cfg_addr_i[7:0] == 8'(axon_pkg::CifRegCtrl)
          && cfg_wdata_i[axon_pkg::CifCtrlBootBit]) begin
        booted_q <= 1'b1;
        step_q   <= '0;
      end
      if (tick_i && booted_q) step_q <= step_q + 1'b1;
      rdata_q <= '0;
      if (in_mem) rdata_q <= mem[cfg_addr_i[MemWordsLog2-1:0]];
      else if (in_reg) begin
        case (cfg_addr_i[7:0])
          8'(axon_pkg::CifRegInfo):    rdata_q <= {8'(RecWordsLog2), 8'(MemWordsLog2), 16'(NumNeurons)};
          8'(axon_pkg::CifRegVersion): rdata_q <= axon_pkg::SpecVersion;
          8'(axon_pkg::CifRegStatus):  rdata_q <= {30'd0, 1'b0, booted_q};
          8'(axon_pkg::CifRegStep):    rdata_q <= step_q;
          8'(axon_pkg::CifRegRecCapacity): rdata_q <= 32'(2**RecWordsLog2);
          default: rdata_q <= '0;
        endcase
      end
    end
  end

  assign cfg_gnt_o       = cfg_req_i;
  assign cfg_rvalid_o    = rvalid_q;
  assign cfg_rdata_o     = rdata_q;
  assign pkt_in_ready_o  = booted_q;
  assign pkt_out_valid_o = 1'b0;
  assign pkt_out_data_o  = '0;
  assign idle_o          = booted_q;

  logic unused;
  assign unused = ^{pkt_in_valid_i, pkt_in_data_i, pkt_out_ready_i};
endmodule
