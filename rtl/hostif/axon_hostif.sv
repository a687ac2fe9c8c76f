// The board's host interface: speaks the board protocol (docs/spec/protocol.md) on an
// FT601-style synchronous 32-bit FIFO bus and drives the cores' configuration bus and the
// timestep handshake (docs/spec/core_if.md). docs/board.md, docs/rtl.md.
//
// FIFO bus (FT601 245 mode, one channel, active-low strobes, seen from the FPGA):
//   receive  (host -> board): ft_rxf_ni low = a word is available; the block drives
//            ft_oe_no low, then ft_rd_no low; a word is taken at each rising edge with
//            ft_oe_no, ft_rd_no and ft_rxf_ni all low.
//   transmit (board -> host): ft_txe_ni low = the bridge accepts a word; a word on
//            ft_data_o is taken at each rising edge with ft_wr_no and ft_txe_ni low. The
//            block never drives ft_wr_no low while ft_oe_no is low (bus turnaround).
// Replies and stream frames share the one IN channel (frame-interleaved, never split); the
// host separates them by the REPLY / STREAM flag.
//
// Protocol subset of this version: HELLO, READ, WRITE (space CORE: a core's configuration
// bus; ROUTER_CFG: a chip router's, router_if; CHIP_CFG: the chip registers, chip_if), LOAD
// (the image file walked as it arrives: router tables, entries beyond the image's made
// inert, and core memories written through the configuration bus, header and structure
// validated, every core booted - unused ones wiped first so that they stay off - the chips'
// core_enable set to the used cores and each used core's boot checked), STATUS, RUN
// (barrier and real-time), STOP, RESET (ctrl.BOOT to every used core), and on the stream
// REC_DATA (the cores' recording buffers drained during runs), DROP_REPORT (per chip, the
// router's dump + error counters at the end of a run) and RUN_DONE. The bus is chip_if's
// (docs/spec/chip_if.md: unit = core, unit_router or unit_chip); chips are addressed by
// (x, y) on cfg_x_o / cfg_y_o for a board of MeshW x MeshH chips (axon_mesh).
// Frames are word-aligned on the FIFO bus: resynchronisation skips whole words. A
// duplicate READ or STATUS is executed again (both are free of side effects except reads of
// rec_data); other duplicates get their cached reply.
module axon_hostif #(
  parameter int unsigned NumCores = 4,
  parameter int unsigned MeshW    = 1,    // chips of the board, x
  parameter int unsigned MeshH    = 1,    // chips of the board, y
  parameter int unsigned MemWords = 65536,  // core memory words (LOAD capacity checks)
  parameter int unsigned RouterEntries = axon_pkg::RouterMcEntries,
  parameter bit          HasRouter = 1'b1,  // DROP_REPORT reads the routers' counters
  parameter bit          EnableLoad = 1'b1,  // 0: LOAD answered with OPCODE (as before LOAD)
  parameter bit          ChipRegs  = 1'b1,  // LOAD sets the chips' core_enable (chip_if.md)
  parameter int unsigned BufWords = axon_pkg::ProtoMaxPayloadWords,
  parameter int unsigned ClkMhz   = 100,
  parameter logic [31:0] Serial0  = 32'h4e4f5841,  // "AXON" (little-endian ASCII)
  parameter logic [31:0] Serial1  = 32'h41475046,  // "FPGA"
  parameter logic [31:0] Serial2  = 32'h0,
  parameter logic [31:0] Serial3  = 32'h0,
  localparam int unsigned BufAw   = $clog2(BufWords),
  localparam int unsigned CoreW   = (NumCores > 1) ? $clog2(NumCores) : 1,
  localparam int unsigned Units   = MeshW * MeshH * NumCores,
  localparam int unsigned UnitBits = axon_pkg::ChipIfUnitBits
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // FT601-style FIFO bus
  input  logic                ft_rxf_ni,
  input  logic [31:0]         ft_data_i,
  output logic                ft_oe_no,
  output logic                ft_rd_no,
  input  logic                ft_txe_ni,
  output logic                ft_wr_no,
  output logic [31:0]         ft_data_o,
  output logic [3:0]          ft_be_o,
  // the chips' configuration bus (chip_if.md; reads answered in order)
  output logic                cfg_req_o,
  output logic                cfg_we_o,
  output logic [7:0]          cfg_x_o,
  output logic [7:0]          cfg_y_o,
  output logic [UnitBits-1:0] cfg_unit_o,  // chip_if unit: core, unit_router or unit_chip
  output logic [23:0]         cfg_addr_o,
  output logic [31:0]         cfg_wdata_o,
  input  logic                cfg_gnt_i,
  input  logic                cfg_rvalid_i,
  input  logic [31:0]         cfg_rdata_i,
  // timestep handshake
  output logic                tick_o,
  input  logic [Units-1:0]    idle_i,  // per core, index (y * MeshW + x) * NumCores + core
  // a run is in progress (its stream not yet ended with RUN_DONE): a board's LED
  output logic                running_o
);

  localparam int unsigned Window  = axon_pkg::ProtoWindow;
  localparam int unsigned CacheAw = $clog2(Window);
  localparam int unsigned Chips   = MeshW * MeshH;
  localparam int unsigned MaxData = (BufWords < axon_pkg::ProtoMaxDataWords) ?
                                    BufWords : axon_pkg::ProtoMaxDataWords;
  localparam logic [7:0] FlagReply  = 8'(1 << axon_pkg::ProtoFlagReply);
  localparam logic [7:0] FlagNak    = 8'((1 << axon_pkg::ProtoFlagReply) | (1 << axon_pkg::ProtoFlagNak));
  localparam logic [7:0] FlagStream = 8'(1 << axon_pkg::ProtoFlagStream);
  // the largest image the board can hold (LOAD totals above it: LENGTH)
  localparam logic [63:0] LoadMax64 = 64'(axon_pkg::ImageHeaderWords) +
                                      64'(Chips) * (64'd1 + 64'd3 * 64'(RouterEntries)) +
                                      64'(Units) * (64'd1 + 64'(MemWords));
  localparam logic [31:0] LoadMax = (LoadMax64 > 64'hFFFF_FFFF) ? 32'hFFFF_FFFF : LoadMax64[31:0];
  localparam logic [31:0] RegCtrl   = 32'(axon_pkg::CifRegBase + axon_pkg::CifRegCtrl);
  localparam logic [31:0] RegStatus = 32'(axon_pkg::CifRegBase + axon_pkg::CifRegStatus);
  localparam logic [31:0] RegError  = 32'(axon_pkg::CifRegBase + axon_pkg::CifRegError);
  localparam int unsigned PollW = 20;  // boot polls before a LOAD gives up (TIMEOUT)
  // The golden model's router counters (space ROUTER, counters.router) on the RTL router:
  // diagnostic counters RifGoldenDiagFirst + k get the spec's filters k (router_if.golden_diag,
  // shared with the emulator) at LOAD and RESET: multicast packets from a core, from a link,
  // default-routed, and from a core matching no entry; dropped_no_link is the chip's
  // register; hop-limit drops and deliveries to unused cores do not exist there (0).
  localparam int unsigned DiagGolden = axon_pkg::RifGoldenDiagFirst;
  // a unit no chip has (chip_if: granted at once, reads 0)
  localparam logic [4:0]  UnitNone = 5'(axon_pkg::ChipIfUnitChip - 1);

  // ---------------------------------------------------------------- main state machine
  typedef enum logic [4:0] {
    RxHdr0, RxHdr1, RxPay, RxCrc, Exec, CfgRead, CfgWrite, WaitTx, SendDone,
    DrAvail, DrData, DrSend, LdFetch, LdProc, LdClr, BtWalk, BtEnable, BtPoll, BtPollWait, BtErr, BtErrWait,
    DpRead, DpWait, DpSend, DpNext
  } state_e;
  state_e state_q;

  typedef enum logic [2:0] {
    SrcNone, SrcWord, SrcHello, SrcStatus, SrcRam, SrcDone, SrcRec, SrcDrop
  } src_e;

  typedef enum logic [2:0] {
    TxIdle, TxH0, TxH1, TxPay, TxCrc
  } tx_e;
  tx_e tx_q;

  // sections of the image file (docs/spec/image.md), walked by LOAD
  typedef enum logic [2:0] {
    LsHdr, LsChipN, LsEnt, LsCoreN, LsMem, LsEnd
  } ld_sec_e;

  // received frame
  logic [7:0]  rx_op_q, rx_flags_q;
  logic [15:0] rx_seq_q, rx_len_q, rx_idx_q;
  logic [31:0] arg_q [3];
  logic [31:0] rx_crc_q;
  logic        in_error_q;  // a bad frame was answered; silent until a good one
  // protocol state
  logic        hello_q;
  logic [15:0] expect_q;
  logic        cache_valid_q [Window];
  logic [15:0] cache_seq_q [Window];
  logic [7:0]  cache_op_q [Window];
  logic [7:0]  cache_st_q [Window];
  logic        cache_n_q [Window];
  logic [31:0] cache_word_q [Window];
  logic [CacheAw-1:0] cache_ptr_q, cache_last_q;
  // counters (board_status order)
  logic [31:0] cnt_q [axon_pkg::ProtoBstN];
  // burst access: the target of the configuration-bus transactions
  logic [7:0]  cur_x_q, cur_y_q;
  logic        router_q, chip_q, ctr_q;
  logic [CoreW-1:0] core_q;
  logic [23:0] addr_q;
  logic [15:0] count_q, issued_q, got_q;
  logic        noinc_q;     // reads of one register (rec_data): the address does not move
  // recording drain during runs: cores visited round robin
  logic [7:0]  dr_x_q, dr_y_q;
  logic [CoreW-1:0] dr_core_q;
  logic [15:0] dr_clean_q;  // cores found empty in a row since the last tick
  // image: present (READY), cores in use, LOAD walk
  logic        img_q, ld_on_q;
  logic [Units-1:0] used_q;
  logic [31:0] ld_total_q, ld_got_q;
  ld_sec_e     ld_sec_q;
  logic [23:0] ld_i_q, ld_n_q;
  logic [1:0]  ld_j_q;
  logic [7:0]  ld_x_q, ld_y_q, ld_c_q;
  logic [15:0] ld_k_q;
  logic [8:0]  img_w_q, img_h_q;
  // a chip's table entries beyond the image's made inert (before its entries are written)
  logic [7:0]  clr_x_q, clr_y_q;
  logic [1:0]  clr_j_q;
  logic [23:0] clr_i_q;
  logic [7:0]  img_cpc_q;
  logic        img_wrap_q;
  // boot walk (LOAD, RESET): every core of the board
  logic [7:0]  bt_x_q, bt_y_q;
  logic [CoreW-1:0] bt_c_q;
  logic        bt_load_q, bt_sub_q;
  logic [2:0]  en_k_q;  // BtEnable: which of the chip's writes
  logic [PollW-1:0] poll_q;
  // drop reports at the end of a run
  logic [7:0]  dp_x_q, dp_y_q;
  logic        dp_k_q;
  logic [31:0] dp_sum_q;
  logic [31:0] drop_prev_q [Chips];
  // transmit request
  logic [7:0]  tx_op_q, tx_st_q, tx_flags_q;
  logic [15:0] tx_seq_q, tx_len_q, tx_k_q;
  src_e        tx_src_q;
  logic [31:0] tx_word_q, tx_crc_q;
  logic        tx_go;       // main FSM hands a frame to the transmitter
  logic [15:0] stream_seq_q;
  // run control
  logic        run_q, stop_req_q, stopped_q, done_pend_q, rt_q;
  logic [31:0] step_q, target_q, tick_cycles_q, timer_q;
  logic [1:0]  guard_q;
  logic        run_start, stop_set, boot_done;
  logic [31:0] run_steps;

  // flat core index of (x, y, core)
  localparam int unsigned UnitW = (Units > 1) ? $clog2(Units) : 1;
  logic [UnitW-1:0] bt_u, ld_u;
  assign bt_u = UnitW'((32'(bt_y_q) * MeshW + 32'(bt_x_q)) * NumCores + 32'(bt_c_q));
  assign ld_u = UnitW'((32'(ld_y_q) * MeshW + 32'(ld_x_q)) * NumCores + 32'(ld_c_q));

  // ---------------------------------------------------------------- FIFO bus
  logic rx_want, oe_q, rx_take, tx_take;
  logic [31:0] rx_word;
  // one thing at a time: nothing is received while a frame is being sent (the payload
  // buffer may be its source)
  assign rx_want  = tx_q == TxIdle && ((state_q == RxHdr0 && !done_pend_q) ||
                    state_q == RxHdr1 || state_q == RxPay || state_q == RxCrc);
  assign ft_oe_no = !oe_q;
  assign ft_rd_no = !(rx_want && oe_q);
  assign rx_take  = rx_want && oe_q && !ft_rxf_ni;
  assign rx_word  = ft_data_i;
  assign ft_be_o  = 4'hF;
  assign ft_wr_no = !(tx_q != TxIdle && !oe_q);
  assign tx_take  = tx_q != TxIdle && !oe_q && !ft_txe_ni;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      oe_q <= 1'b0;
    end else begin
      oe_q <= rx_want && !ft_rxf_ni;
    end
  end

  // ---------------------------------------------------------------- CRC
  logic [31:0] rx_crc_next, tx_crc_next;
  axon_crc32c u_rx_crc (.crc_i(rx_crc_q), .data_i(rx_word), .crc_o(rx_crc_next));
  axon_crc32c u_tx_crc (.crc_i(tx_crc_q), .data_i(ft_data_o), .crc_o(tx_crc_next));

  // ---------------------------------------------------------------- payload buffer
  logic             ram_we, ram_re;
  logic [BufAw-1:0] ram_waddr, ram_raddr;
  logic [31:0]      ram_wdata, ram_rdata;
  axon_ram_1r1w #(.Width(32), .Depth(BufWords)) u_buf (
    .clk_i  (clk_i),
    .re_i   (ram_re),
    .raddr_i(ram_raddr),
    .rdata_o(ram_rdata),
    .we_i   (ram_we),
    .waddr_i(ram_waddr),
    .wdata_i(ram_wdata)
  );

  always_comb begin
    ram_we    = 1'b0;
    ram_waddr = '0;
    ram_wdata = rx_word;
    if (state_q == RxPay && rx_take) begin
      ram_we    = 1'b1;
      ram_waddr = BufAw'(rx_idx_q);
    end else if ((state_q == CfgRead || state_q == DrData) && cfg_rvalid_i) begin
      ram_we    = 1'b1;
      ram_waddr = BufAw'(got_q);
      ram_wdata = cfg_rdata_i;
    end
    ram_re = 1'b1;
    if (tx_q == TxPay && tx_src_q == SrcRec) begin
      ram_raddr = BufAw'(tx_k_q + {15'd0, tx_take} - 16'd1);  // word 0 is the target
    end else if (tx_q == TxPay) begin
      ram_raddr = BufAw'(tx_k_q + {15'd0, tx_take});
    end else if (tx_q != TxIdle) begin
      ram_raddr = '0;
    end else if (state_q == CfgWrite) begin
      ram_raddr = BufAw'(16'd2 + issued_q + {15'd0, cfg_gnt_i});
    end else if (state_q == LdFetch || state_q == LdProc) begin
      ram_raddr = BufAw'(16'd2 + ld_k_q);
    end else begin
      ram_raddr = BufAw'(2);
    end
  end

  // ---------------------------------------------------------------- request decode
  logic [7:0]  tgt_x, tgt_y, tgt_core, tgt_space;
  logic        tgt_chip, tgt_core_sp, tgt_rtr_sp, tgt_chip_sp, tgt_ctr_sp, tgt_ok;
  assign tgt_x       = arg_q[0][7:0];
  assign tgt_y       = arg_q[0][15:8];
  assign tgt_core    = arg_q[0][23:16];
  assign tgt_space   = arg_q[0][31:24];
  assign tgt_chip    = 32'(tgt_x) < MeshW && 32'(tgt_y) < MeshH;
  assign tgt_core_sp = tgt_space == 8'(axon_pkg::ProtoSpaceCore);
  assign tgt_rtr_sp  = tgt_space == 8'(axon_pkg::ProtoSpaceRouterCfg) && HasRouter;
  assign tgt_chip_sp = tgt_space == 8'(axon_pkg::ProtoSpaceChipCfg) && ChipRegs;
  assign tgt_ctr_sp  = tgt_space == 8'(axon_pkg::ProtoSpaceRouter) && HasRouter && ChipRegs;
  assign tgt_ok      = tgt_chip && ((tgt_core_sp && 32'(tgt_core) < NumCores) ||
                                    ((tgt_rtr_sp || tgt_chip_sp || tgt_ctr_sp) &&
                                     tgt_core == 8'd0));

  // a duplicate: a cached sequence number other than the expected one
  logic       dup_hit;
  logic [CacheAw-1:0] dup_idx;
  always_comb begin
    dup_hit = 1'b0;
    dup_idx = '0;
    for (int i = 0; i < Window; i++) begin
      if (cache_valid_q[i] && cache_seq_q[i] == rx_seq_q && rx_seq_q != expect_q) begin
        dup_hit = 1'b1;
        dup_idx = CacheAw'(i);
      end
    end
  end

  // board state (board_states)
  logic [31:0] board_state;
  assign board_state = run_q   ? 32'(axon_pkg::ProtoStateRunning) :
                       ld_on_q ? 32'(axon_pkg::ProtoStateLoading) :
                       img_q   ? 32'(axon_pkg::ProtoStateReady) : 32'(axon_pkg::ProtoStateIdle);

  // payload word k of the frame being sent
  logic [31:0] status_word, hello_word, done_word, drop_word, tx_payload;
  always_comb begin
    status_word = cnt_q[tx_k_q < 16'(axon_pkg::ProtoBstN) ? tx_k_q[3:0] : 4'd0];
    case (tx_k_q[3:0])
      4'(axon_pkg::ProtoBstState):     status_word = board_state;
      4'(axon_pkg::ProtoBstStep):      status_word = step_q;
      4'(axon_pkg::ProtoBstRunTarget): status_word = target_q;
      default: ;
    endcase
    case (tx_k_q[3:0])
      4'(axon_pkg::ProtoHelloProtoVersion): hello_word = axon_pkg::ProtoVersion;
      4'(axon_pkg::ProtoHelloSpecVersion):  hello_word = axon_pkg::SpecVersion;
      4'(axon_pkg::ProtoHelloWidth):        hello_word = MeshW;
      4'(axon_pkg::ProtoHelloHeight):       hello_word = MeshH;
      4'(axon_pkg::ProtoHelloCoresPerChip): hello_word = NumCores;
      4'(axon_pkg::ProtoHelloMaxDataWords): hello_word = MaxData;
      4'(axon_pkg::ProtoHelloWindow):       hello_word = Window;
      4'(axon_pkg::ProtoHelloSerial0):      hello_word = Serial0;
      4'(axon_pkg::ProtoHelloSerial1):      hello_word = Serial1;
      4'(axon_pkg::ProtoHelloSerial2):      hello_word = Serial2;
      4'(axon_pkg::ProtoHelloSerial3):      hello_word = Serial3;
      default:                              hello_word = 32'd0;
    endcase
    case (tx_k_q[1:0])
      2'd0:    done_word = step_q;
      2'd1:    done_word = target_q;
      2'd2:    done_word = {31'd0, stopped_q};
      default: done_word = cnt_q[axon_pkg::ProtoBstLateTicks];
    endcase
    case (tx_k_q[1:0])
      2'd0:    drop_word = {8'(axon_pkg::ProtoSpaceRouter), 8'd0, dp_y_q, dp_x_q};
      2'd1:    drop_word = tx_word_q;
      default: drop_word = step_q;
    endcase
    case (tx_src_q)
      SrcWord:   tx_payload = tx_word_q;
      SrcHello:  tx_payload = hello_word;
      SrcStatus: tx_payload = status_word;
      SrcRam:    tx_payload = ram_rdata;
      SrcDone:   tx_payload = done_word;
      SrcRec:    tx_payload = (tx_k_q == 16'd0) ? tx_word_q : ram_rdata;
      SrcDrop:   tx_payload = drop_word;
      default:   tx_payload = 32'd0;
    endcase
    case (tx_q)
      TxH0:    ft_data_o = {tx_seq_q, tx_op_q, 8'(axon_pkg::ProtoSync)};
      TxH1:    ft_data_o = {tx_flags_q, tx_st_q, tx_len_q};
      TxPay:   ft_data_o = tx_payload;
      TxCrc:   ft_data_o = ~tx_crc_q;
      default: ft_data_o = 32'd0;
    endcase
  end

  // ---------------------------------------------------------------- transmitter
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tx_q     <= TxIdle;
      tx_k_q   <= '0;
      tx_crc_q <= '1;
    end else begin
      case (tx_q)
        TxIdle: if (tx_go) begin
          tx_q     <= TxH0;
          tx_crc_q <= '1;
          tx_k_q   <= '0;
        end
        TxH0: if (tx_take) begin
          tx_q     <= TxH1;
          tx_crc_q <= tx_crc_next;
        end
        TxH1: if (tx_take) begin
          tx_q     <= (tx_len_q == 16'd0) ? TxCrc : TxPay;
          tx_crc_q <= tx_crc_next;
        end
        TxPay: if (tx_take) begin
          tx_crc_q <= tx_crc_next;
          tx_k_q   <= tx_k_q + 16'd1;
          if (tx_k_q + 16'd1 == tx_len_q) begin
            tx_q <= TxCrc;
          end
        end
        TxCrc: if (tx_take) begin
          tx_q <= TxIdle;
        end
        default: tx_q <= TxIdle;
      endcase
    end
  end

  // ---------------------------------------------------------------- run control
  // a tick may start the next step once every used core is idle (and has had time to drop
  // idle after the previous tick); in real time only when the timer expires
  logic can_tick, tick_due;
  assign can_tick = &(idle_i | ~used_q) && guard_q == 2'd0 && !tick_o;
  assign tick_due = !rt_q || timer_q <= 32'd1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      run_q         <= 1'b0;
      stop_req_q    <= 1'b0;
      stopped_q     <= 1'b0;
      done_pend_q   <= 1'b0;
      rt_q          <= 1'b0;
      step_q        <= '0;
      target_q      <= '0;
      tick_cycles_q <= '0;
      timer_q       <= '0;
      guard_q       <= '0;
      tick_o        <= 1'b0;
    end else begin
      tick_o <= 1'b0;
      if (guard_q != 2'd0) begin
        guard_q <= guard_q - 2'd1;
      end
      if (run_start) begin
        run_q         <= 1'b1;
        stop_req_q    <= 1'b0;
        stopped_q     <= 1'b0;
        rt_q          <= arg_q[1] == 32'(axon_pkg::ProtoModeRealtime);
        target_q      <= step_q + run_steps;
        tick_cycles_q <= arg_q[2] * 32'(ClkMhz);
        timer_q       <= arg_q[2] * 32'(ClkMhz);
      end else if (boot_done) begin
        step_q   <= '0;
        target_q <= '0;
      end else if (run_q) begin
        if (stop_set) begin
          stop_req_q <= 1'b1;
        end
        if ((stop_req_q || step_q == target_q) && can_tick &&
            32'(dr_clean_q) >= Units) begin
          run_q       <= 1'b0;
          stopped_q   <= stop_req_q && step_q != target_q;
          done_pend_q <= 1'b1;
        end else if (!stop_req_q && step_q != target_q) begin
          if (rt_q) begin
            timer_q <= (timer_q <= 32'd1) ? tick_cycles_q : timer_q - 32'd1;
          end
          if (tick_due && can_tick) begin
            tick_o  <= 1'b1;
            step_q  <= step_q + 32'd1;
            guard_q <= 2'd2;
          end
        end
      end
      if (state_q == SendDone && tx_q == TxIdle && tx_go) begin
        done_pend_q <= 1'b0;
      end
    end
  end

  assign running_o = run_q || done_pend_q;

  // missed real-time ticks, counted with the other counters below
  logic late_tick;
  assign late_tick = run_q && rt_q && !stop_req_q && step_q != target_q && timer_q <= 32'd1 &&
                     !can_tick;

  // ---------------------------------------------------------------- LOAD: one image word
  // The word ram_rdata (chunk word ld_k_q) in section ld_sec_q: the configuration write it
  // makes (router table entry, core memory word), its validation and the walk's next place.
  logic        lw_we, lw_router, lw_err;
  logic [23:0] lw_addr;
  logic [31:0] lw_det;
  ld_sec_e     lw_sec;
  logic [23:0] lw_i, lw_n;
  logic [1:0]  lw_j;
  logic [7:0]  lw_x, lw_y, lw_c;
  logic        lw_used;
  logic [31:0] w;  // the image word being walked
  logic        lw_chip_last, lw_core_last;
  logic [5:0]  lw_leaves;  // links of chip (x, y) that leave a non-wrapped machine
  assign w = ram_rdata;
  always_comb begin
    lw_chip_last = 9'(ld_x_q) + 9'd1 == img_w_q && 9'(ld_y_q) + 9'd1 == img_h_q;
    lw_core_last = ld_c_q + 8'd1 == img_cpc_q;
    // (link l moves by RouterLinkD?Plus1[2l +: 2] - 1 in x and y)
    for (int l = 0; l < 6; l++) begin
      lw_leaves[l] = (axon_pkg::RouterLinkDxPlus1[2*l +: 2] == 2'd2 && 9'(ld_x_q) + 9'd1 >= img_w_q) ||
                     (axon_pkg::RouterLinkDxPlus1[2*l +: 2] == 2'd0 && ld_x_q == 8'd0) ||
                     (axon_pkg::RouterLinkDyPlus1[2*l +: 2] == 2'd2 && 9'(ld_y_q) + 9'd1 >= img_h_q) ||
                     (axon_pkg::RouterLinkDyPlus1[2*l +: 2] == 2'd0 && ld_y_q == 8'd0);
    end
    lw_we     = 1'b0;
    lw_router = 1'b0;
    lw_addr   = '0;
    lw_err    = 1'b0;
    lw_det    = 32'(axon_pkg::ProtoImageDetailFormat);
    lw_sec    = ld_sec_q;
    lw_i      = ld_i_q + 24'd1;
    lw_n      = ld_n_q;
    lw_j      = ld_j_q;
    lw_x      = ld_x_q;
    lw_y      = ld_y_q;
    lw_c      = ld_c_q;
    lw_used   = 1'b0;
    // the next chip's table, or the first core after the last table
    case (ld_sec_q)
      LsHdr: begin
        case (ld_i_q[2:0])
          3'd0: lw_err = w != axon_pkg::ImageMagic;
          3'd1: lw_err = w[31:16] != 16'(axon_pkg::SpecVersion >> 16) ||
                         w[15:0] > 16'(axon_pkg::SpecVersion);
          3'd2, 3'd3: begin
            if (w == 32'd0 || w > ((ld_i_q[2:0] == 3'd2) ? axon_pkg::ImageMaxWidth : axon_pkg::ImageMaxHeight)) begin
              lw_err = 1'b1;
            end else if (w > ((ld_i_q[2:0] == 3'd2) ? MeshW : MeshH)) begin
              lw_err = 1'b1;
              lw_det = 32'(axon_pkg::ProtoImageDetailCapacity);
            end
          end
          3'd4: begin
            if (w == 32'd0 || w > axon_pkg::RouterMaxCores) begin
              lw_err = 1'b1;
            end else if (w > NumCores) begin
              lw_err = 1'b1;
              lw_det = 32'(axon_pkg::ProtoImageDetailCapacity);
            end
          end
          3'd5: ;
          default: begin
            lw_err = w == 32'd0;  // dt_us
            lw_sec = LsChipN;
            lw_x   = '0;
            lw_y   = '0;
          end
        endcase
      end
      LsChipN: begin
        lw_n = w[23:0];
        lw_i = '0;
        lw_j = '0;
        if (w > RouterEntries) begin
          lw_err = 1'b1;
          lw_det = 32'(axon_pkg::ProtoImageDetailCapacity);
        end else if (w != 32'd0) begin
          lw_sec = LsEnt;
        end else if (lw_chip_last) begin
          lw_sec = LsCoreN;
          lw_x   = '0;
          lw_y   = '0;
          lw_c   = '0;
        end else if (9'(ld_x_q) + 9'd1 == img_w_q) begin
          lw_x = '0;
          lw_y = ld_y_q + 8'd1;
        end else begin
          lw_x = ld_x_q + 8'd1;
        end
      end
      LsEnt: begin
        lw_we     = 1'b1;
        lw_router = 1'b1;
        lw_i      = ld_i_q;
        lw_j      = ld_j_q + 2'd1;
        if (ld_j_q == 2'd0) begin
          lw_addr = 24'(axon_pkg::RifRegMcKey);
        end else if (ld_j_q == 2'd1) begin
          lw_addr = 24'(axon_pkg::RifRegMcMask);
        end else begin
          lw_addr = 24'(axon_pkg::RifMcRouteBase) + ld_i_q;
          // a route: no bits above the route, no core beyond cores_per_chip, no link out of
          // a non-wrapped machine
          lw_err = w[31:axon_pkg::RouterRouteBits] != '0 ||
                   ((w >> axon_pkg::RouterRouteCoreLsb) >> img_cpc_q) != 32'd0 ||
                   (!img_wrap_q && (w[axon_pkg::RouterRouteLinkLsb +: 6] & lw_leaves) != 6'd0);
          lw_j = '0;
          lw_i = ld_i_q + 24'd1;
          if (ld_i_q + 24'd1 == ld_n_q) begin
            if (lw_chip_last) begin
              lw_sec = LsCoreN;
              lw_x   = '0;
              lw_y   = '0;
              lw_c   = '0;
            end else begin
              lw_sec = LsChipN;
              if (9'(ld_x_q) + 9'd1 == img_w_q) begin
                lw_x = '0;
                lw_y = ld_y_q + 8'd1;
              end else begin
                lw_x = ld_x_q + 8'd1;
              end
            end
          end
        end
      end
      LsCoreN, LsMem: begin
        if (ld_sec_q == LsCoreN) begin
          lw_n = w[23:0];
          lw_i = '0;
          if (w != 32'd0 && w < axon_pkg::CoreHeaderWords) begin
            lw_err = 1'b1;
          end else if (w > MemWords) begin
            lw_err = 1'b1;
            lw_det = 32'(axon_pkg::ProtoImageDetailCapacity);
          end
          lw_used = w != 32'd0;
          lw_sec  = (w != 32'd0) ? LsMem : LsCoreN;
        end else begin
          lw_we   = 1'b1;
          lw_addr = ld_i_q;
        end
        // the next core once this one is complete
        if ((ld_sec_q == LsCoreN && w == 32'd0) ||
            (ld_sec_q == LsMem && ld_i_q + 24'd1 == ld_n_q)) begin
          lw_sec = LsCoreN;
          if (!lw_core_last) begin
            lw_c = ld_c_q + 8'd1;
          end else if (lw_chip_last) begin
            lw_sec = LsEnd;
          end else begin
            lw_c = '0;
            if (9'(ld_x_q) + 9'd1 == img_w_q) begin
              lw_x = '0;
              lw_y = ld_y_q + 8'd1;
            end else begin
              lw_x = ld_x_q + 8'd1;
            end
          end
        end
      end
      default: lw_err = 1'b1;  // a word after the last core
    endcase
  end

  // ---------------------------------------------------------------- boot walk
  logic bt_last, bt_skip, bt_wipe;
  logic [CoreW-1:0] bt_c_nx;  // the next core of the board (core, then x, then y)
  logic [7:0]       bt_x_nx, bt_y_nx;
  always_comb begin
    bt_c_nx = bt_c_q + CoreW'(1);
    bt_x_nx = bt_x_q;
    bt_y_nx = bt_y_q;
    if (32'(bt_c_q) == NumCores - 1) begin
      bt_c_nx = '0;
      bt_x_nx = bt_x_q + 8'd1;
      if (32'(bt_x_q) == MeshW - 1) begin
        bt_x_nx = '0;
        bt_y_nx = bt_y_q + 8'd1;
      end
    end
  end
  assign bt_last = 32'(bt_c_q) == NumCores - 1 && 32'(bt_x_q) == MeshW - 1 &&
                   32'(bt_y_q) == MeshH - 1;
  assign bt_skip = !used_q[bt_u] && (state_q != BtWalk || !bt_load_q);
  assign bt_wipe = !used_q[bt_u] && !bt_sub_q;  // LOAD: an unused core loses its header

  // ---------------------------------------------------------------- configuration bus
  // (chip_if unit: a core, the router, or the chip's registers)
  logic             cfg_router, cfg_chip;
  logic [CoreW-1:0] cfg_core;
  logic [31:0]      chip_used;  // used cores of chip (bt_x_q, bt_y_q)
  logic [4:0]  ctr_unit;   // space ROUTER word k (counters.router) on the chip
  logic [23:0] ctr_addr, ctr_k;
  assign ctr_k = addr_q + {8'd0, issued_q};
  always_comb begin
    ctr_unit = UnitNone;
    ctr_addr = '0;
    if (ctr_k < 24'(axon_pkg::CntRouterDroppedNoLink)) begin
      ctr_unit = 5'(axon_pkg::ChipIfUnitRouter);
      ctr_addr = 24'(axon_pkg::RifRegDiagCount + DiagGolden) + ctr_k;
    end else if (ctr_k == 24'(axon_pkg::CntRouterDroppedNoLink)) begin
      ctr_unit = 5'(axon_pkg::ChipIfUnitChip);
      ctr_addr = 24'(axon_pkg::ChipIfRegDroppedNoLink);
    end
  end
  assign cfg_unit_o = (ctr_q && state_q == CfgRead) ? UnitBits'(ctr_unit) :
                      cfg_chip   ? UnitBits'(axon_pkg::ChipIfUnitChip) :
                      cfg_router ? UnitBits'(axon_pkg::ChipIfUnitRouter) : UnitBits'(cfg_core);
  logic [Units-1:0] used_shift;
  assign used_shift = used_q >> ((32'(bt_y_q) * MeshW + 32'(bt_x_q)) * NumCores);
  always_comb begin
    chip_used = '0;
    for (int c = 0; c < NumCores; c++) begin
      chip_used[c] = used_shift[c];
    end
  end
  assign run_steps = arg_q[0];
  always_comb begin
    cfg_chip     = chip_q;
    cfg_x_o      = cur_x_q;
    cfg_y_o      = cur_y_q;
    cfg_core     = core_q;
    cfg_router   = router_q;
    cfg_addr_o   = ctr_q ? ctr_addr : noinc_q ? addr_q : addr_q + {8'd0, issued_q};
    cfg_we_o     = state_q == CfgWrite;
    cfg_wdata_o  = ram_rdata;
    cfg_req_o    = (state_q == CfgRead || state_q == CfgWrite || state_q == DrAvail ||
                    state_q == DrData) && issued_q != count_q;
    case (state_q)
      LdProc: begin
        cfg_x_o      = ld_x_q;
        cfg_y_o      = ld_y_q;
        cfg_core     = CoreW'(ld_c_q);
        cfg_router   = lw_router;
        cfg_addr_o   = lw_addr;
        cfg_we_o     = 1'b1;
        cfg_req_o    = lw_we && !lw_err;
      end
      BtWalk, BtPoll, BtErr: begin
        cfg_x_o      = bt_x_q;
        cfg_y_o      = bt_y_q;
        cfg_core     = bt_c_q;
        cfg_router   = 1'b0;
        cfg_we_o     = state_q == BtWalk;
        cfg_req_o    = !bt_skip;
        cfg_addr_o   = (state_q == BtErr)  ? RegError[23:0] :
                       (state_q == BtPoll) ? RegStatus[23:0] :
                       bt_wipe ? 24'(axon_pkg::CifMemBase + axon_pkg::CoreHMagic) : RegCtrl[23:0];
        cfg_wdata_o  = bt_wipe ? 32'd0 : 32'(1 << axon_pkg::CifCtrlBootBit);
      end
      LdClr: begin  // mc_key 1, mc_mask 0 (key bits outside the mask: never a match), routes
        cfg_x_o      = clr_x_q;
        cfg_y_o      = clr_y_q;
        cfg_core     = '0;
        cfg_router   = 1'b1;
        cfg_we_o     = 1'b1;
        cfg_req_o    = 1'b1;
        cfg_addr_o   = (clr_j_q == 2'd0) ? 24'(axon_pkg::RifRegMcKey) :
                       (clr_j_q == 2'd1) ? 24'(axon_pkg::RifRegMcMask) :
                       24'(axon_pkg::RifMcRouteBase) + clr_i_q;
        cfg_wdata_o  = {31'd0, clr_j_q == 2'd0};
      end
      // LOAD and RESET, per chip: core_enable = the chip's used cores (unused ones were
      // booted too), the router's counters cleared, the golden counters' filters
      BtEnable: begin
        cfg_x_o     = bt_x_q;
        cfg_y_o     = bt_y_q;
        cfg_we_o    = 1'b1;
        cfg_req_o   = 1'b1;
        cfg_chip    = en_k_q == 3'd0;
        cfg_router  = en_k_q != 3'd0;
        cfg_addr_o  = (en_k_q == 3'd0) ? 24'(axon_pkg::ChipIfRegCoreEnable) :
                      (en_k_q == 3'd1) ? 24'(axon_pkg::RifRegCtrl) :
                      24'(axon_pkg::RifRegDiagFilter + DiagGolden) + {21'd0, en_k_q} - 24'd2;
        case (en_k_q)
          3'd0:    cfg_wdata_o = chip_used;
          3'd1:    cfg_wdata_o = 32'(1 << axon_pkg::RifCtrlClearCountersBit);
          default: cfg_wdata_o = axon_pkg::RifGoldenDiagFilters[32 * (32'(en_k_q) - 32'd2) +: 32];
        endcase
      end
      DpRead: begin
        cfg_x_o      = dp_x_q;
        cfg_y_o      = dp_y_q;
        cfg_core     = '0;
        cfg_router   = 1'b1;
        cfg_we_o     = 1'b0;
        cfg_req_o    = 1'b1;
        cfg_addr_o   = 24'(axon_pkg::RifRegDiagCount) + (dp_k_q ? 24'd11 : 24'd8);
      end
      default: ;
    endcase
  end
  // RESET and LOAD: the last core of the boot walk is written now
  assign boot_done = state_q == BtWalk && (bt_skip || (cfg_gnt_i && !(bt_load_q && bt_wipe))) &&
                     bt_last;

  // the end of a run's stream: RUN_DONE goes next (after the drop reports)
  logic done_go;
  assign done_go = tx_q == TxIdle &&
                   ((state_q == RxHdr0 && done_pend_q && !HasRouter) ||
                    (state_q == DpNext && 32'(dp_x_q) == MeshW - 1 && 32'(dp_y_q) == MeshH - 1));

  // a deferred reply (after the configuration-bus work) and its cache entry
  logic        fin_go;
  logic [7:0]  fin_st;
  logic        fin_n;
  logic [31:0] fin_word;
  logic [31:0] ld_got_new;
  assign ld_got_new = ld_got_q + 32'(count_q);
  always_comb begin
    fin_go   = 1'b0;
    fin_st   = 8'(axon_pkg::ProtoStOk);
    fin_n    = 1'b0;
    fin_word = 32'd0;
    case (state_q)
      CfgWrite: fin_go = issued_q + {15'd0, cfg_req_o && cfg_gnt_i} == count_q;
      LdFetch: if (ld_k_q == count_q) begin
        if (ld_got_new != ld_total_q) begin
          fin_go   = 1'b1;
          fin_n    = 1'b1;
          fin_word = ld_got_new;
        end else if (ld_sec_q != LsEnd) begin  // the file ends early
          fin_go   = 1'b1;
          fin_st   = 8'(axon_pkg::ProtoStImage);
          fin_n    = 1'b1;
          fin_word = 32'(axon_pkg::ProtoImageDetailFormat);
        end
      end
      LdProc: if (lw_err) begin
        fin_go   = 1'b1;
        fin_st   = 8'(axon_pkg::ProtoStImage);
        fin_n    = 1'b1;
        fin_word = lw_det;
      end
      BtWalk: if (boot_done && !bt_load_q && !ChipRegs) begin
        fin_go = 1'b1;
      end
      BtEnable: if (cfg_gnt_i && en_k_q == 3'd5 && !bt_load_q && 32'(bt_x_q) == MeshW - 1 &&
                    32'(bt_y_q) == MeshH - 1) begin
        fin_go = 1'b1;  // RESET done
      end
      BtPoll: if (bt_skip && bt_last) begin
        fin_go   = 1'b1;
        fin_n    = 1'b1;
        fin_word = ld_got_q;
      end
      BtPollWait: if (cfg_rvalid_i) begin
        if (cfg_rdata_i[axon_pkg::CifStatusReadyBit] && !cfg_rdata_i[axon_pkg::CifStatusBusyBit] &&
            !cfg_rdata_i[axon_pkg::CifStatusErrorBit] && bt_last) begin
          fin_go   = 1'b1;
          fin_n    = 1'b1;
          fin_word = ld_got_q;
        end else if (!cfg_rdata_i[axon_pkg::CifStatusErrorBit] && &poll_q &&
                     !(cfg_rdata_i[axon_pkg::CifStatusReadyBit] &&
                       !cfg_rdata_i[axon_pkg::CifStatusBusyBit])) begin
          fin_go   = 1'b1;
          fin_st   = 8'(axon_pkg::ProtoStImage);
          fin_n    = 1'b1;
          fin_word = 32'(axon_pkg::ProtoImageDetailTimeout);
        end
      end
      BtErrWait: if (cfg_rvalid_i) begin
        fin_go   = 1'b1;
        fin_st   = 8'(axon_pkg::ProtoStImage);
        fin_n    = 1'b1;
        fin_word = {8'(bt_u), cfg_rdata_i[7:0], 16'(axon_pkg::ProtoImageDetailUnsupported)};
      end
      default: ;
    endcase
  end

  // the reply of the request being executed
  logic        rep;
  logic [7:0]  rep_st;
  src_e        rep_src;
  logic [15:0] rep_len;
  logic [31:0] rep_word;
  logic        rep_cache, go_read, go_write, go_boot, go_load;
  logic [15:0] pay_len;
  logic [32:0] end_addr, end_max;
  assign pay_len  = rx_len_q;
  logic        is_read;
  assign is_read  = rx_op_q == 8'(axon_pkg::ProtoOpRead);
  assign end_addr = {1'b0, arg_q[1]} + {1'b0, is_read ? arg_q[2] : 32'(pay_len) - 32'd2};
  assign end_max  = tgt_rtr_sp ? 33'(1 << axon_pkg::RifAddrBits) :
                    tgt_ctr_sp ? 33'(axon_pkg::CntRouterN) : 33'(1 << axon_pkg::ChipIfAddrBits);
  logic [32:0] ld_end;
  assign ld_end = {1'b0, arg_q[0]} + {17'd0, pay_len} - 33'd2;

  always_comb begin
    rep       = 1'b0;
    rep_st    = 8'(axon_pkg::ProtoStOk);
    rep_src   = SrcNone;
    rep_len   = 16'd0;
    rep_word  = 32'd0;
    rep_cache = 1'b1;
    go_read   = 1'b0;
    go_write  = 1'b0;
    go_boot   = 1'b0;
    go_load   = 1'b0;
    run_start = 1'b0;
    stop_set  = 1'b0;
    if (state_q == Exec) begin
      rep = 1'b1;
      if (rx_op_q == 8'(axon_pkg::ProtoOpHello)) begin
        rep_cache = 1'b0;
        if (pay_len < 16'd1 || arg_q[0][31:16] != 16'(axon_pkg::ProtoVersion >> 16)) begin
          rep_st   = pay_len < 16'd1 ? 8'(axon_pkg::ProtoStMalformed)
                                     : 8'(axon_pkg::ProtoStVersion);
          rep_src  = SrcWord;
          rep_len  = 16'd1;
          rep_word = axon_pkg::ProtoVersion;
        end else begin
          rep_src = SrcHello;
          rep_len = 16'(axon_pkg::ProtoHelloN);
        end
      end else if (!hello_q) begin
        rep_cache = 1'b0;
        rep_st    = 8'(axon_pkg::ProtoStState);
        rep_src   = SrcWord;
        rep_len   = 16'd1;
        rep_word  = 32'hFFFF_FFFF;
      end else if (dup_hit && cache_op_q[dup_idx] != 8'(axon_pkg::ProtoOpRead) &&
                   cache_op_q[dup_idx] != 8'(axon_pkg::ProtoOpStatus)) begin
        rep_cache = 1'b0;
        rep_st    = cache_st_q[dup_idx];
        rep_src   = cache_n_q[dup_idx] ? SrcWord : SrcNone;
        rep_len   = {15'd0, cache_n_q[dup_idx]};
        rep_word  = cache_word_q[dup_idx];
      end else if (!dup_hit && rx_seq_q != expect_q) begin
        rep_cache = 1'b0;
        rep_st    = 8'(axon_pkg::ProtoStSequence);
        rep_src   = SrcWord;
        rep_len   = 16'd1;
        rep_word  = {16'd0, expect_q};
      end else if (rx_flags_q != 8'd0) begin
        rep_st   = 8'(axon_pkg::ProtoStMalformed);
        rep_src  = SrcWord;
        rep_len  = 16'd1;
        rep_word = {24'd0, rx_flags_q};
      end else begin
        rep_cache = !dup_hit;
        rep_src   = SrcWord;
        rep_len   = 16'd1;
        case (rx_op_q)
          8'(axon_pkg::ProtoOpRead), 8'(axon_pkg::ProtoOpWrite): begin
            if (is_read ? pay_len != 16'd3 : pay_len < 16'd2) begin
              rep_st   = 8'(axon_pkg::ProtoStMalformed);
              rep_word = 32'(pay_len);
            end else if (is_read && arg_q[2] > MaxData) begin
              rep_st   = 8'(axon_pkg::ProtoStLength);
              rep_word = arg_q[2];
            end else if (!is_read && run_q) begin
              rep_st   = 8'(axon_pkg::ProtoStBusy);
              rep_word = step_q;
            end else if (!tgt_ok) begin
              rep_st   = 8'(axon_pkg::ProtoStAddress);
              rep_word = arg_q[0];
            end else if (end_addr > end_max) begin
              rep_st   = 8'(axon_pkg::ProtoStAddress);
              rep_word = arg_q[1];
            end else begin
              rep      = 1'b0;  // replied after the reads or writes
              go_read  = is_read;
              go_write = !is_read;
            end
          end
          8'(axon_pkg::ProtoOpLoad): begin
            if (!EnableLoad) begin
              rep_st   = 8'(axon_pkg::ProtoStOpcode);
              rep_word = {24'd0, rx_op_q};
            end else if (pay_len < 16'd2) begin
              rep_st   = 8'(axon_pkg::ProtoStMalformed);
              rep_word = 32'(pay_len);
            end else if (run_q) begin
              rep_st   = 8'(axon_pkg::ProtoStBusy);
              rep_word = step_q;
            end else if (arg_q[1] == 32'd0 || arg_q[1] > LoadMax) begin
              rep_st   = 8'(axon_pkg::ProtoStLength);
              rep_word = arg_q[1];
            end else if (arg_q[0] != 32'd0 && (!ld_on_q || arg_q[1] != ld_total_q)) begin
              rep_st   = 8'(axon_pkg::ProtoStState);
              rep_word = board_state;
            end else if ((arg_q[0] != 32'd0 && arg_q[0] != ld_got_q) ||
                         ld_end > {1'b0, arg_q[1]}) begin
              rep_st   = 8'(axon_pkg::ProtoStArg);
              rep_word = (arg_q[0] == 32'd0) ? 32'd0 : ld_got_q;
            end else begin
              rep     = 1'b0;  // replied after the walk (and the boots)
              go_load = 1'b1;
            end
          end
          8'(axon_pkg::ProtoOpRun): begin
            if (pay_len != 16'd3) begin
              rep_st   = 8'(axon_pkg::ProtoStMalformed);
              rep_word = 32'(pay_len);
            end else if (run_q) begin
              rep_st   = 8'(axon_pkg::ProtoStBusy);
              rep_word = step_q;
            end else if (arg_q[1] > 32'(axon_pkg::ProtoModeRealtime) ||
                         (arg_q[1] == 32'(axon_pkg::ProtoModeRealtime) && arg_q[2] == 32'd0)) begin
              rep_st   = 8'(axon_pkg::ProtoStArg);
              rep_word = arg_q[1] > 32'(axon_pkg::ProtoModeRealtime) ? arg_q[1] : arg_q[2];
            end else if ({1'b0, step_q} + {1'b0, arg_q[0]} > 33'hFFFF_FFFF) begin
              rep_st   = 8'(axon_pkg::ProtoStArg);
              rep_word = arg_q[0];
            end else if (!img_q) begin
              rep_st   = 8'(axon_pkg::ProtoStState);
              rep_word = board_state;
            end else begin
              run_start = 1'b1;
              rep_word  = step_q + arg_q[0];
            end
          end
          8'(axon_pkg::ProtoOpStop): begin
            stop_set = run_q;
            rep_word = step_q;
          end
          8'(axon_pkg::ProtoOpStatus): begin
            rep_src = SrcStatus;
            rep_len = 16'(axon_pkg::ProtoBstN);
          end
          8'(axon_pkg::ProtoOpReset): begin
            if (run_q) begin
              rep_st   = 8'(axon_pkg::ProtoStBusy);
              rep_word = step_q;
            end else if (!img_q) begin
              rep_st   = 8'(axon_pkg::ProtoStState);
              rep_word = board_state;
            end else begin
              rep     = 1'b0;  // replied after the boots
              go_boot = 1'b1;
            end
          end
          default: begin
            rep_st   = 8'(axon_pkg::ProtoStOpcode);
            rep_word = {24'd0, rx_op_q};
          end
        endcase
      end
    end
  end

  // the reply is handed to the transmitter from WaitTx (below) or directly here
  assign tx_go = tx_q == TxIdle &&
                 (state_q == WaitTx || state_q == SendDone || state_q == DrSend ||
                  state_q == DpSend);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= RxHdr0;
      rx_op_q      <= '0;
      rx_flags_q   <= '0;
      rx_seq_q     <= '0;
      rx_len_q     <= '0;
      rx_idx_q     <= '0;
      rx_crc_q     <= '1;
      in_error_q   <= 1'b0;
      hello_q      <= 1'b0;
      expect_q     <= '0;
      cache_ptr_q  <= '0;
      cache_last_q <= '0;
      cur_x_q      <= '0;
      cur_y_q      <= '0;
      router_q     <= 1'b0;
      chip_q       <= 1'b0;
      ctr_q        <= 1'b0;
      core_q       <= '0;
      noinc_q      <= 1'b0;
      dr_x_q       <= '0;
      dr_y_q       <= '0;
      dr_core_q    <= '0;
      dr_clean_q   <= '0;
      addr_q       <= '0;
      count_q      <= '0;
      issued_q     <= '0;
      got_q        <= '0;
      img_q        <= 1'b0;
      ld_on_q      <= 1'b0;
      used_q       <= '1;
      ld_total_q   <= '0;
      ld_got_q     <= '0;
      ld_sec_q     <= LsHdr;
      ld_i_q       <= '0;
      ld_n_q       <= '0;
      ld_j_q       <= '0;
      ld_x_q       <= '0;
      ld_y_q       <= '0;
      ld_c_q       <= '0;
      ld_k_q       <= '0;
      img_w_q      <= '0;
      img_h_q      <= '0;
      img_cpc_q    <= '0;
      img_wrap_q   <= 1'b0;
      bt_x_q       <= '0;
      bt_y_q       <= '0;
      bt_c_q       <= '0;
      bt_load_q    <= 1'b0;
      bt_sub_q     <= 1'b0;
      en_k_q       <= '0;
      poll_q       <= '0;
      dp_x_q       <= '0;
      dp_y_q       <= '0;
      dp_k_q       <= 1'b0;
      dp_sum_q     <= '0;
      tx_op_q      <= '0;
      tx_st_q      <= '0;
      tx_flags_q   <= '0;
      tx_seq_q     <= '0;
      tx_len_q     <= '0;
      tx_src_q     <= SrcNone;
      tx_word_q    <= '0;
      stream_seq_q <= '0;
      for (int i = 0; i < 3; i++) begin
        arg_q[i] <= '0;
      end
      for (int i = 0; i < Window; i++) begin
        cache_valid_q[i] <= 1'b0;
        cache_seq_q[i]   <= '0;
        cache_op_q[i]    <= '0;
        cache_st_q[i]    <= '0;
        cache_n_q[i]     <= 1'b0;
        cache_word_q[i]  <= '0;
      end
      for (int i = 0; i < axon_pkg::ProtoBstN; i++) begin
        cnt_q[i] <= '0;
      end
      for (int i = 0; i < Chips; i++) begin
        drop_prev_q[i] <= '0;
      end
    end else begin
      if (late_tick) begin
        cnt_q[axon_pkg::ProtoBstLateTicks] <= cnt_q[axon_pkg::ProtoBstLateTicks] + 32'd1;
      end
      if (run_start) begin
        cnt_q[axon_pkg::ProtoBstRuns] <= cnt_q[axon_pkg::ProtoBstRuns] + 32'd1;
      end
      if (stop_set) begin
        cnt_q[axon_pkg::ProtoBstStops] <= cnt_q[axon_pkg::ProtoBstStops] + 32'd1;
      end
      // configuration-bus bookkeeping of the burst states
      if (cfg_req_o && cfg_gnt_i) begin
        issued_q <= issued_q + 16'd1;
      end
      if (cfg_rvalid_i && (state_q == CfgRead || state_q == DrData)) begin
        got_q <= got_q + 16'd1;
      end
      // a deferred reply: handed to WaitTx, its cache entry completed
      if (fin_go) begin
        tx_st_q                    <= fin_st;
        tx_src_q                   <= fin_n ? SrcWord : SrcNone;
        tx_len_q                   <= {15'd0, fin_n};
        tx_word_q                  <= fin_word;
        cache_st_q[cache_last_q]   <= fin_st;
        cache_n_q[cache_last_q]    <= fin_n;
        cache_word_q[cache_last_q] <= fin_word;
        state_q                    <= WaitTx;
        if (fin_st != 8'(axon_pkg::ProtoStOk)) begin  // a failed LOAD leaves no image
          ld_on_q <= 1'b0;
          img_q   <= 1'b0;
        end
      end
      case (state_q)
        RxHdr0: begin
          if (done_pend_q && tx_q == TxIdle) begin
            dp_x_q   <= '0;
            dp_y_q   <= '0;
            dp_k_q   <= 1'b0;
            dp_sum_q <= '0;
            state_q  <= done_go ? SendDone : DpRead;
          end else if (run_q && ft_rxf_ni && !oe_q && tx_q == TxIdle) begin
            // the host is not sending: drain the next core's recording buffer
            cur_x_q  <= dr_x_q;
            cur_y_q  <= dr_y_q;
            core_q   <= dr_core_q;
            router_q <= 1'b0;
            chip_q   <= 1'b0;
            ctr_q    <= 1'b0;
            addr_q   <= 24'(axon_pkg::CifRegBase + axon_pkg::CifRegRecAvail);
            noinc_q  <= 1'b0;
            count_q  <= 16'd1;
            issued_q <= '0;
            got_q    <= '0;
            state_q  <= DrAvail;
          end else if (rx_take) begin
            if (rx_word[7:0] == 8'(axon_pkg::ProtoSync)) begin
              rx_op_q  <= rx_word[15:8];
              rx_seq_q <= rx_word[31:16];
              rx_crc_q <= rx_crc_next;
              state_q  <= RxHdr1;
            end else begin
              cnt_q[axon_pkg::ProtoBstRxMalformed] <= cnt_q[axon_pkg::ProtoBstRxMalformed] + 32'd1;
            end
          end
        end
        RxHdr1: if (rx_take) begin
          rx_len_q   <= rx_word[15:0];
          rx_flags_q <= rx_word[31:24];
          rx_crc_q   <= rx_crc_next;
          rx_idx_q   <= '0;
          if (32'(rx_word[15:0]) > BufWords) begin
            // oversize: NAK the first bad frame of a run, then resynchronise
            cnt_q[axon_pkg::ProtoBstRxMalformed] <= cnt_q[axon_pkg::ProtoBstRxMalformed] + 32'd1;
            rx_crc_q <= '1;
            if (!in_error_q) begin
              in_error_q <= 1'b1;
              tx_op_q    <= rx_op_q;
              tx_seq_q   <= rx_seq_q;
              tx_st_q    <= 8'(axon_pkg::ProtoStLength);
              tx_flags_q <= FlagNak;
              tx_len_q   <= 16'd1;
              tx_src_q   <= SrcWord;
              tx_word_q  <= {16'd0, rx_word[15:0]};
              state_q    <= WaitTx;
            end else begin
              state_q <= RxHdr0;
            end
          end else begin
            state_q <= (rx_word[15:0] == 16'd0) ? RxCrc : RxPay;
          end
        end
        RxPay: if (rx_take) begin
          rx_crc_q <= rx_crc_next;
          if (rx_idx_q < 16'd3) begin
            arg_q[rx_idx_q[1:0]] <= rx_word;
          end
          rx_idx_q <= rx_idx_q + 16'd1;
          if (rx_idx_q + 16'd1 == rx_len_q) begin
            state_q <= RxCrc;
          end
        end
        RxCrc: if (rx_take) begin
          rx_crc_q <= '1;
          if (rx_word == ~rx_crc_q) begin
            in_error_q <= 1'b0;
            cnt_q[axon_pkg::ProtoBstRxFrames] <= cnt_q[axon_pkg::ProtoBstRxFrames] + 32'd1;
            state_q <= Exec;
          end else begin
            cnt_q[axon_pkg::ProtoBstRxCrcErrors] <= cnt_q[axon_pkg::ProtoBstRxCrcErrors] + 32'd1;
            if (!in_error_q) begin
              in_error_q <= 1'b1;
              tx_op_q    <= rx_op_q;
              tx_seq_q   <= rx_seq_q;
              tx_st_q    <= 8'(axon_pkg::ProtoStCrc);
              tx_flags_q <= FlagNak;
              tx_len_q   <= 16'd1;
              tx_src_q   <= SrcWord;
              tx_word_q  <= {16'd0, rx_len_q};
              state_q    <= WaitTx;
            end else begin
              state_q <= RxHdr0;
            end
          end
        end
        Exec: if (tx_q == TxIdle) begin
          // sequence bookkeeping (see protocol.md)
          if (rx_op_q == 8'(axon_pkg::ProtoOpHello) && rep_st == 8'(axon_pkg::ProtoStOk)) begin
            hello_q  <= 1'b1;
            expect_q <= rx_seq_q + 16'd1;
            for (int i = 0; i < Window; i++) begin
              cache_valid_q[i] <= 1'b0;
            end
          end else if (rx_op_q != 8'(axon_pkg::ProtoOpHello) && hello_q) begin
            if (dup_hit) begin
              cnt_q[axon_pkg::ProtoBstRxDuplicates] <= cnt_q[axon_pkg::ProtoBstRxDuplicates] + 32'd1;
            end else if (rx_seq_q != expect_q) begin
              cnt_q[axon_pkg::ProtoBstRxSeqErrors] <= cnt_q[axon_pkg::ProtoBstRxSeqErrors] + 32'd1;
            end else begin
              expect_q <= expect_q + 16'd1;
            end
          end
          if (rep_cache && hello_q && rx_op_q != 8'(axon_pkg::ProtoOpHello)) begin
            cache_valid_q[cache_ptr_q] <= 1'b1;
            cache_seq_q[cache_ptr_q]   <= rx_seq_q;
            cache_op_q[cache_ptr_q]    <= rx_op_q;
            cache_st_q[cache_ptr_q]    <= rep_st;
            cache_n_q[cache_ptr_q]     <= rep_len != 16'd0;
            cache_word_q[cache_ptr_q]  <= rep_word;
            cache_last_q               <= cache_ptr_q;
            cache_ptr_q                <= cache_ptr_q + CacheAw'(1);
          end
          cur_x_q  <= tgt_x;
          cur_y_q  <= tgt_y;
          router_q <= tgt_rtr_sp;
          chip_q   <= tgt_chip_sp;
          ctr_q    <= tgt_ctr_sp && is_read;
          core_q   <= CoreW'(tgt_core);
          addr_q   <= arg_q[1][23:0];
          noinc_q  <= 1'b0;
          issued_q <= '0;
          got_q    <= '0;
          tx_op_q    <= rx_op_q;
          tx_seq_q   <= rx_seq_q;
          tx_flags_q <= FlagReply;
          tx_st_q    <= rep_st;
          tx_src_q   <= rep_src;
          tx_len_q   <= rep_len;
          tx_word_q  <= rep_word;
          if (go_read) begin
            count_q <= arg_q[2][15:0];
            state_q <= CfgRead;
          end else if (go_write) begin
            count_q <= rx_len_q - 16'd2;
            state_q <= CfgWrite;
          end else if (go_boot) begin
            bt_x_q    <= '0;
            bt_y_q    <= '0;
            bt_c_q    <= '0;
            bt_sub_q  <= 1'b0;
            bt_load_q <= 1'b0;
            state_q   <= BtWalk;
          end else if (go_load) begin
            count_q <= rx_len_q - 16'd2;
            ld_k_q  <= '0;
            ld_on_q <= 1'b1;
            img_q   <= 1'b0;
            if (arg_q[0] == 32'd0) begin  // a new image: the walk starts over
              ld_total_q <= arg_q[1];
              ld_got_q   <= '0;
              ld_sec_q   <= LsHdr;
              ld_i_q     <= '0;
              ld_j_q     <= '0;
              ld_x_q     <= '0;
              ld_y_q     <= '0;
              ld_c_q     <= '0;
              used_q     <= '0;
            end
            state_q <= LdFetch;
          end else begin
            state_q <= rep ? WaitTx : RxHdr0;
          end
        end
        CfgRead: begin
          if (got_q + {15'd0, cfg_rvalid_i} == count_q) begin
            tx_st_q  <= 8'(axon_pkg::ProtoStOk);
            tx_src_q <= SrcRam;
            tx_len_q <= count_q;
            state_q  <= WaitTx;
          end
        end
        CfgWrite: begin
          // ctrl.BOOT written by the host (boards loaded without LOAD): an image is there
          if (cfg_req_o && cfg_gnt_i && !router_q && !chip_q && {8'd0, cfg_addr_o} == RegCtrl &&
              cfg_wdata_o[axon_pkg::CifCtrlBootBit]) begin
            img_q <= 1'b1;
          end
        end
        LdFetch: begin
          if (ld_k_q == count_q) begin
            ld_got_q <= ld_got_new;
            if (ld_got_new == ld_total_q && ld_sec_q == LsEnd) begin
              // the whole file is in: boot every core (unused ones wiped first), then check
              ld_on_q   <= 1'b0;
              bt_x_q    <= '0;
              bt_y_q    <= '0;
              bt_c_q    <= '0;
              bt_sub_q  <= 1'b0;
              bt_load_q <= 1'b1;
              state_q   <= BtWalk;
            end
          end else begin
            state_q <= LdProc;
          end
        end
        LdProc: begin
          if (!lw_err && (!lw_we || cfg_gnt_i)) begin
            ld_k_q   <= ld_k_q + 16'd1;
            ld_sec_q <= lw_sec;
            ld_i_q   <= lw_i;
            ld_n_q   <= lw_n;
            ld_j_q   <= lw_j;
            ld_x_q   <= lw_x;
            ld_y_q   <= lw_y;
            ld_c_q   <= lw_c;
            if (lw_used) begin
              used_q[ld_u] <= 1'b1;
            end
            if (ld_sec_q == LsChipN && HasRouter && w < RouterEntries) begin
              clr_x_q <= ld_x_q;
              clr_y_q <= ld_y_q;
              clr_j_q <= '0;
              clr_i_q <= w[23:0];
              state_q <= LdClr;
            end
            if (ld_sec_q == LsHdr) begin
              case (ld_i_q[2:0])
                3'd2:    img_w_q    <= w[8:0];
                3'd3:    img_h_q    <= w[8:0];
                3'd4:    img_cpc_q  <= w[7:0];
                3'd5:    img_wrap_q <= w[axon_pkg::ImageFlagWrapBit];
                default: ;
              endcase
            end
            if (!(ld_sec_q == LsChipN && HasRouter && w < RouterEntries)) begin
              state_q <= LdFetch;
            end
          end
        end
        LdClr: if (cfg_gnt_i) begin
          if (clr_j_q != 2'd2) begin
            clr_j_q <= clr_j_q + 2'd1;
          end else if (32'(clr_i_q) == RouterEntries - 1) begin
            state_q <= LdFetch;
          end else begin
            clr_i_q <= clr_i_q + 24'd1;
          end
        end
        BtWalk: begin
          if (bt_skip || cfg_gnt_i) begin
            if (!bt_skip && bt_load_q && bt_wipe) begin
              bt_sub_q <= 1'b1;  // the header is wiped; its BOOT next
            end else if (boot_done) begin
              stream_seq_q <= '0;
              bt_x_q       <= '0;
              bt_y_q       <= '0;
              bt_c_q       <= '0;
              poll_q       <= '0;
              if (bt_load_q) begin
                img_q <= 1'b1;  // taken back if a core refuses its memory
              end
              if (ChipRegs) begin
                en_k_q  <= '0;
                state_q <= BtEnable;
              end else if (bt_load_q) begin
                state_q <= BtPoll;
              end
            end else begin
              bt_sub_q <= 1'b0;
              bt_c_q <= bt_c_nx;
              bt_x_q <= bt_x_nx;
              bt_y_q <= bt_y_nx;
            end
          end
        end
        BtEnable: if (cfg_gnt_i) begin
          en_k_q <= en_k_q + 3'd1;
          if (en_k_q == 3'd1) begin  // the router's counters restart: so do the drop reports
            drop_prev_q[32'(bt_y_q) * MeshW + 32'(bt_x_q)] <= '0;
          end
          if (en_k_q == 3'd5) begin
            en_k_q <= '0;
            if (32'(bt_x_q) != MeshW - 1) begin
              bt_x_q <= bt_x_q + 8'd1;
            end else if (32'(bt_y_q) != MeshH - 1) begin
              bt_x_q <= '0;
              bt_y_q <= bt_y_q + 8'd1;
            end else if (bt_load_q) begin
              bt_x_q  <= '0;
              bt_y_q  <= '0;
              state_q <= BtPoll;
            end
          end
        end
        // LOAD: every used core's status until it is READY (or refused its memory)
        BtPoll: begin
          if (bt_skip && !bt_last) begin
            bt_c_q <= bt_c_nx;
            bt_x_q <= bt_x_nx;
            bt_y_q <= bt_y_nx;
          end else if (!bt_skip && cfg_gnt_i) begin
            state_q <= BtPollWait;
          end
        end
        BtPollWait: if (cfg_rvalid_i && !fin_go) begin
          poll_q <= poll_q + PollW'(1);
          if (cfg_rdata_i[axon_pkg::CifStatusErrorBit]) begin
            state_q <= BtErr;
          end else if (cfg_rdata_i[axon_pkg::CifStatusReadyBit] &&
                       !cfg_rdata_i[axon_pkg::CifStatusBusyBit]) begin
            poll_q <= '0;
            state_q <= BtPoll;
            bt_c_q <= bt_c_nx;
            bt_x_q <= bt_x_nx;
            bt_y_q <= bt_y_nx;
          end else begin
            state_q <= BtPoll;
          end
        end
        BtErr: if (cfg_gnt_i) begin
          state_q <= BtErrWait;
        end
        BtErrWait: ;  // the error code's read: fin_go replies
        WaitTx: if (tx_q == TxIdle) begin
          // the transmitter takes the frame at this edge (tx_go)
          cnt_q[axon_pkg::ProtoBstTxFrames] <= cnt_q[axon_pkg::ProtoBstTxFrames] + 32'd1;
          state_q <= RxHdr0;
        end
        DrAvail: begin
          if (cfg_rvalid_i) begin
            if (cfg_rdata_i == 32'd0) begin
              if (32'(dr_clean_q) < Units) begin
                dr_clean_q <= dr_clean_q + 16'd1;
              end
              state_q <= RxHdr0;
            end else begin
              dr_clean_q <= '0;
              addr_q     <= 24'(axon_pkg::CifRegBase + axon_pkg::CifRegRecData);
              noinc_q    <= 1'b1;
              count_q    <= (cfg_rdata_i > MaxData - 1) ? 16'(MaxData - 1) : cfg_rdata_i[15:0];
              issued_q   <= '0;
              got_q      <= '0;
              state_q    <= DrData;
            end
            // the next core (round robin)
            if (32'(dr_core_q) != NumCores - 1) begin
              dr_core_q <= dr_core_q + CoreW'(1);
            end else begin
              dr_core_q <= '0;
              if (32'(dr_x_q) != MeshW - 1) begin
                dr_x_q <= dr_x_q + 8'd1;
              end else begin
                dr_x_q <= '0;
                dr_y_q <= (32'(dr_y_q) != MeshH - 1) ? dr_y_q + 8'd1 : 8'd0;
              end
            end
          end
        end
        DrData: begin
          if (got_q + {15'd0, cfg_rvalid_i} == count_q) begin
            tx_op_q    <= 8'(axon_pkg::ProtoOpRecData);
            tx_seq_q   <= stream_seq_q;
            tx_st_q    <= 8'(axon_pkg::ProtoStOk);
            tx_flags_q <= FlagStream;
            tx_len_q   <= count_q + 16'd1;
            tx_src_q   <= SrcRec;
            tx_word_q  <= {8'(axon_pkg::ProtoSpaceCore), 8'(core_q), cur_y_q, cur_x_q};
            noinc_q    <= 1'b0;
            state_q    <= DrSend;
          end
        end
        // DROP_REPORT: per chip, dumps + errors (diag counters 8 and 11) since the last one
        DpRead: if (cfg_gnt_i) begin
          state_q <= DpWait;
        end
        DpWait: if (cfg_rvalid_i) begin
          if (!dp_k_q) begin
            dp_sum_q <= cfg_rdata_i;
            dp_k_q   <= 1'b1;
            state_q  <= DpRead;
          end else begin
            dp_k_q <= 1'b0;
            drop_prev_q[32'(dp_y_q) * MeshW + 32'(dp_x_q)] <= dp_sum_q + cfg_rdata_i;
            if (dp_sum_q + cfg_rdata_i != drop_prev_q[32'(dp_y_q) * MeshW + 32'(dp_x_q)]) begin
              tx_op_q    <= 8'(axon_pkg::ProtoOpDropReport);
              tx_seq_q   <= stream_seq_q;
              tx_st_q    <= 8'(axon_pkg::ProtoStOk);
              tx_flags_q <= FlagStream;
              tx_len_q   <= 16'd3;
              tx_src_q   <= SrcDrop;
              tx_word_q  <= dp_sum_q + cfg_rdata_i - drop_prev_q[32'(dp_y_q) * MeshW + 32'(dp_x_q)];
              state_q    <= DpSend;
            end else begin
              state_q <= DpNext;  // nothing to report
            end
          end
        end
        DpSend: if (tx_q == TxIdle) begin
          // the transmitter takes the frame at this edge (tx_go)
          cnt_q[axon_pkg::ProtoBstStreamFrames] <= cnt_q[axon_pkg::ProtoBstStreamFrames] + 32'd1;
          stream_seq_q <= stream_seq_q + 16'd1;
          state_q      <= DpNext;
        end
        DpNext: if (tx_q == TxIdle) begin
          if (32'(dp_x_q) != MeshW - 1) begin
            dp_x_q  <= dp_x_q + 8'd1;
            state_q <= DpRead;
          end else if (32'(dp_y_q) != MeshH - 1) begin
            dp_x_q  <= '0;
            dp_y_q  <= dp_y_q + 8'd1;
            state_q <= DpRead;
          end else begin
            state_q <= SendDone;  // done_go: the RUN_DONE frame is described below
          end
        end
        DrSend, SendDone: if (tx_q == TxIdle) begin
          cnt_q[axon_pkg::ProtoBstStreamFrames] <= cnt_q[axon_pkg::ProtoBstStreamFrames] + 32'd1;
          stream_seq_q <= stream_seq_q + 16'd1;
          state_q      <= RxHdr0;
        end
        default: state_q <= RxHdr0;
      endcase
      // a new step may record: every core must be found empty again (wins over DrAvail)
      if (tick_o) begin
        dr_clean_q <= '0;
      end
      // RUN_DONE frame description (taken by the transmitter in SendDone)
      if (done_go) begin
        tx_op_q    <= 8'(axon_pkg::ProtoOpRunDone);
        tx_seq_q   <= stream_seq_q;
        tx_st_q    <= 8'(axon_pkg::ProtoStOk);
        tx_flags_q <= FlagStream;
        tx_len_q   <= 16'd4;
        tx_src_q   <= SrcDone;
      end
    end
  end

endmodule
