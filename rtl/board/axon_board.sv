// An Axon board: the host interface (rtl/hostif/axon_hostif.sv, the board protocol on an
// FT601-style FIFO bus) in front of a mesh of X x Y chips (rtl/chip/axon_mesh.sv), joined by
// the chips' configuration bus (docs/spec/chip_if.md) and the timestep handshake. The mesh
// reports one idle for the whole machine (every enabled core READY, routers and links
// empty), so the host interface sees it on every core's idle line. docs/board.md.
module axon_board #(
  parameter int unsigned X            = 1,
  parameter int unsigned Y            = 1,
  parameter bit          Wrap         = 1'b0,
  parameter int unsigned NumCores     = 4,
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned RecWordsLog2 = 12,
  parameter int unsigned NumEntries   = 1024,
  parameter int unsigned P2pEntries   = 65536,
  parameter int unsigned BufWords     = axon_pkg::ProtoMaxPayloadWords,
  parameter int unsigned ClkMhz       = 100,
  parameter bit          EnableLoad   = 1'b1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // FT601-style FIFO bus (axon_hostif)
  input  logic        ft_rxf_ni,
  input  logic [31:0] ft_data_i,
  output logic        ft_oe_no,
  output logic        ft_rd_no,
  input  logic        ft_txe_ni,
  output logic        ft_wr_no,
  output logic [31:0] ft_data_o,
  output logic [3:0]  ft_be_o,
  // status: a run is in progress (an LED)
  output logic        running_o
);

  localparam int unsigned Units = X * Y * NumCores;

  logic        cfg_req, cfg_we, cfg_gnt, cfg_rvalid, tick, idle;
  logic [7:0]  cfg_x, cfg_y;
  logic [axon_pkg::ChipIfUnitBits-1:0] cfg_unit;
  logic [23:0] cfg_addr;
  logic [31:0] cfg_wdata, cfg_rdata;

  axon_hostif #(
    .NumCores     (NumCores),
    .MeshW        (X),
    .MeshH        (Y),
    .MemWords     (1 << MemWordsLog2),
    .RouterEntries(NumEntries),
    .BufWords     (BufWords),
    .ClkMhz       (ClkMhz),
    .EnableLoad   (EnableLoad)
  ) u_hostif (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .ft_rxf_ni   (ft_rxf_ni),
    .ft_data_i   (ft_data_i),
    .ft_oe_no    (ft_oe_no),
    .ft_rd_no    (ft_rd_no),
    .ft_txe_ni   (ft_txe_ni),
    .ft_wr_no    (ft_wr_no),
    .ft_data_o   (ft_data_o),
    .ft_be_o     (ft_be_o),
    .cfg_req_o   (cfg_req),
    .cfg_we_o    (cfg_we),
    .cfg_x_o     (cfg_x),
    .cfg_y_o     (cfg_y),
    .cfg_unit_o  (cfg_unit),
    .cfg_addr_o  (cfg_addr),
    .cfg_wdata_o (cfg_wdata),
    .cfg_gnt_i   (cfg_gnt),
    .cfg_rvalid_i(cfg_rvalid),
    .cfg_rdata_i (cfg_rdata),
    .tick_o      (tick),
    .idle_i      ({Units{idle}}),
    .running_o   (running_o)
  );

  axon_mesh #(
    .X           (X),
    .Y           (Y),
    .Wrap        (Wrap),
    .NumCores    (NumCores),
    .NumNeurons  (NumNeurons),
    .MemWordsLog2(MemWordsLog2),
    .RecWordsLog2(RecWordsLog2),
    .NumEntries  (NumEntries),
    .P2pEntries  (P2pEntries)
  ) u_mesh (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .cfg_req_i   (cfg_req),
    .cfg_we_i    (cfg_we),
    .cfg_x_i     (cfg_x),
    .cfg_y_i     (cfg_y),
    .cfg_unit_i  (cfg_unit),
    .cfg_addr_i  (cfg_addr),
    .cfg_wdata_i (cfg_wdata),
    .cfg_gnt_o   (cfg_gnt),
    .cfg_rvalid_o(cfg_rvalid),
    .cfg_rdata_o (cfg_rdata),
    .tick_i      (tick),
    .idle_o      (idle)
  );

endmodule
