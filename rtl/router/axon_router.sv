// Axon's SpiNNaker-compatible packet router of one chip (docs/rtl.md "Router",
// docs/spec/routing.md "Router hardware"). The golden model is models/router.c
// (axon/router.h): the same rules at packet level, loaded with the same register writes.
//
// Ports 0..5 are the links E NE N W SW S, port 6 + c local core c (the route word's bit
// layout). Every port has a valid/ready input and output stream of 72-bit packets
// (core_if pkt_bus: bits 7:0 control byte, 39:8 key, 71:40 payload); valid never drops
// before the transfer.
//
// Pipeline (one packet per clock when the outputs take it):
//   A  round-robin arbiter picks an input; the TCAM rows and the P2P entry are read
//   1  TCAM match vector -> first (lowest-index) match; route RAM read; parity, timestamp
//   2  route word: MC table / default routing / FR register / P2P table / NN rules,
//      emergency states (second leg, reverting); errors are dropped here (error latch,
//      counters)
//   3  fork: the packet is offered to every output of its route; each output takes it once
//      (pending bit per output) and the stage frees when every output took it. Blocked
//      outputs: after wait1 cycles MC/FR links are detoured onto the next link
//      anticlockwise (emergency), after wait2 more cycles (or at wait1 without emergency
//      routing) every output still pending is dumped (dump latch, counters).
// The whole pipeline advances together when stage 3 is free or frees this cycle.
//
// Configuration: the core's cfg bus (core_if.md), router_if register map (axon_pkg::Rif*).
// Reads return rdata one cycle after the grant. A multicast entry write (mc_route_base + i)
// commits {mc_key, mc_mask, wdata}: it is granted once stage 1 is empty (the arbiter pauses
// while it waits) and rewrites the TCAM rows (32 cycles, no input accepted and no grant
// meanwhile). Table and P2P words are write-only. After reset the TCAM (16 cycles) and the
// P2P table (P2pEntries cycles) are cleared: no input is accepted and no request granted
// until then.
module axon_router #(
  parameter int unsigned NumCores   = 18,
  parameter int unsigned NumEntries = 1024,
  parameter int unsigned P2pEntries = 65536,
  localparam int unsigned Links     = axon_pkg::RouterLinks,
  localparam int unsigned NumPorts  = Links + NumCores,
  localparam int unsigned PortWidth = $clog2(NumPorts),
  localparam int unsigned PktWidth  = axon_pkg::CifPktBusWidth,
  localparam int unsigned IdxWidth  = $clog2(NumEntries),
  localparam int unsigned P2pWidth  = $clog2(P2pEntries),
  localparam int unsigned AddrWidth = axon_pkg::RifAddrBits
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  // configuration
  input  logic                         cfg_req_i,
  input  logic                         cfg_we_i,
  input  logic [AddrWidth-1:0]         cfg_addr_i,
  input  logic [31:0]                  cfg_wdata_i,
  output logic                         cfg_gnt_o,
  output logic                         cfg_rvalid_o,
  output logic [31:0]                  cfg_rdata_o,
  // packets in
  input  logic [NumPorts-1:0]          in_valid_i,
  output logic [NumPorts-1:0]          in_ready_o,
  input  logic [NumPorts*PktWidth-1:0] in_data_i,
  // packets out
  output logic [NumPorts-1:0]          out_valid_o,
  input  logic [NumPorts-1:0]          out_ready_i,
  output logic [NumPorts*PktWidth-1:0] out_data_o,
  // clearing the tables after reset, or rewriting a TCAM entry
  output logic                         busy_o,
  // no packet in the pipeline (stages 1..3) and not busy: the chip's idle (axon_chip)
  output logic                         idle_o
);

  localparam int unsigned NumDiag = axon_pkg::RifDiagCounters;
  localparam int unsigned CoreLsb = axon_pkg::RouterRouteCoreLsb;
  localparam logic [1:0] TypeMc  = 2'(axon_pkg::PktTypeMc);
  localparam logic [1:0] TypeP2p = 2'(axon_pkg::PktTypeP2p);
  localparam logic [1:0] TypeFr  = 2'(axon_pkg::PktTypeFr);
  localparam logic [1:0] EmNormal = 2'(axon_pkg::PktEmergencyNormal);
  localparam logic [1:0] EmFirst  = 2'(axon_pkg::PktEmergencyEmergencyFirst);
  localparam logic [1:0] EmSecond = 2'(axon_pkg::PktEmergencyEmergencySecond);
  localparam logic [1:0] EmRevert = 2'(axon_pkg::PktEmergencyReverting);
  localparam logic [3:0] DropNone      = 4'(axon_pkg::RifDropNone);
  localparam logic [3:0] DropParity    = 4'(axon_pkg::RifDropParity);
  localparam logic [3:0] DropTimestamp = 4'(axon_pkg::RifDropTimestamp);
  localparam logic [3:0] DropUnrouted  = 4'(axon_pkg::RifDropUnrouted);
  localparam logic [3:0] DropTimeout   = 4'(axon_pkg::RifDropTimeout);
  localparam logic [7:0] WaitForever   = 8'(axon_pkg::RifWaitForever);

  ///////////////
  // Functions //
  ///////////////

  // (l + k) mod 6 for a link number l and k < 6
  function automatic logic [2:0] link_add(logic [2:0] l, logic [2:0] k);
    logic [3:0] s;
    s = {1'b0, l} + {1'b0, k};
    link_add = (s >= 4'd6) ? 3'(s - 4'd6) : s[2:0];
  endfunction

  // cycles of a wait register value (SpiNNaker encoding; 0xFF is handled by the caller)
  function automatic logic [19:0] wait_cycles(logic [7:0] w);
    logic [19:0] m;
    m = 20'(w[3:0]) + 20'd16;
    if (w[7:4] <= 4'd4) begin
      wait_cycles = (m - (20'd1 << (3'd4 - w[6:4]))) << w[7:4];
    end else begin
      wait_cycles = m << w[7:4];
    end
  endfunction

  // odd parity of a packet with its parity bit cleared: the bit that makes it odd
  function automatic logic parity_bit(logic [7:1] ctrl, logic [31:0] key, logic [31:0] payload);
    parity_bit = ~(^ctrl ^ ^key ^ (ctrl[1] & ^payload));
  endfunction

  // rotate the 6 link bits by one towards the next link anticlockwise
  function automatic logic [Links-1:0] rot_links(logic [Links-1:0] m);
    rot_links = {m[Links-2:0], m[Links-1]};
  endfunction

  ////////////////////////////
  // Configuration registers //
  ////////////////////////////

  logic [7:0]  wait1_q, wait2_q;
  logic [1:0]  phase_q;
  logic [23:0] fr_route_q;
  logic [31:0] mc_key_q, mc_mask_q;
  logic [NumDiag*32-1:0] filter_q;
  logic [NumDiag*32-1:0] count_q;
  logic        dump_valid_q, dump_overflow_q, err_valid_q, err_overflow_q;
  logic [31:0] dump_hdr_q, dump_key_q, dump_payload_q, dump_outputs_q;
  logic [31:0] err_hdr_q, err_key_q, err_payload_q;
  logic [31:0] err_parity_q, err_timestamp_q, err_unrouted_q;

  // table clearing after reset: P2P sweep (the TCAM clears itself)
  logic                p2p_init_q;
  logic [P2pWidth-1:0] p2p_init_idx_q;
  logic                tcam_busy;
  logic                busy;
  assign busy   = tcam_busy | p2p_init_q;
  assign busy_o = busy;

  // a multicast entry write rewrites the TCAM rows through the lookup port: it waits until
  // stage 1 (whose match vector comes from that port) is empty, and stops the arbiter
  logic cfg_mc_req, s1_valid_q;
  logic cfg_wr, cfg_rd;
  assign cfg_mc_req = cfg_req_i & cfg_we_i &&
                      cfg_addr_i >= AddrWidth'(axon_pkg::RifMcRouteBase) &&
                      cfg_addr_i < AddrWidth'(axon_pkg::RifMcRouteBase + NumEntries);
  assign cfg_gnt_o = cfg_req_i & ~busy & ~(cfg_mc_req & s1_valid_q);
  assign cfg_wr    = cfg_gnt_o & cfg_we_i;
  assign cfg_rd    = cfg_gnt_o & ~cfg_we_i;

  logic cfg_mc_wr, cfg_p2p_wr, cfg_filter_wr, cfg_count_wr, cfg_ctrl_wr;
  logic [3:0] cfg_diag_idx;
  assign cfg_mc_wr  = cfg_gnt_o & cfg_mc_req;
  assign cfg_p2p_wr = cfg_wr && cfg_addr_i >= AddrWidth'(axon_pkg::RifP2pBase) &&
                      cfg_addr_i < AddrWidth'(axon_pkg::RifP2pBase + P2pEntries);
  assign cfg_diag_idx  = cfg_addr_i[3:0];
  assign cfg_filter_wr = cfg_wr && (cfg_addr_i >> 4) == AddrWidth'(axon_pkg::RifRegDiagFilter >> 4);
  assign cfg_count_wr  = cfg_wr && (cfg_addr_i >> 4) == AddrWidth'(axon_pkg::RifRegDiagCount >> 4);
  assign cfg_ctrl_wr   = cfg_wr && cfg_addr_i == AddrWidth'(axon_pkg::RifRegCtrl);

  //////////////////////////
  // Stage A: arbitration //
  //////////////////////////

  logic                 adv;         // the pipeline moves this cycle
  logic [PortWidth-1:0] rr_q;        // first input of the round-robin search
  logic [PortWidth-1:0] sel;
  logic                 sel_valid;
  logic [PktWidth-1:0]  sel_pkt;

  always_comb begin
    sel       = '0;
    sel_valid = 1'b0;
    for (int unsigned i = 0; i < NumPorts; i++) begin
      if (!sel_valid && in_valid_i[i] && PortWidth'(i) >= rr_q) begin
        sel       = PortWidth'(i);
        sel_valid = 1'b1;
      end
    end
    for (int unsigned i = 0; i < NumPorts; i++) begin
      if (!sel_valid && in_valid_i[i]) begin
        sel       = PortWidth'(i);
        sel_valid = 1'b1;
      end
    end
  end
  assign sel_pkt = in_data_i[sel*PktWidth +: PktWidth];

  logic accept;
  assign accept = adv & sel_valid & ~busy & ~cfg_mc_req;
  always_comb begin
    in_ready_o = '0;
    in_ready_o[sel] = accept;
  end

  //////////////
  // Stage 1  //
  //////////////

  logic [PktWidth-1:0]  s1_pkt_q;
  logic [PortWidth-1:0] s1_src_q;
  logic [NumEntries-1:0] match;
  logic [2:0]           p2p_rdata;

  axon_router_tcam #(
    .NumEntries(NumEntries)
  ) u_tcam (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .re_i     (adv),
    .key_i    (sel_pkt[39:8]),
    .match_o  (match),
    .wr_i     (cfg_mc_wr),
    .wr_idx_i (cfg_addr_i[IdxWidth-1:0]),
    .wr_key_i (mc_key_q),
    .wr_mask_i(mc_mask_q),
    .busy_o   (tcam_busy)
  );

  axon_ram_1r1w #(
    .Width(3),
    .Depth(P2pEntries)
  ) u_p2p (
    .clk_i  (clk_i),
    .re_i   (adv),
    .raddr_i(sel_pkt[8 +: P2pWidth]),
    .rdata_o(p2p_rdata),
    .we_i   (cfg_p2p_wr | p2p_init_q),
    .waddr_i(p2p_init_q ? p2p_init_idx_q : cfg_addr_i[P2pWidth-1:0]),
    .wdata_i(p2p_init_q ? 3'(axon_pkg::RifP2pDrop) : cfg_wdata_i[2:0])
  );

  // first match
  logic                hit;
  logic [IdxWidth-1:0] hit_idx;
  always_comb begin
    hit     = 1'b0;
    hit_idx = '0;
    for (int i = NumEntries - 1; i >= 0; i--) begin
      if (match[i]) begin
        hit     = 1'b1;
        hit_idx = IdxWidth'(i);
      end
    end
  end

  logic [23:0] route_rdata;
  axon_ram_1r1w #(
    .Width(24),
    .Depth(NumEntries)
  ) u_route (
    .clk_i  (clk_i),
    .re_i   (adv),
    .raddr_i(hit_idx),
    .rdata_o(route_rdata),
    .we_i   (cfg_mc_wr),
    .waddr_i(cfg_addr_i[IdxWidth-1:0]),
    .wdata_i(cfg_wdata_i[23:0])
  );

  logic s1_parity_bad, s1_ts_old;
  assign s1_parity_bad = ~(^s1_pkt_q[39:0] ^ (s1_pkt_q[1] & ^s1_pkt_q[71:40]));
  assign s1_ts_old     = (s1_pkt_q[3:2] ^ phase_q) == 2'b11;

  //////////////
  // Stage 2  //
  //////////////

  logic                 s2_valid_q;
  logic [PktWidth-1:0]  s2_pkt_q;
  logic [PortWidth-1:0] s2_src_q;
  logic                 s2_hit_q, s2_parity_bad_q, s2_ts_old_q;
  logic [2:0]           s2_p2p_q;

  logic [1:0]  s2_type, s2_em;
  logic        s2_from_link;
  logic [2:0]  s2_link, s2_second, s2_in_eff;
  logic [23:0] s2_route;
  logic        s2_dflt;
  logic [3:0]  s2_drop;
  logic [2*Links-1:0] s2_em_out;
  logic        s2_keep_em;

  assign s2_type      = s2_pkt_q[7:6];
  assign s2_from_link = s2_src_q < PortWidth'(Links);
  assign s2_link      = 3'(s2_src_q);
  assign s2_em        = s2_from_link ? s2_pkt_q[5:4] : EmNormal;
  assign s2_second    = link_add(s2_link, 3'd1);
  assign s2_in_eff    = (s2_em == EmRevert) ? s2_second : s2_link;

  always_comb begin
    s2_route   = '0;
    s2_dflt    = 1'b0;
    s2_drop    = DropNone;
    s2_em_out  = '0;
    s2_keep_em = 1'b0;
    if (s2_parity_bad_q) begin
      s2_drop = DropParity;
    end else if (s2_ts_old_q) begin
      s2_drop = DropTimestamp;
    end else if (s2_type == TypeMc || s2_type == TypeFr) begin
      if (s2_em != EmSecond) begin
        if (s2_type == TypeFr) begin
          s2_route = fr_route_q;
        end else if (s2_hit_q) begin
          s2_route = route_rdata;
        end else if (s2_from_link) begin
          s2_route = 24'd1 << link_add(s2_in_eff, 3'd3);
          s2_dflt  = 1'b1;
        end else begin
          s2_drop = DropUnrouted;
        end
      end
      if (s2_em == EmFirst || s2_em == EmSecond) begin
        s2_route = s2_route | (24'd1 << s2_second);
        s2_em_out[2*s2_second +: 2] = EmRevert;
      end
    end else if (s2_type == TypeP2p) begin
      s2_keep_em = 1'b1;
      if (s2_p2p_q == 3'(axon_pkg::RifP2pDrop)) begin
        s2_drop = DropUnrouted;
      end else if (s2_p2p_q == 3'(axon_pkg::RifP2pMonitor)) begin
        s2_route[CoreLsb + axon_pkg::RifMonitorCore] = 1'b1;
      end else begin
        s2_route = 24'd1 << s2_p2p_q;
      end
    end else begin  // NN
      s2_keep_em = 1'b1;
      if (s2_from_link) begin
        s2_route[CoreLsb + axon_pkg::RifMonitorCore] = 1'b1;
      end else if (s2_pkt_q[8 + axon_pkg::RifNnLinkLsb +: 3] == 3'(axon_pkg::RifNnDrop)) begin
        s2_drop = DropUnrouted;
      end else if (s2_pkt_q[8 + axon_pkg::RifNnLinkLsb +: 3] == 3'(axon_pkg::RifNnBroadcast)) begin
        s2_route[Links-1:0] = '1;
      end else begin
        s2_route = 24'd1 << s2_pkt_q[8 + axon_pkg::RifNnLinkLsb +: 3];
      end
    end
  end

  logic s2_error;
  assign s2_error = s2_valid_q & (s2_drop != DropNone);

  //////////////////
  // Stage 3: fork //
  //////////////////

  logic                 s3_valid_q;
  logic [PktWidth-1:0]  s3_pkt_q;
  logic [PortWidth-1:0] s3_src_q;
  logic                 s3_dflt_q, s3_keep_em_q, s3_phase2_q;
  logic [NumPorts-1:0]  s3_pend_q, s3_pend_d;
  logic [2*Links-1:0]   s3_em_q, s3_em_d;
  logic [19:0]          s3_cnt_q;
  logic [NumPorts-1:0]  take, left;
  logic                 s3_expire, s3_dump, s3_done, s3_emergency;
  logic [Links-1:0]     redirect, detour;

  assign out_valid_o = {NumPorts{s3_valid_q}} & s3_pend_q;
  assign take        = out_valid_o & out_ready_i;
  assign left        = s3_pend_q & ~take;

  // the control byte per output: links carry their emergency state, cores state 0 (MC/FR);
  // P2P and NN keep bits 5:4; parity made odd again
  for (genvar o = 0; o < NumPorts; o++) begin : gen_out
    logic [7:0] ctrl;
    always_comb begin
      ctrl = s3_pkt_q[7:0];
      if (!s3_keep_em_q) begin
        ctrl[5:4] = (o < Links) ? s3_em_q[2*(o % Links) +: 2] : EmNormal;
      end
      ctrl[0] = parity_bit(ctrl[7:1], s3_pkt_q[39:8], s3_pkt_q[71:40]);
    end
    assign out_data_o[o*PktWidth +: PktWidth] = {s3_pkt_q[71:8], ctrl};
  end

  // timers: wait1 from the cycle the packet entered, then wait2 after the detours
  always_comb begin
    s3_expire = 1'b0;
    if (s3_valid_q && left != '0) begin
      if (!s3_phase2_q) begin
        s3_expire = wait1_q != WaitForever && s3_cnt_q == wait_cycles(wait1_q);
      end else begin
        s3_expire = wait2_q != WaitForever && s3_cnt_q == wait_cycles(wait2_q);
      end
    end
  end
  assign s3_emergency = s3_expire & ~s3_phase2_q & ~s3_keep_em_q & (wait2_q != 8'd0);
  assign s3_dump      = s3_expire & ~s3_emergency;

  always_comb begin
    redirect = '0;
    for (int unsigned l = 0; l < Links; l++) begin
      if (left[l] && s3_em_q[2*l +: 2] == EmNormal &&
          !(left[(l + 1) % Links] && s3_em_q[2*((l + 1) % Links) +: 2] != EmNormal)) begin
        redirect[l] = 1'b1;
      end
    end
    detour    = rot_links(redirect);
    s3_pend_d = left;
    s3_em_d   = s3_em_q;
    if (s3_emergency) begin
      for (int unsigned l = 0; l < Links; l++) begin
        if (detour[l]) begin
          s3_em_d[2*l +: 2] = (left[l] && !redirect[l]) ? EmFirst : EmSecond;
        end
      end
      s3_pend_d[Links-1:0] = (left[Links-1:0] & ~redirect) | detour;
    end
  end

  assign s3_done = s3_valid_q & ((left == '0 & ~s3_emergency) | s3_dump);
  assign adv     = ~s3_valid_q | s3_done;
  assign idle_o  = ~s1_valid_q & ~s2_valid_q & ~s3_valid_q & ~busy;

  ////////////////////////////
  // Pipeline registers      //
  ////////////////////////////

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rr_q       <= '0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
      s3_pend_q  <= '0;
    end else begin
      if (accept) begin
        rr_q <= (sel == PortWidth'(NumPorts - 1)) ? '0 : sel + 1'b1;
      end
      if (adv) begin
        s1_valid_q <= accept;
        s2_valid_q <= s1_valid_q;
        s3_valid_q <= s2_valid_q & ~s2_error;
        s3_pend_q  <= s2_route[NumPorts-1:0];
      end else begin
        s3_pend_q  <= s3_pend_d;
      end
    end
  end

  // datapath registers, qualified by the valid bits (no reset)
  always_ff @(posedge clk_i) begin
    if (adv) begin
      s1_pkt_q        <= sel_pkt;
      s1_src_q        <= sel;
      s2_pkt_q        <= s1_pkt_q;
      s2_src_q        <= s1_src_q;
      s2_hit_q        <= hit;
      s2_parity_bad_q <= s1_parity_bad;
      s2_ts_old_q     <= s1_ts_old;
      s2_p2p_q        <= p2p_rdata;
      s3_pkt_q        <= s2_pkt_q;
      s3_src_q        <= s2_src_q;
      s3_dflt_q       <= s2_dflt;
      s3_keep_em_q    <= s2_keep_em;
      s3_em_q         <= s2_em_out;
      s3_phase2_q     <= 1'b0;
      s3_cnt_q        <= '0;
    end else begin
      s3_em_q     <= s3_em_d;
      s3_phase2_q <= s3_phase2_q | s3_emergency;
      s3_cnt_q    <= s3_emergency ? '0 : s3_cnt_q + 1'b1;
    end
  end

  //////////////////////////////////////
  // Counters, latches, registers     //
  //////////////////////////////////////

  // diagnostic events: a packet dropped as an error in stage 2, a packet leaving stage 3
  logic [16:0] ev_err, ev_out;
  logic        ev_err_valid, ev_out_valid;
  assign ev_err_valid = adv & s2_error;
  assign ev_out_valid = s3_done;

  function automatic logic [16:0] event_bits(logic [7:0] ctrl, logic from_link, logic dflt,
                                             logic [1:0] outcome);
    logic unused;
    unused = ^{ctrl[3:2], ctrl[0]};
    event_bits = (17'd1 << (axon_pkg::RifDiagTypeLsb + 32'(ctrl[7:6]))) |
                 (17'd1 << (axon_pkg::RifDiagEmLsb + 32'(ctrl[5:4]))) |
                 (17'd1 << (axon_pkg::RifDiagDefaultLsb + 32'(dflt))) |
                 (17'd1 << (axon_pkg::RifDiagPayloadLsb + 32'(ctrl[1]))) |
                 (17'd1 << (axon_pkg::RifDiagSourceLsb + 32'(from_link))) |
                 (17'd1 << (axon_pkg::RifDiagOutcomeLsb + 32'(outcome)));
  endfunction

  function automatic logic filter_hit(logic [16:0] f, logic [16:0] ev);
    logic [16:0] h;
    h = f & ev;
    filter_hit = |h[3:0] & |h[7:4] & |h[9:8] & |h[11:10] & |h[13:12] & |h[16:14];
  endfunction

  assign ev_err = event_bits(s2_pkt_q[7:0], s2_from_link, 1'b0, 2'd2);
  assign ev_out = event_bits(s3_pkt_q[7:0], s3_src_q < PortWidth'(Links), s3_dflt_q,
                             s3_dump ? 2'd1 : 2'd0);

  logic [31:0] s2_hdr, s3_hdr;
  assign s2_hdr = {12'd0, s2_drop, 8'(s2_src_q), s2_pkt_q[7:0]};
  assign s3_hdr = {12'd0, DropTimeout, 8'(s3_src_q), s3_pkt_q[7:0]};

  logic [NumDiag*32-1:0] count_d;
  always_comb begin
    count_d = count_q;
    for (int unsigned i = 0; i < NumDiag; i++) begin
      count_d[32*i +: 32] = count_q[32*i +: 32] +
          32'(ev_err_valid && filter_hit(filter_q[32*i +: 17], ev_err)) +
          32'(ev_out_valid && filter_hit(filter_q[32*i +: 17], ev_out));
    end
    if (cfg_ctrl_wr && cfg_wdata_i[axon_pkg::RifCtrlClearCountersBit]) begin
      count_d = '0;
    end
    if (cfg_count_wr) begin
      count_d[32*cfg_diag_idx +: 32] = cfg_wdata_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wait1_q         <= 8'(axon_pkg::RifWaitReset);
      wait2_q         <= 8'(axon_pkg::RifWaitReset);
      phase_q         <= '0;
      fr_route_q      <= '0;
      mc_key_q        <= '0;
      mc_mask_q       <= '0;
      filter_q        <= axon_pkg::RifDiagDefaults;
      count_q         <= '0;
      dump_valid_q    <= 1'b0;
      dump_overflow_q <= 1'b0;
      err_valid_q     <= 1'b0;
      err_overflow_q  <= 1'b0;
      dump_hdr_q      <= '0;
      dump_key_q      <= '0;
      dump_payload_q  <= '0;
      dump_outputs_q  <= '0;
      err_hdr_q       <= '0;
      err_key_q       <= '0;
      err_payload_q   <= '0;
      err_parity_q    <= '0;
      err_timestamp_q <= '0;
      err_unrouted_q  <= '0;
      p2p_init_q      <= 1'b1;
      p2p_init_idx_q  <= '0;
    end else begin
      count_q <= count_d;
      if (p2p_init_q) begin
        p2p_init_idx_q <= p2p_init_idx_q + 1'b1;
        if (p2p_init_idx_q == P2pWidth'(P2pEntries - 1)) begin
          p2p_init_q <= 1'b0;
        end
      end
      // error drops of stage 2
      if (ev_err_valid) begin
        if (s2_drop == DropParity) begin
          err_parity_q <= err_parity_q + 1'b1;
        end else if (s2_drop == DropTimestamp) begin
          err_timestamp_q <= err_timestamp_q + 1'b1;
        end else begin
          err_unrouted_q <= err_unrouted_q + 1'b1;
        end
        if (err_valid_q) begin
          err_overflow_q <= 1'b1;
        end else begin
          err_valid_q   <= 1'b1;
          err_hdr_q     <= s2_hdr;
          err_key_q     <= s2_pkt_q[39:8];
          err_payload_q <= s2_pkt_q[71:40];
        end
      end
      // dumps of stage 3
      if (s3_dump) begin
        if (dump_valid_q) begin
          dump_overflow_q <= 1'b1;
        end else begin
          dump_valid_q   <= 1'b1;
          dump_hdr_q     <= s3_hdr;
          dump_key_q     <= s3_pkt_q[39:8];
          dump_payload_q <= s3_pkt_q[71:40];
          dump_outputs_q <= 32'(left);
        end
      end
      // register writes (after the events: a write wins)
      if (cfg_wr) begin
        unique case (cfg_addr_i)
          AddrWidth'(axon_pkg::RifRegWait): begin
            wait1_q <= cfg_wdata_i[7:0];
            wait2_q <= cfg_wdata_i[15:8];
          end
          AddrWidth'(axon_pkg::RifRegPhase):   phase_q    <= cfg_wdata_i[1:0];
          AddrWidth'(axon_pkg::RifRegFrRoute): fr_route_q <= cfg_wdata_i[23:0];
          AddrWidth'(axon_pkg::RifRegMcKey):   mc_key_q   <= cfg_wdata_i;
          AddrWidth'(axon_pkg::RifRegMcMask):  mc_mask_q  <= cfg_wdata_i;
          AddrWidth'(axon_pkg::RifRegCtrl): begin
            if (cfg_wdata_i[axon_pkg::RifCtrlClearCountersBit]) begin
              err_parity_q    <= '0;
              err_timestamp_q <= '0;
              err_unrouted_q  <= '0;
            end
            if (cfg_wdata_i[axon_pkg::RifCtrlClearDumpBit]) begin
              dump_valid_q    <= 1'b0;
              dump_overflow_q <= 1'b0;
            end
            if (cfg_wdata_i[axon_pkg::RifCtrlClearErrorBit]) begin
              err_valid_q    <= 1'b0;
              err_overflow_q <= 1'b0;
            end
          end
          default: ;
        endcase
        if (cfg_filter_wr) begin
          filter_q[32*cfg_diag_idx +: 32] <= cfg_wdata_i;
        end
      end
    end
  end

  // reads
  logic [31:0] rdata_d, rdata_q;
  logic        rvalid_q;
  always_comb begin
    rdata_d = '0;
    if ((cfg_addr_i >> 4) == AddrWidth'(axon_pkg::RifRegDiagFilter >> 4)) begin
      rdata_d = filter_q[32*cfg_diag_idx +: 32];
    end else if ((cfg_addr_i >> 4) == AddrWidth'(axon_pkg::RifRegDiagCount >> 4)) begin
      rdata_d = count_q[32*cfg_diag_idx +: 32];
    end else begin
      unique case (cfg_addr_i)
        AddrWidth'(axon_pkg::RifRegInfo): begin
          rdata_d[axon_pkg::RifInfoNCoresLsb +: 8]        = 8'(NumCores);
          rdata_d[axon_pkg::RifInfoMcEntriesLog2Lsb +: 8]  = 8'(IdxWidth);
          rdata_d[axon_pkg::RifInfoP2pEntriesLog2Lsb +: 8] = 8'(P2pWidth);
        end
        AddrWidth'(axon_pkg::RifRegVersion):     rdata_d = axon_pkg::SpecVersion;
        AddrWidth'(axon_pkg::RifRegWait):        rdata_d = {16'd0, wait2_q, wait1_q};
        AddrWidth'(axon_pkg::RifRegPhase):       rdata_d = 32'(phase_q);
        AddrWidth'(axon_pkg::RifRegFrRoute):     rdata_d = 32'(fr_route_q);
        AddrWidth'(axon_pkg::RifRegMcKey):       rdata_d = mc_key_q;
        AddrWidth'(axon_pkg::RifRegMcMask):      rdata_d = mc_mask_q;
        AddrWidth'(axon_pkg::RifRegStatus): begin
          rdata_d[axon_pkg::RifStatusBusyBit]         = busy;
          rdata_d[axon_pkg::RifStatusDumpValidBit]    = dump_valid_q;
          rdata_d[axon_pkg::RifStatusDumpOverflowBit] = dump_overflow_q;
          rdata_d[axon_pkg::RifStatusErrValidBit]     = err_valid_q;
          rdata_d[axon_pkg::RifStatusErrOverflowBit]  = err_overflow_q;
        end
        AddrWidth'(axon_pkg::RifRegDumpHdr):      rdata_d = dump_hdr_q;
        AddrWidth'(axon_pkg::RifRegDumpKey):      rdata_d = dump_key_q;
        AddrWidth'(axon_pkg::RifRegDumpPayload):  rdata_d = dump_payload_q;
        AddrWidth'(axon_pkg::RifRegDumpOutputs):  rdata_d = dump_outputs_q;
        AddrWidth'(axon_pkg::RifRegErrHdr):       rdata_d = err_hdr_q;
        AddrWidth'(axon_pkg::RifRegErrKey):       rdata_d = err_key_q;
        AddrWidth'(axon_pkg::RifRegErrPayload):   rdata_d = err_payload_q;
        AddrWidth'(axon_pkg::RifRegErrParity):    rdata_d = err_parity_q;
        AddrWidth'(axon_pkg::RifRegErrTimestamp): rdata_d = err_timestamp_q;
        AddrWidth'(axon_pkg::RifRegErrUnrouted):  rdata_d = err_unrouted_q;
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q <= 1'b0;
      rdata_q  <= '0;
    end else begin
      rvalid_q <= cfg_rd;
      if (cfg_rd) begin
        rdata_q <= rdata_d;
      end
    end
  end
  assign cfg_rvalid_o = rvalid_q;
  assign cfg_rdata_o  = rdata_q;

endmodule
