// Master population table lookup (docs/spec/synapses.md), bit-exact with core_lookup() of
// the golden engine (axon_golden_mpt_lookup in axon/golden.h):
//   binary search for the last entry whose key <= K; it matches when (K & mask) = key;
//   id = K & ~mask; no match -> miss; matched on a core that is not a neuron core, or
//   id >= n_rows -> invalid; else row = row_base + id * stride (word offset in the matrix).
//   On a delay-extension core (de_i) the result is the neuron id itself, invalid when
//   id >= de_n_i.
// Reads core memory through a read port of latency 1 (one word per clock). Cycles for a
// table of n entries: 2 per probe (ceil(log2(n + 1)) probes) + 5 for the entry; the result
// is valid in the cycle done_o = 1 and held until the next start.
module axon_mpt_lookup #(
  parameter int unsigned MemWordsLog2 = 16
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    start_i,
  input  logic [31:0]             key_i,
  input  logic [MemWordsLog2-1:0] mpt_off_i,
  input  logic [15:0]             mpt_n_i,
  input  logic                    neuron_core_i,
  input  logic                    de_i,
  input  logic [15:0]             de_n_i,
  output logic                    busy_o,
  output logic                    done_o,
  output logic                    miss_o,
  output logic                    invalid_o,
  output logic [31:0]             row_o,
  // core memory read port (rdata the cycle after re)
  output logic                    mem_re_o,
  output logic [MemWordsLog2-1:0] mem_addr_o,
  input  logic [31:0]             mem_rdata_i
);

  localparam int unsigned EntryWords = axon_pkg::SynMptEntryWords;

  typedef enum logic [2:0] {
    StIdle,
    StProbe,
    StCompare,
    StEntry,
    StResult,
    StDone
  } state_e;

  state_e      state_q;
  logic [16:0] lo_q, hi_q, mid;
  logic [31:0] key_q, ekey_q, mask_q, base_q, shape_q;
  logic [2:0]  ecnt_q;  // entry words requested (1..3: mask, row_base, shape)
  logic        miss_q, invalid_q;
  logic [31:0] row_q, id;
  logic [15:0] n_rows, stride;

  assign mid    = (lo_q + hi_q) >> 1;
  assign id     = key_q & ~mask_q;
  assign n_rows = shape_q[axon_pkg::MptShapeNRowsLsb +: 16];
  assign stride = shape_q[axon_pkg::MptShapeStrideLsb +: 16];

  // address of word w of entry e
  function automatic logic [MemWordsLog2-1:0] entry_addr(logic [MemWordsLog2-1:0] off,
                                                         logic [16:0] e, logic [1:0] w);
    entry_addr = off + MemWordsLog2'(32'(e) * EntryWords) + MemWordsLog2'(w);
  endfunction

  always_comb begin
    mem_re_o   = 1'b0;
    mem_addr_o = entry_addr(mpt_off_i, mid, 2'(axon_pkg::MptWKey));
    if (state_q == StProbe) begin
      mem_re_o = 1'b1;
    end else if (state_q == StEntry && ecnt_q < 3'd3) begin
      mem_re_o   = 1'b1;
      mem_addr_o = entry_addr(mpt_off_i, lo_q - 17'd1, ecnt_q[1:0] + 2'(axon_pkg::MptWMask));
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q   <= StIdle;
      lo_q      <= '0;
      hi_q      <= '0;
      key_q     <= '0;
      ekey_q    <= '0;
      mask_q    <= '0;
      base_q    <= '0;
      shape_q   <= '0;
      ecnt_q    <= '0;
      miss_q    <= 1'b0;
      invalid_q <= 1'b0;
      row_q     <= '0;
    end else begin
      unique case (state_q)
        StIdle, StDone: begin
          if (start_i) begin
            key_q   <= key_i;
            lo_q    <= '0;
            hi_q    <= {1'b0, mpt_n_i};
            state_q <= (mpt_n_i == '0) ? StResult : StProbe;
          end else begin
            state_q <= StIdle;
          end
        end
        StProbe: state_q <= StCompare;
        StCompare: begin
          if (mem_rdata_i <= key_q) begin
            lo_q   <= mid + 17'd1;
            ekey_q <= mem_rdata_i;
            state_q <= (mid + 17'd1 < hi_q) ? StProbe : StEntry;
          end else begin
            hi_q    <= mid;
            state_q <= (lo_q < mid) ? StProbe : StEntry;
          end
          ecnt_q <= '0;
        end
        StEntry: begin
          if (lo_q == '0) begin
            state_q <= StResult;
          end else begin
            ecnt_q <= ecnt_q + 3'd1;
            unique case (ecnt_q)
              3'd1: mask_q <= mem_rdata_i;
              3'd2: base_q <= mem_rdata_i;
              3'd3: shape_q <= mem_rdata_i;
              default: ;
            endcase
            if (ecnt_q == 3'd3) begin
              state_q <= StResult;
            end
          end
        end
        StResult: begin
          miss_q    <= (lo_q == '0) || ((key_q & mask_q) != ekey_q);
          invalid_q <= de_i ? (id >= 32'(de_n_i)) : (!neuron_core_i || (id >= 32'(n_rows)));
          row_q     <= de_i ? id : base_q + 32'(id[15:0]) * 32'(stride);
          state_q   <= StDone;
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  assign busy_o    = (state_q != StIdle) && (state_q != StDone);
  assign done_o    = (state_q == StDone);
  assign miss_o    = miss_q;
  assign invalid_o = invalid_q & ~miss_q;
  assign row_o     = row_q;

endmodule
