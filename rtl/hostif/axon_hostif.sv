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
// Protocol subset of this version: HELLO, READ, WRITE (space CORE of chip (0, 0)),
// STATUS, RUN (barrier and real-time), STOP, RESET (ctrl.BOOT to every core), and on the
// stream REC_DATA (the cores' recording buffers drained during runs) and RUN_DONE; LOAD is
// answered with OPCODE (the host loads cores with WRITE and boots them with ctrl.BOOT).
// Frames are word-aligned on the FIFO bus: resynchronisation skips whole words. A
// duplicate READ or STATUS is executed again (both are free of side effects except reads of
// rec_data); other duplicates get their cached reply.
module axon_hostif #(
  parameter int unsigned NumCores = 4,
  parameter int unsigned BufWords = axon_pkg::ProtoMaxPayloadWords,
  parameter int unsigned ClkMhz   = 100,
  parameter logic [31:0] Serial0  = 32'h4e4f5841,  // "AXON" (little-endian ASCII)
  parameter logic [31:0] Serial1  = 32'h41475046,  // "FPGA"
  parameter logic [31:0] Serial2  = 32'h0,
  parameter logic [31:0] Serial3  = 32'h0,
  localparam int unsigned BufAw   = $clog2(BufWords),
  localparam int unsigned CoreW   = (NumCores > 1) ? $clog2(NumCores) : 1
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
  // configuration bus of the cores (one request at a time, reads answered in order)
  output logic                cfg_req_o,
  output logic                cfg_we_o,
  output logic [CoreW-1:0]    cfg_core_o,
  output logic [23:0]         cfg_addr_o,
  output logic [31:0]         cfg_wdata_o,
  input  logic                cfg_gnt_i,
  input  logic                cfg_rvalid_i,
  input  logic [31:0]         cfg_rdata_i,
  // timestep handshake
  output logic                tick_o,
  input  logic [NumCores-1:0] idle_i
);

  localparam int unsigned Window  = axon_pkg::ProtoWindow;
  localparam int unsigned CacheAw = $clog2(Window);
  localparam int unsigned MaxData = (BufWords < axon_pkg::ProtoMaxDataWords) ?
                                    BufWords : axon_pkg::ProtoMaxDataWords;
  localparam logic [7:0] FlagReply  = 8'(1 << axon_pkg::ProtoFlagReply);
  localparam logic [7:0] FlagNak    = 8'((1 << axon_pkg::ProtoFlagReply) | (1 << axon_pkg::ProtoFlagNak));
  localparam logic [7:0] FlagStream = 8'(1 << axon_pkg::ProtoFlagStream);

  // ---------------------------------------------------------------- main state machine
  typedef enum logic [3:0] {
    RxHdr0, RxHdr1, RxPay, RxCrc, Exec, CfgRead, CfgWrite, WaitTx, SendDone,
    DrAvail, DrData, DrSend, Boot
  } state_e;
  state_e state_q;

  typedef enum logic [2:0] {
    SrcNone, SrcWord, SrcHello, SrcStatus, SrcRam, SrcDone, SrcRec
  } src_e;

  typedef enum logic [2:0] {
    TxIdle, TxH0, TxH1, TxPay, TxCrc
  } tx_e;
  tx_e tx_q;

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
  logic [CacheAw-1:0] cache_ptr_q;
  // counters (board_status order)
  logic [31:0] cnt_q [axon_pkg::ProtoBstN];
  // burst access
  logic [CoreW-1:0] core_q;
  logic [23:0] addr_q;
  logic [15:0] count_q, issued_q, got_q;
  logic        noinc_q;     // reads of one register (rec_data): the address does not move
  // recording drain during runs: cores visited round robin
  logic [CoreW-1:0] dr_core_q;
  logic [7:0]  dr_clean_q;  // cores found empty in a row since the last tick
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
    end else begin
      ram_raddr = BufAw'(2);
    end
  end

  // ---------------------------------------------------------------- request decode
  logic [7:0]  tgt_x, tgt_y, tgt_core, tgt_space;
  logic        tgt_ok;
  assign tgt_x     = arg_q[0][7:0];
  assign tgt_y     = arg_q[0][15:8];
  assign tgt_core  = arg_q[0][23:16];
  assign tgt_space = arg_q[0][31:24];
  assign tgt_ok    = tgt_space == 8'(axon_pkg::ProtoSpaceCore) && tgt_x == 8'd0 &&
                     tgt_y == 8'd0 && 32'(tgt_core) < NumCores;

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

  // payload word k of the frame being sent
  logic [31:0] status_word, hello_word, done_word, tx_payload;
  always_comb begin
    status_word = cnt_q[tx_k_q < 16'(axon_pkg::ProtoBstN) ? tx_k_q[3:0] : 4'd0];
    case (tx_k_q[3:0])
      4'(axon_pkg::ProtoBstState):     status_word = run_q ? 32'(axon_pkg::ProtoStateRunning)
                                                           : 32'(axon_pkg::ProtoStateReady);
      4'(axon_pkg::ProtoBstStep):      status_word = step_q;
      4'(axon_pkg::ProtoBstRunTarget): status_word = target_q;
      default: ;
    endcase
    case (tx_k_q[3:0])
      4'(axon_pkg::ProtoHelloProtoVersion): hello_word = axon_pkg::ProtoVersion;
      4'(axon_pkg::ProtoHelloSpecVersion):  hello_word = axon_pkg::SpecVersion;
      4'(axon_pkg::ProtoHelloWidth),
      4'(axon_pkg::ProtoHelloHeight):       hello_word = 32'd1;
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
    case (tx_src_q)
      SrcWord:   tx_payload = tx_word_q;
      SrcHello:  tx_payload = hello_word;
      SrcStatus: tx_payload = status_word;
      SrcRam:    tx_payload = ram_rdata;
      SrcDone:   tx_payload = done_word;
      SrcRec:    tx_payload = (tx_k_q == 16'd0) ? tx_word_q : ram_rdata;
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
  // a tick may start the next step once every core is idle (and has had time to drop
  // idle after the previous tick); in real time only when the timer expires
  logic can_tick, tick_due;
  assign can_tick = &idle_i && guard_q == 2'd0 && !tick_o;
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
            32'(dr_clean_q) >= NumCores) begin
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

  // missed real-time ticks, counted with the other counters below
  logic late_tick;
  assign late_tick = run_q && rt_q && !stop_req_q && step_q != target_q && timer_q <= 32'd1 &&
                     !can_tick;

  // ---------------------------------------------------------------- main FSM
  assign cfg_core_o  = core_q;
  assign cfg_addr_o  = noinc_q ? addr_q : addr_q + {8'd0, issued_q};
  assign cfg_we_o    = state_q == CfgWrite || state_q == Boot;
  assign cfg_wdata_o = (state_q == Boot) ? 32'(1 << axon_pkg::CifCtrlBootBit) : ram_rdata;
  assign cfg_req_o   = (state_q == CfgRead || state_q == CfgWrite || state_q == DrAvail ||
                        state_q == DrData || state_q == Boot) && issued_q != count_q;
  // RESET: ctrl.BOOT written to every core, the last one now
  assign boot_done   = state_q == Boot && cfg_req_o && cfg_gnt_i &&
                       32'(core_q) == NumCores - 1;
  assign run_steps   = arg_q[0];

  // the reply of the request being executed
  logic        rep;
  logic [7:0]  rep_st;
  src_e        rep_src;
  logic [15:0] rep_len;
  logic [31:0] rep_word;
  logic        rep_cache, go_read, go_write, go_boot;
  logic [15:0] pay_len;
  logic [32:0] end_addr;
  assign pay_len  = rx_len_q;
  logic        is_read;
  assign is_read  = rx_op_q == 8'(axon_pkg::ProtoOpRead);
  assign end_addr = {1'b0, arg_q[1]} + {1'b0, is_read ? arg_q[2] : 32'(pay_len) - 32'd2};

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
        case (rx_op_q)
          8'(axon_pkg::ProtoOpRead), 8'(axon_pkg::ProtoOpWrite): begin
            rep_src = SrcWord;
            rep_len = 16'd1;
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
            end else if (end_addr > 33'(1 << 24)) begin
              rep_st   = 8'(axon_pkg::ProtoStAddress);
              rep_word = arg_q[1];
            end else begin
              rep      = 1'b0;  // replied after the reads or writes
              go_read  = is_read;
              go_write = !is_read;
            end
          end
          8'(axon_pkg::ProtoOpRun): begin
            rep_src = SrcWord;
            rep_len = 16'd1;
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
            end else begin
              run_start = 1'b1;
              rep_word  = step_q + arg_q[0];
            end
          end
          8'(axon_pkg::ProtoOpStop): begin
            stop_set = run_q;
            rep_src  = SrcWord;
            rep_len  = 16'd1;
            rep_word = step_q;
          end
          8'(axon_pkg::ProtoOpStatus): begin
            rep_src = SrcStatus;
            rep_len = 16'(axon_pkg::ProtoBstN);
          end
          8'(axon_pkg::ProtoOpReset): begin
            if (run_q) begin
              rep_st   = 8'(axon_pkg::ProtoStBusy);
              rep_src  = SrcWord;
              rep_len  = 16'd1;
              rep_word = step_q;
            end else begin
              rep     = 1'b0;  // replied after the boots
              go_boot = 1'b1;
            end
          end
          default: begin
            rep_st   = 8'(axon_pkg::ProtoStOpcode);
            rep_src  = SrcWord;
            rep_len  = 16'd1;
            rep_word = {24'd0, rx_op_q};
          end
        endcase
      end
    end
  end

  // the reply is handed to the transmitter from WaitTx (below) or directly here
  assign tx_go = tx_q == TxIdle &&
                 (state_q == WaitTx || state_q == SendDone || state_q == DrSend);

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
      core_q       <= '0;
      noinc_q      <= 1'b0;
      dr_core_q    <= '0;
      dr_clean_q   <= '0;
      addr_q       <= '0;
      count_q      <= '0;
      issued_q     <= '0;
      got_q        <= '0;
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
      case (state_q)
        RxHdr0: begin
          if (done_pend_q && tx_q == TxIdle) begin
            state_q <= SendDone;
          end else if (run_q && ft_rxf_ni && !oe_q && tx_q == TxIdle) begin
            // the host is not sending: drain the next core's recording buffer
            core_q   <= dr_core_q;
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
            cache_ptr_q                <= cache_ptr_q + CacheAw'(1);
          end
          core_q   <= CoreW'(tgt_core);
          addr_q   <= arg_q[1][23:0];
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
            core_q  <= '0;
            addr_q  <= 24'(axon_pkg::CifRegBase + axon_pkg::CifRegCtrl);
            count_q <= 16'd1;
            state_q <= Boot;
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
          if (issued_q + {15'd0, cfg_req_o && cfg_gnt_i} == count_q) begin
            tx_st_q  <= 8'(axon_pkg::ProtoStOk);
            tx_src_q <= SrcNone;
            tx_len_q <= 16'd0;
            state_q  <= WaitTx;
          end
        end
        Boot: if (cfg_req_o && cfg_gnt_i) begin
          if (boot_done) begin
            stream_seq_q <= '0;
            tx_st_q      <= 8'(axon_pkg::ProtoStOk);
            tx_src_q     <= SrcNone;
            tx_len_q     <= 16'd0;
            state_q      <= WaitTx;
          end else begin
            core_q   <= core_q + CoreW'(1);
            issued_q <= '0;
          end
        end
        WaitTx: if (tx_q == TxIdle) begin
          // the transmitter takes the frame at this edge (tx_go)
          cnt_q[axon_pkg::ProtoBstTxFrames] <= cnt_q[axon_pkg::ProtoBstTxFrames] + 32'd1;
          state_q <= RxHdr0;
        end
        DrAvail: begin
          if (cfg_rvalid_i) begin
            if (cfg_rdata_i == 32'd0) begin
              if (32'(dr_clean_q) < NumCores) begin
                dr_clean_q <= dr_clean_q + 8'd1;
              end
              dr_core_q <= (32'(dr_core_q) == NumCores - 1) ? '0 : dr_core_q + CoreW'(1);
              state_q   <= RxHdr0;
            end else begin
              dr_clean_q <= '0;
              addr_q     <= 24'(axon_pkg::CifRegBase + axon_pkg::CifRegRecData);
              noinc_q    <= 1'b1;
              count_q    <= (cfg_rdata_i > MaxData - 1) ? 16'(MaxData - 1) : cfg_rdata_i[15:0];
              issued_q   <= '0;
              got_q      <= '0;
              state_q    <= DrData;
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
            tx_word_q  <= {8'(axon_pkg::ProtoSpaceCore), 8'(core_q), 16'd0};
            noinc_q    <= 1'b0;
            dr_core_q  <= (32'(dr_core_q) == NumCores - 1) ? '0 : dr_core_q + CoreW'(1);
            state_q    <= DrSend;
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
      if (state_q == RxHdr0 && done_pend_q && tx_q == TxIdle) begin
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
