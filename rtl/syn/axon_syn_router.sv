// Place-and-route harness for the router's iCE40 timing measurement (rtl/syn/pnr_router.sh):
// axon_router with every input driven from a scan shift register fed by one pin and every
// output folded into one registered pin, so that the 72-bit ports need no package pins.
// The scan register holds one 72-bit packet field; input port p sees it rotated by 9 p bits,
// so no two ports carry the same bits and no port logic can be merged away. Not part of the
// chip.
module axon_syn_router #(
  parameter int unsigned NumCores   = 2,
  parameter int unsigned NumEntries = 32,
  parameter int unsigned P2pEntries = 256,
  localparam int unsigned NumPorts  = axon_pkg::RouterLinks + NumCores,
  localparam int unsigned PktWidth  = axon_pkg::CifPktBusWidth,
  localparam int unsigned AddrWidth = axon_pkg::RifAddrBits,
  localparam int unsigned InWidth   = 2 + AddrWidth + 32 + PktWidth + 2 * NumPorts
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
  localparam int unsigned OAddr  = 2;
  localparam int unsigned OWData = OAddr + AddrWidth;
  localparam int unsigned OPkt   = OWData + 32;
  localparam int unsigned OValid = OPkt + PktWidth;
  localparam int unsigned OReady = OValid + NumPorts;

  logic [PktWidth-1:0]          pkt;
  logic [NumPorts*PktWidth-1:0] in_data, out_data;
  logic [NumPorts-1:0]          in_ready, out_valid;
  logic                         cfg_gnt, cfg_rvalid, busy, idle;
  logic [31:0]                  cfg_rdata;

  assign pkt = scan_q[OPkt +: PktWidth];
  for (genvar p = 0; p < NumPorts; p++) begin : g_in
    localparam int unsigned Rot = (9 * p) % PktWidth;
    if (Rot == 0) begin : g_plain
      assign in_data[p*PktWidth +: PktWidth] = pkt;
    end else begin : g_rot
      assign in_data[p*PktWidth +: PktWidth] = {pkt[Rot-1:0], pkt[PktWidth-1:Rot]};
    end
  end

  axon_router #(
    .NumCores   (NumCores),
    .NumEntries (NumEntries),
    .P2pEntries (P2pEntries)
  ) u_router (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .cfg_req_i    (scan_q[0]),
    .cfg_we_i     (scan_q[1]),
    .cfg_addr_i   (scan_q[OAddr +: AddrWidth]),
    .cfg_wdata_i  (scan_q[OWData +: 32]),
    .cfg_gnt_o    (cfg_gnt),
    .cfg_rvalid_o (cfg_rvalid),
    .cfg_rdata_o  (cfg_rdata),
    .in_valid_i   (scan_q[OValid +: NumPorts]),
    .in_ready_o   (in_ready),
    .in_data_i    (in_data),
    .out_valid_o  (out_valid),
    .out_ready_i  (scan_q[OReady +: NumPorts]),
    .out_data_o   (out_data),
    .busy_o       (busy),
    .idle_o       (idle)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fold_q <= 1'b0;
    end else begin
      fold_q <= ^{out_data, out_valid, in_ready, cfg_gnt, cfg_rvalid, cfg_rdata, busy, idle};
    end
  end

  assign fold_o = fold_q;

endmodule
