// Axon synaptic ring buffers of one neuron core (docs/spec/synapses.md).
//
// NumSlots (16) x NumTypes (2) x NumNeurons accumulators of 17 bits: the 16-bit sum plus a
// sticky saturation bit, i.e. min(sum, 0x10000) (axon_rb_accumulate in axon/golden.h).
// One block RAM bank per synapse type (axon_ram_1r1w, NumSlots x 2^IdxWidth words,
// address {slot, neuron}), so that one read returns both types of a neuron.
//
// Ports (each transfer takes one clock; at most one of the two per clock, the read port
// first):
//  * read-and-clear (neuron pipeline): rd_req_i with (slot, neuron) is granted (rd_gnt_o)
//    whenever no clear runs. The next cycle rd_rvalid_o = 1 and rd_rdata_o holds both
//    types' words (type k in bits 17k+16:17k; bit 16 of a word = it saturated); the
//    accumulators are 0 afterwards. The response is valid for that one cycle.
//  * accumulate (synaptic events): acc_valid_i / acc_ready_o with (slot, type, neuron,
//    weight); ready when no clear runs and no read is requested in the same cycle. One
//    event per clock: the read-modify-write is pipelined (read at acceptance, add and write
//    the next cycle) and the word written in the previous cycle is forwarded to an access
//    of the same address, so back-to-back events on one accumulator, and a read right after
//    an event, see every earlier event.
//  * clear_i: every accumulator becomes 0 (NumSlots x 2^IdxWidth cycles, busy_o = 1; both
//    ports wait; an event accepted in the cycle before is dropped). A clear also runs
//    after reset, so the buffers start empty.
// The caller keeps the ordering rules of the spec (an event for slot s must not arrive
// before the neuron pipeline has read slot s in the same step).
module axon_ring_buffer #(
  parameter int unsigned NumNeurons = 256,
  localparam int unsigned NumSlots  = axon_pkg::SynRingSlots,
  localparam int unsigned NumTypes  = axon_pkg::SynNTypes,
  localparam int unsigned IdxWidth  = (NumNeurons > 1) ? $clog2(NumNeurons) : 1,
  localparam int unsigned SlotWidth = $clog2(NumSlots),
  localparam int unsigned TypeWidth = (NumTypes > 1) ? $clog2(NumTypes) : 1,
  localparam int unsigned AddrWidth = SlotWidth + IdxWidth,
  localparam int unsigned AccWidth  = 17
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  // clear every accumulator
  input  logic                         clear_i,
  output logic                         busy_o,
  // read-and-clear port
  input  logic                         rd_req_i,
  output logic                         rd_gnt_o,
  input  logic [SlotWidth-1:0]         rd_slot_i,
  input  logic [IdxWidth-1:0]          rd_idx_i,
  output logic                         rd_rvalid_o,
  output logic [NumTypes*AccWidth-1:0] rd_rdata_o,
  // accumulate port
  input  logic                         acc_valid_i,
  output logic                         acc_ready_o,
  input  logic [SlotWidth-1:0]         acc_slot_i,
  input  logic [TypeWidth-1:0]         acc_type_i,
  input  logic [IdxWidth-1:0]          acc_idx_i,
  input  logic [15:0]                  acc_weight_i
);

  localparam int unsigned Depth = NumSlots << IdxWidth;
  localparam logic [AccWidth-1:0] Cap = AccWidth'(axon_pkg::SynRingMax + 1);

  ///////////////////////////
  // Clear sweep           //
  ///////////////////////////

  logic                 busy_q;
  logic [AddrWidth-1:0] clr_addr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b1;
      clr_addr_q <= '0;
    end else if (clear_i) begin
      busy_q     <= 1'b1;
      clr_addr_q <= '0;
    end else if (busy_q) begin
      clr_addr_q <= clr_addr_q + 1'b1;
      if (clr_addr_q == AddrWidth'(Depth - 1)) begin
        busy_q <= 1'b0;
      end
    end
  end

  assign busy_o = busy_q;

  ///////////////////////////
  // Arbitration, stage 0  //
  ///////////////////////////

  logic                 rd_fire, acc_fire;
  logic [AddrWidth-1:0] raddr;

  assign rd_gnt_o    = ~busy_q;
  assign acc_ready_o = ~busy_q & ~rd_req_i;
  assign rd_fire     = rd_req_i & rd_gnt_o;
  assign acc_fire    = acc_valid_i & acc_ready_o;
  assign raddr       = rd_req_i ? {rd_slot_i, rd_idx_i} : {acc_slot_i, acc_idx_i};

  // stage 1: the access whose RAM read is in flight
  logic                 rd1_q, acc1_q;
  logic [AddrWidth-1:0] addr1_q;
  logic [TypeWidth-1:0] type1_q;
  logic [15:0]          weight1_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd1_q  <= 1'b0;
      acc1_q <= 1'b0;
    end else begin
      rd1_q  <= rd_fire;
      acc1_q <= acc_fire;
    end
  end

  always_ff @(posedge clk_i) begin
    addr1_q   <= raddr;
    type1_q   <= acc_type_i;
    weight1_q <= acc_weight_i;
  end

  ///////////////////////////
  // Banks, stage 1        //
  ///////////////////////////

  logic [NumTypes*AccWidth-1:0] old_words;

  for (genvar k = 0; k < NumTypes; k++) begin : g_bank
    logic                 re, we, fwd_we_q, fwd_hit;
    logic [AddrWidth-1:0] waddr, fwd_addr_q;
    logic [AccWidth-1:0]  rdata, wdata, fwd_data_q, old;
    logic [AccWidth:0]    sum;

    assign re = rd_fire | (acc_fire & (acc_type_i == TypeWidth'(k)));

    // the word written at the last edge has not reached rdata (read-first RAM): forward it
    assign fwd_hit = fwd_we_q & (fwd_addr_q == addr1_q);
    assign old     = fwd_hit ? fwd_data_q : rdata;
    assign sum     = {1'b0, old} + {2'b0, weight1_q};

    always_comb begin
      we    = 1'b0;
      waddr = addr1_q;
      wdata = '0;
      if (busy_q) begin
        we    = 1'b1;
        waddr = clr_addr_q;
      end else if (rd1_q) begin
        we = 1'b1;  // read-and-clear
      end else if (acc1_q && (type1_q == TypeWidth'(k))) begin
        we    = 1'b1;
        wdata = (sum > {1'b0, Cap}) ? Cap : sum[AccWidth-1:0];
      end
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        fwd_we_q <= 1'b0;
      end else begin
        fwd_we_q <= we;
      end
    end

    always_ff @(posedge clk_i) begin
      fwd_addr_q <= waddr;
      fwd_data_q <= wdata;
    end

    axon_ram_1r1w #(
      .Width (AccWidth),
      .Depth (Depth)
    ) u_ram (
      .clk_i   (clk_i),
      .re_i    (re),
      .raddr_i (raddr),
      .rdata_o (rdata),
      .we_i    (we),
      .waddr_i (waddr),
      .wdata_i (wdata)
    );

    assign old_words[k*AccWidth +: AccWidth] = old;
  end

  assign rd_rvalid_o = rd1_q;
  assign rd_rdata_o  = old_words;

endmodule
