// Axon SpikeSourcePoisson count unit (docs/spec/sources.md), bit-exact with
// axon_poisson_draw() of include/axon/golden.h: Knuth's product method in integers,
//   p = 0xFFFFFFFF; k = 0
//   loop: p = muluu(p, kiss_next()); if p <= L: stop
//         if k == 255: capped, stop
//         k = k + 1
// with L = exp(-lambda) in u0.32, one draw (one PRNG number, one 32 x 32 multiply) per
// clock. It owns the core's PRNG (axon_kiss), so successive requests consume one number
// stream, as the golden core's sources do in index order.
//
// Handshake: req (L) valid/ready, rsp (count, capped) valid/ready. A request is accepted
// when the unit is idle or in the cycle its previous result is taken; a source whose count
// is k takes k + 1 draw clocks, then its result is valid (latency k + 2 clocks from the
// request, 1 + 1 per draw). seed_load_i (re)loads the PRNG seed {c, z, y, x}; load it
// while no request is in flight.
module axon_poisson (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         seed_load_i,
  input  logic [127:0] seed_i,
  input  logic         req_valid_i,
  output logic         req_ready_o,
  input  logic [31:0]  req_l_i,
  output logic         rsp_valid_o,
  input  logic         rsp_ready_i,
  output logic [7:0]   rsp_count_o,
  output logic         rsp_capped_o
);

  localparam logic [7:0] MaxCount = 8'(axon_pkg::PoissonMaxSpikesPerStep);

  typedef enum logic [1:0] {
    StIdle,
    StDraw,
    StDone
  } state_e;

  state_e      state_d, state_q;
  logic [31:0] p_d, p_q, l_q, rnd;
  logic [7:0]  k_d, k_q;
  logic        capped_d, capped_q, req_fire, draw;
  logic [63:0] prod;

  assign req_ready_o = (state_q == StIdle) | ((state_q == StDone) & rsp_ready_i);
  assign req_fire    = req_valid_i & req_ready_o;
  assign draw        = (state_q == StDraw);

  axon_kiss u_kiss (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .seed_load_i (seed_load_i),
    .seed_i      (seed_i),
    .next_i      (draw),
    .rnd_o       (rnd)
  );

  assign prod = 64'(p_q) * 64'(rnd);  // muluu: floor(p * u / 2^32)

  always_comb begin
    state_d  = state_q;
    p_d      = p_q;
    k_d      = k_q;
    capped_d = capped_q;
    unique case (state_q)
      StIdle, StDone: begin
        if (req_fire) begin
          state_d  = StDraw;
          p_d      = '1;
          k_d      = '0;
          capped_d = 1'b0;
        end else if (rsp_ready_i) begin
          state_d = StIdle;
        end
      end
      StDraw: begin
        p_d = prod[63:32];
        if (prod[63:32] <= l_q) begin
          state_d = StDone;
        end else if (k_q == MaxCount) begin
          state_d  = StDone;
          capped_d = 1'b1;
        end else begin
          k_d = k_q + 8'd1;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q  <= StIdle;
      p_q      <= '1;
      k_q      <= '0;
      capped_q <= 1'b0;
      l_q      <= '0;
    end else begin
      state_q  <= state_d;
      p_q      <= p_d;
      k_q      <= k_d;
      capped_q <= capped_d;
      if (req_fire) begin
        l_q <= req_l_i;
      end
    end
  end

  assign rsp_valid_o  = (state_q == StDone);
  assign rsp_count_o  = k_q;
  assign rsp_capped_o = capped_q;

  logic unused_prod;
  assign unused_prod = ^prod[31:0];

endmodule
