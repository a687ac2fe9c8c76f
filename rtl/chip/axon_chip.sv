// One Axon chip (docs/rtl.md "Chip and mesh", docs/spec/chip_if.md): NumCores neuron cores
// and the router. Core c's packet streams are the router's local port 6 + c (route bit
// 6 + c); router ports 0..5 are the chip's links E NE N W SW S, valid/ready streams of
// 72-bit packets (core_if pkt_bus) in and out.
//
// Configuration: ONE host-facing cfg bus (chip_if) with the core_if protocol: a request
// names a unit (core 0..NumCores-1, the router, the chip's registers) and a 24-bit word
// address in that unit's map. Read data returns one cycle after the grant (every unit
// answers in one cycle), so requests may be pipelined across units. A unit that does not
// exist (or a router address beyond router_if.addr_bits) grants at once, ignores writes and
// reads 0: a wrong address never hangs the bus.
//
// Idle: every enabled core READY and the router empty (no packet in its pipeline, tables
// not being cleared). A core is enabled by the first write of ctrl.BOOT to it after reset,
// or through the chip's core_enable register; a core that was never booted is never READY,
// so the unused cores of a chip must not hold its idle low.
module axon_chip #(
  parameter int unsigned NumCores     = 4,
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned RecWordsLog2 = 12,
  parameter bit          HasDelayExt  = 1'b1,
  parameter int unsigned NumEntries   = 1024,
  parameter int unsigned P2pEntries   = 65536,
  localparam int unsigned Links       = axon_pkg::RouterLinks,
  localparam int unsigned PktWidth    = axon_pkg::CifPktBusWidth,
  localparam int unsigned UnitWidth   = axon_pkg::ChipIfUnitBits,
  localparam int unsigned AddrWidth   = axon_pkg::ChipIfAddrBits
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // configuration (chip_if)
  input  logic                      cfg_req_i,
  input  logic                      cfg_we_i,
  input  logic [UnitWidth-1:0]      cfg_unit_i,
  input  logic [AddrWidth-1:0]      cfg_addr_i,
  input  logic [31:0]               cfg_wdata_i,
  output logic                      cfg_gnt_o,
  output logic                      cfg_rvalid_o,
  output logic [31:0]               cfg_rdata_o,
  // link l leads to a neighbour; without one the chip ignores its input and takes (drops)
  // every packet routed onto it, counting them in dropped_no_link (routing.md)
  input  logic [Links-1:0]          link_en_i,
  // links in (from the neighbours), port l = link l
  input  logic [Links-1:0]          link_in_valid_i,
  output logic [Links-1:0]          link_in_ready_o,
  input  logic [Links*PktWidth-1:0] link_in_data_i,
  // links out (to the neighbours)
  output logic [Links-1:0]          link_out_valid_o,
  input  logic [Links-1:0]          link_out_ready_i,
  output logic [Links*PktWidth-1:0] link_out_data_o,
  // timestep handshake: tick to every core; idle = every enabled core READY, router empty
  input  logic                      tick_i,
  output logic                      idle_o
);

  localparam int unsigned NumPorts   = Links + NumCores;
  localparam int unsigned RifAw      = axon_pkg::RifAddrBits;
  localparam logic [UnitWidth-1:0] UnitChip   = UnitWidth'(axon_pkg::ChipIfUnitChip);
  localparam logic [UnitWidth-1:0] UnitRouter = UnitWidth'(axon_pkg::ChipIfUnitRouter);
  localparam logic [AddrWidth-1:0] CoreCtrl   =
      AddrWidth'(axon_pkg::CifRegBase + axon_pkg::CifRegCtrl);

  ////////////////////////////
  // Configuration decode   //
  ////////////////////////////

  logic [NumCores-1:0] core_sel, core_gnt, core_rvalid;
  logic [31:0]         core_rdata [NumCores];
  logic                rt_sel, rt_gnt, rt_rvalid, rt_busy, rt_idle;
  logic [31:0]         rt_rdata;
  logic                chip_sel, dead_sel;

  always_comb begin
    core_sel = '0;
    for (int unsigned c = 0; c < NumCores; c++) begin
      core_sel[c] = cfg_unit_i == UnitWidth'(c);
    end
  end
  assign rt_sel   = cfg_unit_i == UnitRouter && (cfg_addr_i >> RifAw) == '0;
  assign chip_sel = cfg_unit_i == UnitChip;
  assign dead_sel = ~|core_sel & ~rt_sel & ~chip_sel;

  always_comb begin
    cfg_gnt_o = cfg_req_i & (chip_sel | dead_sel);
    if (rt_sel) begin
      cfg_gnt_o = rt_gnt;
    end
    for (int unsigned c = 0; c < NumCores; c++) begin
      if (core_sel[c]) begin
        cfg_gnt_o = core_gnt[c];
      end
    end
  end

  // the chip's registers and the dead units answer here, one cycle after the grant
  logic                local_rvalid_q;
  logic [31:0]         local_rdata_q;
  logic [NumCores-1:0] core_en_q;
  logic                idle;
  logic                local_fire;
  logic [31:0]         no_link_q;
  assign local_fire = cfg_req_i & (chip_sel | dead_sel);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      local_rvalid_q <= 1'b0;
      local_rdata_q  <= '0;
      core_en_q      <= '0;
    end else begin
      local_rvalid_q <= local_fire & ~cfg_we_i;
      local_rdata_q  <= '0;
      if (local_fire && !cfg_we_i && chip_sel) begin
        unique case (cfg_addr_i)
          AddrWidth'(axon_pkg::ChipIfRegInfo):
            local_rdata_q <= 32'(NumCores) << axon_pkg::ChipIfInfoNCoresLsb;
          AddrWidth'(axon_pkg::ChipIfRegVersion):    local_rdata_q <= axon_pkg::SpecVersion;
          AddrWidth'(axon_pkg::ChipIfRegCoreEnable): local_rdata_q <= 32'(core_en_q);
          AddrWidth'(axon_pkg::ChipIfRegStatus):
            local_rdata_q <= (32'(idle) << axon_pkg::ChipIfStatusIdleBit) |
                             (32'(rt_busy) << axon_pkg::ChipIfStatusRouterBusyBit);
          AddrWidth'(axon_pkg::ChipIfRegDroppedNoLink): local_rdata_q <= no_link_q;
          default: local_rdata_q <= '0;
        endcase
      end
      if (local_fire && cfg_we_i && chip_sel &&
          cfg_addr_i == AddrWidth'(axon_pkg::ChipIfRegCoreEnable)) begin
        core_en_q <= cfg_wdata_i[NumCores-1:0];
      end
      // a BOOT written to a core enables it
      for (int unsigned c = 0; c < NumCores; c++) begin
        if (cfg_req_i && cfg_we_i && core_sel[c] && core_gnt[c] && cfg_addr_i == CoreCtrl &&
            cfg_wdata_i[axon_pkg::CifCtrlBootBit]) begin
          core_en_q[c] <= 1'b1;
        end
      end
    end
  end

  always_comb begin
    cfg_rvalid_o = local_rvalid_q | rt_rvalid;
    cfg_rdata_o  = (local_rvalid_q ? local_rdata_q : '0) | (rt_rvalid ? rt_rdata : '0);
    for (int unsigned c = 0; c < NumCores; c++) begin
      cfg_rvalid_o = cfg_rvalid_o | core_rvalid[c];
      cfg_rdata_o  = cfg_rdata_o | (core_rvalid[c] ? core_rdata[c] : '0);
    end
  end

  ////////////////////////////
  // Router                 //
  ////////////////////////////

  logic [NumPorts-1:0]          rin_valid, rin_ready, rout_valid, rout_ready;
  logic [NumPorts*PktWidth-1:0] rin_data, rout_data;

  axon_router #(
    .NumCores  (NumCores),
    .NumEntries(NumEntries),
    .P2pEntries(P2pEntries)
  ) u_router (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .cfg_req_i   (cfg_req_i & rt_sel),
    .cfg_we_i    (cfg_we_i),
    .cfg_addr_i  (cfg_addr_i[RifAw-1:0]),
    .cfg_wdata_i (cfg_wdata_i),
    .cfg_gnt_o   (rt_gnt),
    .cfg_rvalid_o(rt_rvalid),
    .cfg_rdata_o (rt_rdata),
    .in_valid_i  (rin_valid),
    .in_ready_o  (rin_ready),
    .in_data_i   (rin_data),
    .out_valid_o (rout_valid),
    .out_ready_i (rout_ready),
    .out_data_o  (rout_data),
    .busy_o      (rt_busy),
    .idle_o      (rt_idle)
  );

  assign rin_valid[Links-1:0]         = link_in_valid_i & link_en_i;
  assign rin_data[Links*PktWidth-1:0] = link_in_data_i;
  assign link_in_ready_o              = rin_ready[Links-1:0] & link_en_i;
  assign link_out_valid_o             = rout_valid[Links-1:0] & link_en_i;
  assign link_out_data_o              = rout_data[Links*PktWidth-1:0];
  assign rout_ready[Links-1:0]        = link_out_ready_i | ~link_en_i;

  // packets taken by a missing link this cycle
  logic [2:0] no_link_n;
  always_comb begin
    no_link_n = '0;
    for (int unsigned l = 0; l < Links; l++) begin
      no_link_n = no_link_n + {2'b0, rout_valid[l] & ~link_en_i[l]};
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      no_link_q <= '0;
    end else begin
      no_link_q <= no_link_q + 32'(no_link_n);
    end
  end

  ////////////////////////////
  // Cores                  //
  ////////////////////////////

  logic [NumCores-1:0] core_idle;

  for (genvar c = 0; c < NumCores; c++) begin : g_core
    localparam int unsigned P = Links + c;
    axon_neuron_core #(
      .NumNeurons  (NumNeurons),
      .MemWordsLog2(MemWordsLog2),
      .RecWordsLog2(RecWordsLog2),
      .HasDelayExt (HasDelayExt)
    ) u_core (
      .clk_i          (clk_i),
      .rst_ni         (rst_ni),
      .cfg_req_i      (cfg_req_i & core_sel[c]),
      .cfg_we_i       (cfg_we_i),
      .cfg_addr_i     (cfg_addr_i),
      .cfg_wdata_i    (cfg_wdata_i),
      .cfg_gnt_o      (core_gnt[c]),
      .cfg_rvalid_o   (core_rvalid[c]),
      .cfg_rdata_o    (core_rdata[c]),
      .pkt_in_valid_i (rout_valid[P]),
      .pkt_in_ready_o (rout_ready[P]),
      .pkt_in_data_i  (rout_data[P*PktWidth +: PktWidth]),
      .pkt_out_valid_o(rin_valid[P]),
      .pkt_out_ready_i(rin_ready[P]),
      .pkt_out_data_o (rin_data[P*PktWidth +: PktWidth]),
      .tick_i         (tick_i),
      .idle_o         (core_idle[c])
    );
  end

  assign idle   = &(core_idle | ~core_en_q) & rt_idle;
  assign idle_o = idle;

endmodule
