// Axon neuron core (docs/spec/core_if.md; docs/rtl.md "Neuron core"): executes one core
// memory of the machine image exactly as the golden engine does (models/core_*.c).
//
// Blocks: configuration decode and registers (here); core memory (one block RAM, written by
// the host, read by the core); boot (header check, copy of the parameter / state blocks and
// recording bitmaps into per-neuron RAMs); axon_syn_proc (packets: population-table lookup,
// row fetch, one synapse per clock into axon_ring_buffer); axon_neuron_seq (the per-step
// sweep through axon_lif_update / axon_izk_update); axon_source_seq (SpikeSourceArray,
// SpikeSourcePoisson); axon_delay_ext (delay-extension cores, when HasDelayExt);
// axon_recorder (recording stream); an output FIFO of one spike per neuron; axon_plast
// (STDP: post histories, plastic rows) on cores with a plasticity region. Without
// HasDelayExt a delay-extension image (kind 4) is refused at boot with error KIND.
module axon_neuron_core #(
  parameter int unsigned NumNeurons   = 256,
  parameter int unsigned MemWordsLog2 = 16,
  parameter int unsigned RecWordsLog2 = 12,
  parameter bit          HasDelayExt  = 1'b1
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

  localparam int unsigned IdxWidth   = (NumNeurons > 1) ? $clog2(NumNeurons) : 1;
  localparam int unsigned NWidth     = $clog2(NumNeurons + 1);
  localparam int unsigned MemAw      = MemWordsLog2;
  localparam int unsigned ParamWords = axon_pkg::PIFcondexpWords;   // widest block of any model
  localparam int unsigned StateWords = axon_pkg::SIFcurralphaWords;
  localparam int unsigned NVars      = axon_pkg::NRecVars;
  localparam int unsigned NCnt       = 8;
  localparam int unsigned HdrWords   = axon_pkg::CoreHPlastWords + 1;
  localparam logic [23:0] RegBase    = 24'(axon_pkg::CifRegBase);
  localparam logic [23:0] StateBase  = 24'(axon_pkg::CifStateBase);
  localparam int unsigned SlotWidth  = $clog2(axon_pkg::SynRingSlots);
  localparam int unsigned StageWidth = $clog2(axon_pkg::DeStages);
  localparam int unsigned KeyWidth   = StageWidth + IdxWidth;  // local keys {stage, neuron}

  ////////////////////////////////////////
  // Configuration decode                //
  ////////////////////////////////////////

  logic        in_mem, in_reg, in_state;
  logic [23:0] st_off;
  logic        core_busy, step_busy, cfg_fire, cfg_rd;
  logic        mem_port_busy;

  assign in_mem   = (cfg_addr_i >> MemWordsLog2) == '0;
  assign in_reg   = cfg_addr_i[23:8] == RegBase[23:8];
  assign st_off   = cfg_addr_i - StateBase;
  assign in_state = (cfg_addr_i >= StateBase) &&
                    (st_off < 24'(NumNeurons * axon_pkg::CifStateStride));

  // core memory and the per-neuron memories belong to the core while it works
  assign cfg_gnt_o = cfg_req_i & ~((in_mem & mem_port_busy) | (in_state & core_busy));
  assign cfg_fire  = cfg_req_i & cfg_gnt_o;
  assign cfg_rd    = cfg_fire & ~cfg_we_i;

  ////////////////////////////////////////
  // Core memory                         //
  ////////////////////////////////////////

  logic             mem_re, boot_re, syn_re, src_re, de_re, pl_re, pl_we, mem_we;
  logic [MemAw-1:0] mem_raddr, boot_raddr, syn_raddr, src_raddr, de_raddr, pl_raddr, pl_waddr;
  logic [MemAw-1:0] mem_waddr;
  logic [31:0]      mem_rdata, pl_wdata, mem_wdata;

  always_comb begin
    mem_re    = 1'b0;
    mem_raddr = cfg_addr_i[MemAw-1:0];
    if (boot_re) begin
      mem_re    = 1'b1;
      mem_raddr = boot_raddr;
    end else if (pl_re) begin
      mem_re    = 1'b1;
      mem_raddr = pl_raddr;
    end else if (syn_re) begin
      mem_re    = 1'b1;
      mem_raddr = syn_raddr;
    end else if (src_re) begin
      mem_re    = 1'b1;
      mem_raddr = src_raddr;
    end else if (de_re) begin
      mem_re    = 1'b1;
      mem_raddr = de_raddr;
    end else if (cfg_rd && in_mem) begin
      mem_re = 1'b1;
    end
  end

  axon_ram_1r1w #(
    .Width (32),
    .Depth (1 << MemWordsLog2)
  ) u_mem (
    .clk_i   (clk_i),
    .re_i    (mem_re),
    .raddr_i (mem_raddr),
    .rdata_o (mem_rdata),
    .we_i    (mem_we),
    .waddr_i (mem_waddr),
    .wdata_i (mem_wdata)
  );

  // the host writes while the core does not (mem_port_busy); axon_plast writes rows back
  assign mem_we    = pl_we | (cfg_fire & cfg_we_i & in_mem);
  assign mem_waddr = pl_we ? pl_waddr : cfg_addr_i[MemAw-1:0];
  assign mem_wdata = pl_we ? pl_wdata : cfg_wdata_i;

  ////////////////////////////////////////
  // Header registers                    //
  ////////////////////////////////////////

  logic [31:0]      h_magic, h_version, h_kind, h_model, h_n, h_key_base, h_flags, h_shift;
  logic [31:0]      h_rec_flags, h_rec_interval, h_bm_off, h_param_off, h_pw, h_state_off;
  logic [31:0]      h_sw, h_mpt_off, h_mpt_n, h_syn_off, h_syn_words, h_src_off, h_src_words;
  logic [31:0]      h_plast_off, h_plast_words;  // plasticity region (axon_plast)
  logic [127:0]     h_seed;
  logic             is_neuron, is_array, is_poisson, is_de, emit, plast_en;
  logic [NWidth-1:0] n_neurons;

  assign is_neuron  = h_kind == 32'(axon_pkg::KindNeuron);
  assign is_array   = h_kind == 32'(axon_pkg::KindSourceArray);
  assign is_poisson = h_kind == 32'(axon_pkg::KindSourcePoisson);
  assign is_de      = HasDelayExt && (h_kind == 32'(axon_pkg::KindDelayExt));
  assign emit       = h_flags[axon_pkg::CoreFlagEmitBit];
  assign n_neurons  = NWidth'(h_n);
  assign plast_en   = is_neuron & (h_plast_words != '0);

  ////////////////////////////////////////
  // Per-neuron memories                 //
  ////////////////////////////////////////

  logic                      nrn_re, seq_re, src_nre;
  logic [IdxWidth-1:0]       nrn_raddr, seq_raddr, src_nraddr;
  logic [ParamWords*32-1:0]  param_rdata, param_wdata;
  logic [StateWords*32-1:0]  state_rdata, state_wdata, seq_state_wdata;
  logic [NVars-1:0]          recsel_rdata, recsel_wdata;
  logic                      param_we, state_we, recsel_we, boot_state_we, seq_state_we;
  logic [IdxWidth-1:0]       param_waddr, state_waddr, recsel_waddr, boot_waddr, seq_waddr;

  always_comb begin
    nrn_re    = 1'b0;
    nrn_raddr = IdxWidth'(st_off[23:3]);
    if (seq_re) begin
      nrn_re    = 1'b1;
      nrn_raddr = seq_raddr;
    end else if (src_nre) begin
      nrn_re    = 1'b1;
      nrn_raddr = src_nraddr;
    end else if (cfg_rd && in_state) begin
      nrn_re = 1'b1;
    end
  end

  assign state_we    = boot_state_we | seq_state_we;
  assign state_waddr = seq_state_we ? seq_waddr : boot_waddr;
  assign state_wdata = seq_state_we ? seq_state_wdata : (StateWords*32)'(param_wdata);

  axon_ram_1r1w #(
    .Width (ParamWords * 32),
    .Depth (NumNeurons)
  ) u_param (
    .clk_i   (clk_i),
    .re_i    (nrn_re),
    .raddr_i (nrn_raddr),
    .rdata_o (param_rdata),
    .we_i    (param_we),
    .waddr_i (param_waddr),
    .wdata_i (param_wdata)
  );

  axon_ram_1r1w #(
    .Width (StateWords * 32),
    .Depth (NumNeurons)
  ) u_state (
    .clk_i   (clk_i),
    .re_i    (nrn_re),
    .raddr_i (nrn_raddr),
    .rdata_o (state_rdata),
    .we_i    (state_we),
    .waddr_i (state_waddr),
    .wdata_i (state_wdata)
  );

  axon_ram_1r1w #(
    .Width (NVars),
    .Depth (NumNeurons)
  ) u_recsel (
    .clk_i   (clk_i),
    .re_i    (nrn_re),
    .raddr_i (nrn_raddr),
    .rdata_o (recsel_rdata),
    .we_i    (recsel_we),
    .waddr_i (recsel_waddr),
    .wdata_i (recsel_wdata)
  );

  ////////////////////////////////////////
  // Boot                                //
  ////////////////////////////////////////

  typedef enum logic [3:0] {
    BtOff,      // never booted
    BtWait,     // BOOT requested: waiting for packet processing / the sweep to stop
    BtHeader,
    BtCheck,
    BtParam,
    BtState,
    BtBitmap,
    BtBitmapWr,
    BtRbWait,
    BtPlast,    // axon_plast loads the rules and empties the post histories
    BtPlastWait,
    BtReady,
    BtError
  } boot_e;

  boot_e             boot_q;
  logic              boot_cmd, boot_start, boot_busy, booted;
  logic [31:0]       rd_cnt_q, rd_len_q;    // words requested / to request in this phase
  logic [MemAw-1:0]  rd_base_q;
  logic              dv_q;                  // a word requested last cycle is in mem_rdata
  logic [31:0]       dseq_q;                // its position in the phase
  logic [3:0]        blk_k_q;               // word within the block
  logic [NWidth-1:0] blk_i_q;               // neuron of the block
  logic [31:0]       blk_q [ParamWords];
  logic [31:0]       blk_words;
  logic [31:0]       bm_q [NVars];
  logic [NWidth-1:0] bm_j_q;                // first neuron of the bitmap group
  logic [5:0]        bm_b_q;                // neuron within the group
  logic [31:0]       bm_words;              // ceil(n / 32)
  logic [3:0]        err_q;
  logic              plast_err;          // axon_plast: the decay tables do not fit
  logic [3:0]        err_d;
  logic              rb_busy, rb_clear;
  logic              syn_busy, nseq_busy, sseq_busy, seed_load, de_busy, de_clear;

  assign boot_cmd  = cfg_fire & cfg_we_i & in_reg & (cfg_addr_i[7:0] == 8'(axon_pkg::CifRegCtrl)) &
                     cfg_wdata_i[axon_pkg::CifCtrlBootBit];
  assign boot_start = (boot_q == BtWait) & ~syn_busy & ~nseq_busy;
  assign booted    = (boot_q == BtReady);
  assign boot_busy = (boot_q != BtOff) & (boot_q != BtReady) & (boot_q != BtError);
  assign bm_words  = (32'(n_neurons) + 32'd31) >> 5;
  assign blk_words = (boot_q == BtParam) ? h_pw : h_sw;
  assign rb_clear  = boot_start;
  assign seed_load = (boot_q == BtRbWait) & ~rb_busy & ~de_busy;  // the header has been read
  assign de_clear  = (boot_q == BtCheck) & (err_d == 4'(axon_pkg::CifErrNone)) & is_de;

  // expected parameter (state_blk = 0) or state block size of a model (0: unknown model)
  function automatic logic [31:0] model_words(logic [31:0] m, logic state_blk);
    unique case (m)
      32'(axon_pkg::ModelIFcurrexp):
        model_words = state_blk ? axon_pkg::SIFcurrexpWords : axon_pkg::PIFcurrexpWords;
      32'(axon_pkg::ModelIFcondexp):
        model_words = state_blk ? axon_pkg::SIFcondexpWords : axon_pkg::PIFcondexpWords;
      32'(axon_pkg::ModelIFcurralpha):
        model_words = state_blk ? axon_pkg::SIFcurralphaWords : axon_pkg::PIFcurralphaWords;
      32'(axon_pkg::ModelIFcurrdelta):
        model_words = state_blk ? axon_pkg::SIFcurrdeltaWords : axon_pkg::PIFcurrdeltaWords;
      32'(axon_pkg::ModelIzhikevich):
        model_words = state_blk ? axon_pkg::SIzhikevichWords : axon_pkg::PIzhikevichWords;
      default: model_words = 32'd0;
    endcase
  endfunction

  // a region [off, off + len) lies outside core memory
  function automatic logic outside(logic [31:0] off, logic [39:0] len);
    outside = (40'(off) + len) > (40'd1 << MemWordsLog2);
  endfunction

  always_comb begin
    err_d = 4'(axon_pkg::CifErrNone);
    if (h_magic != axon_pkg::CoreMagic) begin
      err_d = 4'(axon_pkg::CifErrMagic);
    end else if (h_version != axon_pkg::SpecVersion) begin
      err_d = 4'(axon_pkg::CifErrVersion);
    end else if (h_kind != 32'(axon_pkg::KindUnused) && !is_neuron && !is_array && !is_poisson &&
                 !is_de) begin
      err_d = 4'(axon_pkg::CifErrKind);  // includes delay extensions without HasDelayExt
    end else if (is_neuron && model_words(h_model, 1'b0) == '0) begin
      err_d = 4'(axon_pkg::CifErrModel);
    end else if (h_kind != 32'(axon_pkg::KindUnused) && !is_neuron && h_plast_words != '0) begin
      err_d = 4'(axon_pkg::CifErrPlastic);  // plasticity regions: neuron cores only
    end else if (h_kind != 32'(axon_pkg::KindUnused) &&
                 (h_n == '0 || h_n > NumNeurons ||
                  (is_neuron && (h_pw != model_words(h_model, 1'b0) || h_sw != model_words(h_model, 1'b1))) ||
                  (is_poisson && h_pw != axon_pkg::PPoissonWords) || h_mpt_n > 32'hFFFF)) begin
      err_d = 4'(axon_pkg::CifErrSize);
    end else if (h_kind != 32'(axon_pkg::KindUnused) &&
                 (outside(h_param_off, 40'(h_n) * 40'(h_pw[4:0])) ||
                  outside(h_state_off, 40'(h_n) * 40'(h_sw[4:0])) ||
                  outside(h_bm_off, 40'(bm_words) * NVars) ||
                  outside(h_mpt_off, 40'(h_mpt_n) * axon_pkg::SynMptEntryWords) ||
                  outside(h_syn_off, 40'(h_syn_words)) ||
                  outside(h_src_off, 40'(h_src_words)))) begin
      err_d = 4'(axon_pkg::CifErrRegion);
    end
  end

  // the memory reads of the current phase: rd_len_q words from rd_base_q
  assign boot_re    = (boot_q == BtHeader || boot_q == BtParam || boot_q == BtState ||
                       boot_q == BtBitmap) && (rd_cnt_q != rd_len_q);
  assign boot_raddr = (boot_q == BtBitmap) ? rd_base_q + MemAw'(rd_cnt_q * bm_words)
                                           : rd_base_q + MemAw'(rd_cnt_q);

  // block assembly: the word arriving now completes block blk_i_q when blk_k_q is the last
  always_comb begin
    param_wdata = '0;
    for (int unsigned k = 0; k < ParamWords; k++) begin
      param_wdata[32*k +: 32] = (4'(k) == blk_k_q) ? mem_rdata : blk_q[k];
    end
  end
  wire blk_last = dv_q && (32'(blk_k_q) == blk_words - 32'd1);
  assign param_we      = (boot_q == BtParam) & blk_last;
  assign boot_state_we = (boot_q == BtState) & blk_last;
  assign param_waddr   = IdxWidth'(blk_i_q);
  assign boot_waddr    = IdxWidth'(blk_i_q);

  // recording selection of neuron bm_j_q + bm_b_q, masked by rec_flags
  wire [NWidth-1:0] bm_i = bm_j_q + NWidth'(bm_b_q);
  always_comb begin
    for (int unsigned v = 0; v < NVars; v++) begin
      recsel_wdata[v] = bm_q[v][bm_b_q[4:0]] & h_rec_flags[v];
    end
  end
  assign recsel_we    = (boot_q == BtBitmapWr) && (bm_b_q != 6'd32) && (bm_i < n_neurons);
  assign recsel_waddr = IdxWidth'(bm_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      boot_q    <= BtOff;
      rd_cnt_q  <= '0;
      rd_len_q  <= '0;
      rd_base_q <= '0;
      dv_q      <= 1'b0;
      dseq_q    <= '0;
      blk_k_q   <= '0;
      blk_i_q   <= '0;
      bm_j_q    <= '0;
      bm_b_q    <= '0;
      err_q     <= '0;
    end else begin
      dv_q   <= boot_re;
      dseq_q <= rd_cnt_q;
      if (boot_re) begin
        rd_cnt_q <= rd_cnt_q + 32'd1;
      end
      if (boot_cmd) begin
        boot_q <= BtWait;
        err_q  <= '0;
      end else begin
        unique case (boot_q)
          BtWait: begin
            if (boot_start) begin
              boot_q    <= BtHeader;
              rd_cnt_q  <= '0;
              rd_len_q  <= HdrWords;
              rd_base_q <= '0;
            end
          end
          BtHeader: begin
            if (!boot_re && !dv_q) begin
              boot_q <= BtCheck;
            end
          end
          BtCheck: begin
            err_q    <= err_d;
            rd_cnt_q <= '0;
            blk_k_q  <= '0;
            blk_i_q  <= '0;
            if (err_d != 4'(axon_pkg::CifErrNone)) begin
              boot_q <= BtError;
            end else begin
              boot_q    <= BtParam;
              rd_base_q <= MemAw'(h_param_off);
              rd_len_q  <= (is_neuron || is_poisson) ? 32'(n_neurons) * h_pw : '0;
            end
          end
          BtParam, BtState: begin
            if (dv_q) begin
              if (blk_last) begin
                blk_k_q <= '0;
                blk_i_q <= blk_i_q + 1'b1;
              end else begin
                blk_k_q <= blk_k_q + 4'd1;
              end
            end
            if (!boot_re && !dv_q) begin
              rd_cnt_q <= '0;
              blk_k_q  <= '0;
              blk_i_q  <= '0;
              if (boot_q == BtParam) begin
                boot_q    <= BtState;
                rd_base_q <= MemAw'(h_state_off);
                rd_len_q  <= is_neuron ? 32'(n_neurons) * h_sw : '0;
              end else begin
                boot_q    <= BtBitmap;
                bm_j_q    <= '0;
                rd_base_q <= MemAw'(h_bm_off);
                rd_len_q  <= (h_kind == 32'(axon_pkg::KindUnused)) ? '0 : NVars;
              end
            end
          end
          BtBitmap: begin
            // group word g of variable v is at bm_off + v * bm_words + g
            if (!boot_re && !dv_q) begin
              boot_q <= (rd_len_q == '0) ? BtRbWait : BtBitmapWr;
              bm_b_q <= '0;
            end
          end
          BtBitmapWr: begin
            if (bm_b_q == 6'd32 || bm_i >= n_neurons) begin
              bm_j_q <= bm_j_q + NWidth'(32);
              if (32'(bm_j_q) + 32'd32 >= 32'(n_neurons)) begin
                boot_q <= BtRbWait;
              end else begin
                boot_q    <= BtBitmap;
                rd_cnt_q  <= '0;
                rd_base_q <= rd_base_q + 1'b1;
              end
            end else begin
              bm_b_q <= bm_b_q + 6'd1;
            end
          end
          BtRbWait: if (!rb_busy && !de_busy) boot_q <= plast_en ? BtPlast : BtReady;
          BtPlast: boot_q <= BtPlastWait;
          BtPlastWait: begin
            if (!plast_busy) begin
              if (plast_err) begin  // the decay tables exceed lut_core_entries
                err_q  <= 4'(axon_pkg::CifErrPlastic);
                boot_q <= BtError;
              end else begin
                boot_q <= BtReady;
              end
            end
          end
          default: ;
        endcase
      end
    end
  end

  // header words and block words as they arrive
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      h_magic <= '0; h_version <= '0; h_kind <= '0; h_model <= '0; h_n <= '0;
      h_key_base <= '0; h_flags <= '0; h_shift <= '0; h_rec_flags <= '0;
      h_rec_interval <= '0; h_bm_off <= '0; h_param_off <= '0; h_pw <= '0;
      h_state_off <= '0; h_sw <= '0; h_mpt_off <= '0; h_mpt_n <= '0; h_syn_off <= '0;
      h_syn_words <= '0; h_src_off <= '0; h_src_words <= '0; h_seed <= '0; h_plast_words <= '0;
      h_plast_off <= '0;
    end else if (boot_q == BtHeader && dv_q) begin
      unique case (dseq_q)
        axon_pkg::CoreHMagic:        h_magic <= mem_rdata;
        axon_pkg::CoreHVersion:      h_version <= mem_rdata;
        axon_pkg::CoreHKind:         h_kind <= mem_rdata;
        axon_pkg::CoreHModel:        h_model <= mem_rdata;
        axon_pkg::CoreHNNeurons:     h_n <= mem_rdata;
        axon_pkg::CoreHKeyBase:      h_key_base <= mem_rdata;
        axon_pkg::CoreHFlags:        h_flags <= mem_rdata;
        axon_pkg::CoreHWeightShift:  h_shift <= mem_rdata;
        axon_pkg::CoreHRecFlags:     h_rec_flags <= mem_rdata;
        axon_pkg::CoreHRecInterval:  h_rec_interval <= mem_rdata;
        axon_pkg::CoreHRecBitmapOff: h_bm_off <= mem_rdata;
        axon_pkg::CoreHParamOff:     h_param_off <= mem_rdata;
        axon_pkg::CoreHParamWords:   h_pw <= mem_rdata;
        axon_pkg::CoreHStateOff:     h_state_off <= mem_rdata;
        axon_pkg::CoreHStateWords:   h_sw <= mem_rdata;
        axon_pkg::CoreHMptOff:       h_mpt_off <= mem_rdata;
        axon_pkg::CoreHMptN:         h_mpt_n <= mem_rdata;
        axon_pkg::CoreHSynOff:       h_syn_off <= mem_rdata;
        axon_pkg::CoreHSynWords:     h_syn_words <= mem_rdata;
        axon_pkg::CoreHSrcOff:       h_src_off <= mem_rdata;
        axon_pkg::CoreHSrcWords:     h_src_words <= mem_rdata;
        axon_pkg::CoreHSeed0:        h_seed[31:0] <= mem_rdata;
        axon_pkg::CoreHSeed1:        h_seed[63:32] <= mem_rdata;
        axon_pkg::CoreHSeed2:        h_seed[95:64] <= mem_rdata;
        axon_pkg::CoreHSeed3:        h_seed[127:96] <= mem_rdata;
        axon_pkg::CoreHPlastOff:     h_plast_off <= mem_rdata;
        axon_pkg::CoreHPlastWords:   h_plast_words <= mem_rdata;
        default: ;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if ((boot_q == BtParam || boot_q == BtState) && dv_q) begin
      blk_q[blk_k_q] <= mem_rdata;
    end
    if (boot_q == BtBitmap && dv_q) begin
      bm_q[dseq_q[1:0]] <= mem_rdata;
    end
  end

  ////////////////////////////////////////
  // Step control                        //
  ////////////////////////////////////////

  typedef enum logic [2:0] {
    SpIdle,
    SpRun,
    SpHist,     // the post-spike queue of axon_plast drains
    SpRecord,
    SpRecWait
  } step_e;

  step_e       step_q;
  logic [31:0] step_cnt_q, smp_cnt_q, cycles_q;
  logic        tick_go, run_start, nseq_done, sseq_done, de_done, rec_busy, rec_done;
  logic        out_empty;

  assign step_busy = (step_q != SpIdle);
  assign idle_o    = booted & ~step_busy & ~syn_busy & ~de_busy & out_empty;
  assign tick_go   = tick_i & idle_o;
  assign core_busy = boot_busy | step_busy;
  assign mem_port_busy = boot_busy | syn_busy | sseq_busy | de_busy | plast_busy;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      step_q     <= SpIdle;
      step_cnt_q <= '0;
      smp_cnt_q  <= '0;
      cycles_q   <= '0;
    end else if (boot_start) begin
      step_q     <= SpIdle;
      step_cnt_q <= '0;
      smp_cnt_q  <= '0;
    end else begin
      if (tick_go) begin
        cycles_q <= 32'd1;
      end else if (booted && !idle_o) begin
        cycles_q <= cycles_q + 32'd1;
      end
      unique case (step_q)
        SpIdle: begin
          if (tick_go) step_q <= (is_neuron || is_array || is_poisson || is_de) ? SpRun : SpRecord;
        end
        SpRun: begin
          if (nseq_done && plast_en) begin
            step_q <= SpHist;
          end else if (nseq_done || sseq_done || de_done) begin
            step_q <= SpRecord;
          end
        end
        SpHist: if (!plast_post_busy) step_q <= SpRecord;
        SpRecord: step_q <= SpRecWait;
        SpRecWait: begin
          if (rec_done) begin
            step_q     <= SpIdle;
            step_cnt_q <= step_cnt_q + 32'd1;
            smp_cnt_q  <= (smp_cnt_q + 32'd1 == h_rec_interval) ? '0 : smp_cnt_q + 32'd1;
          end
        end
        default: step_q <= SpIdle;
      endcase
    end
  end

  assign run_start = tick_go;

  ////////////////////////////////////////
  // Ring buffer, packets                //
  ////////////////////////////////////////

  logic                 rb_rd_req, rb_rd_gnt, rb_rvalid, acc_valid, acc_ready, acc_type;
  logic [SlotWidth-1:0] rb_rd_slot, acc_slot;
  logic [IdxWidth-1:0]  rb_rd_idx, acc_idx;
  logic [33:0]          rb_rdata;
  logic [15:0]          acc_weight;
  logic                 cnt_pkt, cnt_miss, cnt_invalid, cnt_event, de_rx;
  // the static path (axon_syn_proc) and the plastic path (axon_plast) share the ring buffer
  logic                 sacc_valid, sacc_type, pacc_valid, pacc_type;
  logic [SlotWidth-1:0] sacc_slot, pacc_slot;
  logic [IdxWidth-1:0]  sacc_idx, pacc_idx;
  logic [15:0]          sacc_weight, pacc_weight;
  logic                 prow_start, prow_busy, plast_busy, plast_post_busy, scnt_event;
  logic                 nspike, nspike_rec, smp_v, smp_ge, smp_gi;
  logic [IdxWidth-1:0]  nout_idx;
  logic [MemAw-1:0]     prow_addr;
  logic [15:0]          prow_n;
  logic [1:0]           prow_rule;

  assign acc_valid  = sacc_valid | pacc_valid;
  assign acc_slot   = pacc_valid ? pacc_slot : sacc_slot;
  assign acc_type   = pacc_valid ? pacc_type : sacc_type;
  assign acc_idx    = pacc_valid ? pacc_idx : sacc_idx;
  assign acc_weight = pacc_valid ? pacc_weight : sacc_weight;
  assign prow_busy  = plast_busy;
  logic [IdxWidth-1:0]  de_rx_idx;

  axon_ring_buffer #(
    .NumNeurons (NumNeurons)
  ) u_rb (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .clear_i      (rb_clear),
    .busy_o       (rb_busy),
    .rd_req_i     (rb_rd_req),
    .rd_gnt_o     (rb_rd_gnt),
    .rd_slot_i    (rb_rd_slot),
    .rd_idx_i     (rb_rd_idx),
    .rd_rvalid_o  (rb_rvalid),
    .rd_rdata_o   (rb_rdata),
    .acc_valid_i  (acc_valid),
    .acc_ready_o  (acc_ready),
    .acc_slot_i   (acc_slot),
    .acc_type_i   (acc_type),
    .acc_idx_i    (acc_idx),
    .acc_weight_i (acc_weight)
  );

  axon_syn_proc #(
    .NumNeurons   (NumNeurons),
    .MemWordsLog2 (MemWordsLog2)
  ) u_syn (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .en_i          (booted & ~step_busy & ~rb_busy & ~tick_i),
    .neuron_core_i (is_neuron),
    .de_i          (is_de),
    .de_n_i        (16'(n_neurons)),
    .mpt_off_i     (MemAw'(h_mpt_off)),
    .mpt_n_i       (h_mpt_n[15:0]),
    .syn_off_i     (MemAw'(h_syn_off)),
    .step_i        (step_cnt_q[SlotWidth-1:0]),
    .plast_en_i    (plast_en),
    .pkt_valid_i   (pkt_in_valid_i),
    .pkt_ready_o   (pkt_in_ready_o),
    .pkt_key_i     (pkt_in_data_i[axon_pkg::CifPktKeyLsb +: 32]),
    .busy_o        (syn_busy),
    .mem_re_o      (syn_re),
    .mem_addr_o    (syn_raddr),
    .mem_rdata_i   (mem_rdata),
    .prow_start_o  (prow_start),
    .prow_addr_o   (prow_addr),
    .prow_n_o      (prow_n),
    .prow_rule_o   (prow_rule),
    .prow_busy_i   (prow_busy),
    .acc_valid_o   (sacc_valid),
    .acc_slot_o    (sacc_slot),
    .acc_type_o    (sacc_type),
    .acc_idx_o     (sacc_idx),
    .acc_weight_o  (sacc_weight),
    .de_rx_o       (de_rx),
    .de_idx_o      (de_rx_idx),
    .cnt_pkt_o     (cnt_pkt),
    .cnt_miss_o    (cnt_miss),
    .cnt_invalid_o (cnt_invalid),
    .cnt_event_o   (scnt_event)
  );

  assign cnt_event = scnt_event | pacc_valid;  // every synapse of a plastic row counts

  axon_plast #(
    .NumNeurons   (NumNeurons),
    .MemWordsLog2 (MemWordsLog2)
  ) u_plast (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .load_i       (boot_q == BtPlast),
    .plast_off_i  (MemAw'(h_plast_off)),
    .n_i          (n_neurons),
    .busy_o       (plast_busy),
    .err_o        (plast_err),
    .spk_i        (nspike & plast_en),
    .spk_idx_i    (nout_idx),
    .step_i       (step_cnt_q),
    .post_busy_o  (plast_post_busy),
    .row_start_i  (prow_start),
    .row_addr_i   (prow_addr),
    .row_n_i      (prow_n),
    .row_rule_i   (prow_rule),
    .t_i          (step_cnt_q - 32'd1),
    .mem_re_o     (pl_re),
    .mem_raddr_o  (pl_raddr),
    .mem_rdata_i  (mem_rdata),
    .mem_we_o     (pl_we),
    .mem_waddr_o  (pl_waddr),
    .mem_wdata_o  (pl_wdata),
    .acc_valid_o  (pacc_valid),
    .acc_slot_o   (pacc_slot),
    .acc_type_o   (pacc_type),
    .acc_idx_o    (pacc_idx),
    .acc_weight_o (pacc_weight)
  );

  ////////////////////////////////////////
  // Neuron sweep, sources               //
  ////////////////////////////////////////

  logic [31:0]         smp_v_data, smp_ge_data, smp_gi_data;
  logic [1:0]          sat;

  axon_neuron_seq #(
    .NumNeurons (NumNeurons)
  ) u_seq (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .start_i        (run_start & is_neuron),
    .busy_o         (nseq_busy),
    .done_o         (nseq_done),
    .model_i        (h_model[2:0]),
    .shift_i        (h_shift[7:0]),
    .n_i            (n_neurons),
    .slot_i         (step_cnt_q[SlotWidth-1:0]),
    .sampling_i     (smp_cnt_q == '0),
    .mem_re_o       (seq_re),
    .mem_raddr_o    (seq_raddr),
    .param_rdata_i  (param_rdata),
    .state_rdata_i  (state_rdata),
    .recsel_rdata_i (recsel_rdata),
    .state_we_o     (seq_state_we),
    .state_waddr_o  (seq_waddr),
    .state_wdata_o  (seq_state_wdata),
    .rb_req_o       (rb_rd_req),
    .rb_slot_o      (rb_rd_slot),
    .rb_idx_o       (rb_rd_idx),
    .rb_rvalid_i    (rb_rvalid),
    .rb_rdata_i     (rb_rdata),
    .spike_o        (nspike),
    .spike_rec_o    (nspike_rec),
    .out_idx_o      (nout_idx),
    .smp_v_o        (smp_v),
    .smp_ge_o       (smp_ge),
    .smp_gi_o       (smp_gi),
    .smp_v_data_o   (smp_v_data),
    .smp_ge_data_o  (smp_ge_data),
    .smp_gi_data_o  (smp_gi_data),
    .sat_o          (sat)
  );

  logic                semit_valid, semit_ready, srec, cnt_capped;
  logic [IdxWidth-1:0] semit_idx, srec_idx;
  logic [7:0]          srec_count;

  axon_source_seq #(
    .NumNeurons   (NumNeurons),
    .MemWordsLog2 (MemWordsLog2)
  ) u_src (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .boot_i         (boot_start),
    .seed_load_i    (seed_load),
    .seed_i         (h_seed),
    .start_i        (run_start & (is_array | is_poisson)),
    .poisson_i      (is_poisson),
    .step_i         (step_cnt_q),
    .n_i            (n_neurons),
    .src_off_i      (MemAw'(h_src_off)),
    .src_words_i    (h_src_words),
    .busy_o         (sseq_busy),
    .done_o         (sseq_done),
    .mem_re_o       (src_re),
    .mem_addr_o     (src_raddr),
    .mem_rdata_i    (mem_rdata),
    .nrn_re_o       (src_nre),
    .nrn_raddr_o    (src_nraddr),
    .param_rdata_i  (param_rdata),
    .recsel_rdata_i (recsel_rdata),
    .emit_valid_o   (semit_valid),
    .emit_ready_i   (semit_ready),
    .emit_idx_o     (semit_idx),
    .rec_o          (srec),
    .rec_idx_o      (srec_idx),
    .rec_count_o    (srec_count),
    .cnt_capped_o   (cnt_capped)
  );

  ////////////////////////////////////////
  // Delay extension                     //
  ////////////////////////////////////////

  logic                demit_valid, demit_ready;
  logic [KeyWidth-1:0] demit_key;

  if (HasDelayExt) begin : g_de
    axon_delay_ext #(
      .NumNeurons   (NumNeurons),
      .MemWordsLog2 (MemWordsLog2)
    ) u_de (
      .clk_i        (clk_i),
      .rst_ni       (rst_ni),
      .clear_i      (de_clear),
      .busy_o       (de_busy),
      .start_i      (run_start & is_de),
      .done_o       (de_done),
      .step_i       (step_cnt_q),
      .n_i          (n_neurons),
      .src_off_i    (MemAw'(h_src_off)),
      .mem_re_o     (de_re),
      .mem_addr_o   (de_raddr),
      .mem_rdata_i  (mem_rdata),
      .emit_valid_o (demit_valid),
      .emit_ready_i (demit_ready),
      .emit_key_o   (demit_key),
      .rx_i         (de_rx),
      .rx_idx_i     (de_rx_idx)
    );
  end else begin : g_no_de
    assign de_busy     = 1'b0;
    assign de_done     = 1'b0;
    assign de_re       = 1'b0;
    assign de_raddr    = '0;
    assign demit_valid = 1'b0;
    assign demit_key   = '0;
    logic unused_de;
    assign unused_de = ^{de_clear, de_rx, de_rx_idx, demit_ready};
  end

  ////////////////////////////////////////
  // Output FIFO                         //
  ////////////////////////////////////////

  logic                out_push, out_ready, out_valid;
  logic [KeyWidth-1:0] out_local, push_idx;
  logic [31:0]         out_key;
  logic [$clog2(NumNeurons + 2)-1:0] out_level;

  assign out_push    = emit & (nspike | semit_valid | demit_valid);
  assign push_idx    = nspike ? KeyWidth'(nout_idx) :
                       (demit_valid ? demit_key : KeyWidth'(semit_idx));
  assign semit_ready = ~emit | out_ready;
  assign demit_ready = ~emit | out_ready;

  axon_fifo #(
    .Width (KeyWidth),
    .Depth (NumNeurons)
  ) u_out (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .clear_i     (boot_start),
    .in_valid_i  (out_push),
    .in_ready_o  (out_ready),
    .in_data_i   (push_idx),
    .out_valid_o (out_valid),
    .out_ready_i (pkt_out_ready_i),
    .out_data_o  (out_local),
    .level_o     (out_level)
  );

  assign out_empty       = (out_level == '0) & ~out_push;
  assign out_key         = h_key_base | (32'(out_local[KeyWidth-1 -: StageWidth]) << axon_pkg::DeStageKeyLsb) |
                           32'(out_local[IdxWidth-1:0]);
  assign pkt_out_valid_o = out_valid;
  // multicast, no payload; parity bit makes the 40-bit packet's parity odd
  assign pkt_out_data_o  = {32'd0, out_key, 7'd0, ~^out_key};

  ////////////////////////////////////////
  // Recording                           //
  ////////////////////////////////////////

  logic                     rec_valid, rec_pop;
  logic [31:0]              rec_data;
  logic [RecWordsLog2:0]    rec_level;

  axon_recorder #(
    .NumNeurons   (NumNeurons),
    .RecWordsLog2 (RecWordsLog2)
  ) u_rec (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .clear_i       (boot_start),
    .begin_i       (run_start),
    .spk_i         (nspike_rec | srec),
    .spk_idx_i     (nspike_rec ? nout_idx : srec_idx),
    .spk_cnt_i     (nspike_rec ? 8'd1 : srec_count),
    .smp_v_i       (smp_v),
    .smp_ge_i      (smp_ge),
    .smp_gi_i      (smp_gi),
    .smp_v_data_i  (smp_v_data),
    .smp_ge_data_i (smp_ge_data),
    .smp_gi_data_i (smp_gi_data),
    .finish_i      (step_q == SpRecord),
    .step_i        (step_cnt_q),
    .busy_o        (rec_busy),
    .done_o        (rec_done),
    .out_valid_o   (rec_valid),
    .out_ready_i   (rec_pop),
    .out_data_o    (rec_data),
    .level_o       (rec_level)
  );

  ////////////////////////////////////////
  // Counters                            //
  ////////////////////////////////////////

  logic [31:0] cnt_q [NCnt];
  logic [1:0]  inc [NCnt];

  always_comb begin
    for (int unsigned k = 0; k < NCnt; k++) begin
      inc[k] = 2'd0;
    end
    inc[axon_pkg::CntCorePacketsIn]      = {1'b0, cnt_pkt};
    inc[axon_pkg::CntCoreSynapticEvents] = {1'b0, cnt_event};
    inc[axon_pkg::CntCoreMptMiss]        = {1'b0, cnt_miss};
    inc[axon_pkg::CntCoreRowInvalid]     = {1'b0, cnt_invalid};
    inc[axon_pkg::CntCoreSaturations]    = 2'(sat[0]) + 2'(sat[1]);
    inc[axon_pkg::CntCoreSpikesOut]      = {1'b0, out_push & out_ready};
    inc[axon_pkg::CntCorePoissonCapped]  = {1'b0, cnt_capped};
  end

  for (genvar k = 0; k < NCnt; k++) begin : g_cnt
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        cnt_q[k] <= '0;
      end else if (boot_start) begin
        cnt_q[k] <= '0;
      end else begin
        cnt_q[k] <= cnt_q[k] + 32'(inc[k]);
      end
    end
  end

  ////////////////////////////////////////
  // Register reads                      //
  ////////////////////////////////////////

  typedef enum logic [1:0] {
    RdReg,
    RdMem,
    RdState
  } rdsel_e;

  rdsel_e      rsel_q;
  logic        rvalid_q, rec_empty_read_q;
  logic [31:0] reg_rdata_d, reg_rdata_q;
  logic [2:0]  st_w_q;
  logic [7:0]  reg_idx;
  logic [31:0] status;
  logic        busy_any;

  assign busy_any = core_busy | syn_busy;

  assign reg_idx = cfg_addr_i[7:0];
  assign rec_pop = cfg_rd & in_reg & (reg_idx == 8'(axon_pkg::CifRegRecData)) & rec_valid;
  assign status  = (32'(idle_o) << axon_pkg::CifStatusReadyBit) |
                   (32'(busy_any) << axon_pkg::CifStatusBusyBit) |
                   (32'(boot_q == BtError) << axon_pkg::CifStatusErrorBit) |
                   (32'(rec_empty_read_q) << axon_pkg::CifStatusRecEmptyReadBit);

  always_comb begin
    reg_rdata_d = '0;
    if (reg_idx >= 8'(axon_pkg::CifRegCounters) &&
        reg_idx < 8'(axon_pkg::CifRegCounters + NCnt)) begin
      reg_rdata_d = cnt_q[3'(reg_idx - 8'(axon_pkg::CifRegCounters))];
    end else begin
      unique case (reg_idx)
        8'(axon_pkg::CifRegInfo):
          reg_rdata_d = (32'(NumNeurons) << axon_pkg::CifInfoNNeuronsLsb) |
                        (32'(MemWordsLog2) << axon_pkg::CifInfoMemWordsLog2Lsb) |
                        (32'(RecWordsLog2) << axon_pkg::CifInfoRecWordsLog2Lsb);
        8'(axon_pkg::CifRegVersion):     reg_rdata_d = axon_pkg::SpecVersion;
        8'(axon_pkg::CifRegStatus):      reg_rdata_d = status;
        8'(axon_pkg::CifRegStep):        reg_rdata_d = step_cnt_q;
        8'(axon_pkg::CifRegRecAvail):    reg_rdata_d = 32'(rec_level);
        8'(axon_pkg::CifRegRecData):     reg_rdata_d = rec_valid ? rec_data : '0;
        8'(axon_pkg::CifRegRecCapacity): reg_rdata_d = 32'(1) << RecWordsLog2;
        8'(axon_pkg::CifRegError):       reg_rdata_d = 32'(err_q);
        8'(axon_pkg::CifRegCycles):      reg_rdata_d = cycles_q;
        default:                         reg_rdata_d = '0;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rvalid_q         <= 1'b0;
      rsel_q           <= RdReg;
      reg_rdata_q      <= '0;
      st_w_q           <= '0;
      rec_empty_read_q <= 1'b0;
    end else begin
      rvalid_q <= cfg_rd;
      if (cfg_rd) begin
        rsel_q      <= in_mem ? RdMem : (in_state ? RdState : RdReg);
        reg_rdata_q <= in_reg ? reg_rdata_d : '0;
        st_w_q      <= st_off[2:0];
      end
      if (boot_start) begin
        rec_empty_read_q <= 1'b0;
      end else if (cfg_rd && in_reg && reg_idx == 8'(axon_pkg::CifRegRecData) && !rec_valid) begin
        rec_empty_read_q <= 1'b1;
      end
    end
  end

  always_comb begin
    unique case (rsel_q)
      RdMem:   cfg_rdata_o = mem_rdata;
      RdState: cfg_rdata_o = (32'(st_w_q) < StateWords) ? state_rdata[32*st_w_q +: 32] : '0;
      default: cfg_rdata_o = reg_rdata_q;
    endcase
  end
  assign cfg_rvalid_o = rvalid_q;

  // unused bits: the control byte and payload of arriving packets (the router checks
  // them), header words wider than the fields the core uses, status sidebands
  logic unused;
  assign unused = ^{pkt_in_data_i[7:0], pkt_in_data_i[71:40], h_model[31:3], h_shift[31:8],
                    h_rec_flags[31:NVars], h_mpt_n[31:16], rb_rd_gnt, acc_ready, rec_busy,
                    sseq_busy, h_flags, h_syn_off, h_mpt_off, h_src_off, h_state_off,
                    h_param_off, h_bm_off, h_pw, h_sw, h_n, h_plast_off};

endmodule
