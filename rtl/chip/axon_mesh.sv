// An X x Y machine of Axon chips (docs/rtl.md "Chip and mesh", docs/spec/routing.md
// "Machine topology"): chip (x, y) sends on link l to (x + dx[l], y + dy[l]) (router.link_dx,
// link_dy: E NE N W SW S), which receives it on its link (l + 3) mod 6. With Wrap the
// coordinates wrap (SpiNNaker's hexagonal torus); without it a link that leaves the mesh
// does not exist: the chip drops what is routed onto it and counts it (dropped_no_link, as
// the golden model's no-link rule).
//
// Every link is a small FIFO (LinkDepth + 1 packets, axon_fifo): its ready is registered, so
// the routers' ready paths (a router's input ready depends on its outputs' ready) do not
// close a combinational loop around the torus.
//
// Configuration: the chip_if bus with the chip's coordinates (cfg_x_i, cfg_y_i); a coordinate
// outside the mesh is a dead unit (granted, reads 0). Read data one cycle after the grant.
// Tick to every chip; idle = every chip idle and every link FIFO empty.
module axon_mesh #(
  parameter int unsigned X            = 2,
  parameter int unsigned Y            = 2,
  parameter bit          Wrap         = 1'b1,
  parameter int unsigned NumCores     = 4,
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned RecWordsLog2 = 12,
  parameter bit          HasDelayExt  = 1'b1,
  parameter int unsigned NumEntries   = 1024,
  parameter int unsigned P2pEntries   = 65536,
  parameter int unsigned LinkDepth    = 2,
  localparam int unsigned UnitWidth   = axon_pkg::ChipIfUnitBits,
  localparam int unsigned AddrWidth   = axon_pkg::ChipIfAddrBits,
  localparam int unsigned CoordWidth  = axon_pkg::ChipIfCoordBits
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // configuration (chip_if + chip coordinates)
  input  logic                  cfg_req_i,
  input  logic                  cfg_we_i,
  input  logic [CoordWidth-1:0] cfg_x_i,
  input  logic [CoordWidth-1:0] cfg_y_i,
  input  logic [UnitWidth-1:0]  cfg_unit_i,
  input  logic [AddrWidth-1:0]  cfg_addr_i,
  input  logic [31:0]           cfg_wdata_i,
  output logic                  cfg_gnt_o,
  output logic                  cfg_rvalid_o,
  output logic [31:0]           cfg_rdata_o,
  // timestep handshake
  input  logic                  tick_i,
  output logic                  idle_o
);

  localparam int unsigned Links    = axon_pkg::RouterLinks;
  localparam int unsigned PktWidth = axon_pkg::CifPktBusWidth;
  localparam int unsigned NumChips = X * Y;

  logic [NumChips-1:0]          sel, gnt, rvalid, idle;
  logic [NumChips*Links-1:0]    link_busy;
  logic [31:0]                  rdata [NumChips];
  logic [NumChips*Links-1:0]    out_valid, out_ready;
  logic [NumChips*Links*PktWidth-1:0] out_data;
  logic                         dead_rvalid_q;

  for (genvar y = 0; y < Y; y++) begin : g_y
    for (genvar x = 0; x < X; x++) begin : g_x
      localparam int unsigned I = y * X + x;

      logic [Links-1:0]          en, in_valid, in_ready;
      logic [Links*PktWidth-1:0] in_data;

      // input link m comes from the neighbour on link m, out of its link (m + 3) mod 6
      for (genvar m = 0; m < Links; m++) begin : g_link
        localparam int Nx = x + int'(axon_pkg::RouterLinkDxPlus1[2*m +: 2]) - 1;
        localparam int Ny = y + int'(axon_pkg::RouterLinkDyPlus1[2*m +: 2]) - 1;
        localparam bit Inside = Nx >= 0 && Ny >= 0 && Nx < int'(X) && Ny < int'(Y);
        localparam int unsigned Wx = (Nx < 0) ? X - 1 : (Nx >= int'(X)) ? 0 : Nx;
        localparam int unsigned Wy = (Ny < 0) ? Y - 1 : (Ny >= int'(Y)) ? 0 : Ny;
        localparam int unsigned J  = Wy * X + Wx;
        localparam int unsigned Src = J * Links + (m + 3) % Links;
        if (Wrap || Inside) begin : g_on
          logic [$clog2(LinkDepth + 2)-1:0] level;
          assign en[m] = 1'b1;
          axon_fifo #(
            .Width(PktWidth),
            .Depth(LinkDepth)
          ) u_link (
            .clk_i      (clk_i),
            .rst_ni     (rst_ni),
            .clear_i    (1'b0),
            .in_valid_i (out_valid[Src]),
            .in_ready_o (out_ready[Src]),
            .in_data_i  (out_data[Src*PktWidth +: PktWidth]),
            .out_valid_o(in_valid[m]),
            .out_ready_i(in_ready[m]),
            .out_data_o (in_data[m*PktWidth +: PktWidth]),
            .level_o    (level)
          );
          assign link_busy[I*Links + m] = level != '0;
        end else begin : g_off
          logic unused_ready;
          assign unused_ready = in_ready[m];
          assign en[m]        = 1'b0;
          assign in_valid[m]  = 1'b0;
          assign in_data[m*PktWidth +: PktWidth] = '0;
          assign link_busy[I*Links + m] = 1'b0;
        end
      end

      assign sel[I] = cfg_x_i == CoordWidth'(x) && cfg_y_i == CoordWidth'(y);

      axon_chip #(
        .NumCores    (NumCores),
        .NumNeurons  (NumNeurons),
        .MemWordsLog2(MemWordsLog2),
        .RecWordsLog2(RecWordsLog2),
        .HasDelayExt (HasDelayExt),
        .NumEntries  (NumEntries),
        .P2pEntries  (P2pEntries)
      ) u_chip (
        .clk_i           (clk_i),
        .rst_ni          (rst_ni),
        .cfg_req_i       (cfg_req_i & sel[I]),
        .cfg_we_i        (cfg_we_i),
        .cfg_unit_i      (cfg_unit_i),
        .cfg_addr_i      (cfg_addr_i),
        .cfg_wdata_i     (cfg_wdata_i),
        .cfg_gnt_o       (gnt[I]),
        .cfg_rvalid_o    (rvalid[I]),
        .cfg_rdata_o     (rdata[I]),
        .link_en_i       (en),
        .link_in_valid_i (in_valid),
        .link_in_ready_o (in_ready),
        .link_in_data_i  (in_data),
        .link_out_valid_o(out_valid[I*Links +: Links]),
        .link_out_ready_i(out_ready[I*Links +: Links]),
        .link_out_data_o (out_data[I*Links*PktWidth +: Links*PktWidth]),
        .tick_i          (tick_i),
        .idle_o          (idle[I])
      );
    end
  end

  // links without a neighbour: the chip drops their packets itself (link_en_i = 0)
  for (genvar y = 0; y < Y; y++) begin : g_sink_y
    for (genvar x = 0; x < X; x++) begin : g_sink_x
      for (genvar l = 0; l < Links; l++) begin : g_sink
        localparam int Nx = x + int'(axon_pkg::RouterLinkDxPlus1[2*l +: 2]) - 1;
        localparam int Ny = y + int'(axon_pkg::RouterLinkDyPlus1[2*l +: 2]) - 1;
        localparam bit Inside = Nx >= 0 && Ny >= 0 && Nx < int'(X) && Ny < int'(Y);
        localparam int unsigned K = (y * X + x) * Links + l;
        if (!Wrap && !Inside) begin : g_tie
          logic unused_out;
          assign unused_out   = out_valid[K] ^ (^out_data[K*PktWidth +: PktWidth]);
          assign out_ready[K] = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dead_rvalid_q <= 1'b0;
    end else begin
      dead_rvalid_q <= cfg_req_i & ~cfg_we_i & ~|sel;
    end
  end

  always_comb begin
    cfg_gnt_o    = cfg_req_i & ~|sel;
    cfg_rvalid_o = dead_rvalid_q;
    cfg_rdata_o  = '0;
    for (int unsigned i = 0; i < NumChips; i++) begin
      cfg_gnt_o    = cfg_gnt_o | (sel[i] & gnt[i]);
      cfg_rvalid_o = cfg_rvalid_o | rvalid[i];
      cfg_rdata_o  = cfg_rdata_o | (rvalid[i] ? rdata[i] : '0);
    end
  end

  assign idle_o = &idle & ~|link_busy;

endmodule
