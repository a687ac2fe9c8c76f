// Place-and-route harness for the host interface on an iCE40 UP5K (rtl/syn/pnr_hostif.sh):
// axon_hostif with a 1 Ki-word payload buffer (MaxData 1024: the host sends smaller chunks,
// HELLO says so), its 71 inputs (FIFO bus, configuration-bus answers, idle lines) driven
// from a scan shift register fed by one pin and its 120 outputs folded into one registered
// pin, since the UP5K's 39 I/O cannot carry the FT601 bus and the chip bus. Not part of the
// board.
module axon_up5k_hostif #(
  parameter int unsigned BufWords = 1032,
  localparam int unsigned InWidth = 1 + 32 + 1 + 1 + 1 + 32 + 4
) (
  input  logic clk_i,
  input  logic rst_ni,
  input  logic scan_i,
  output logic fold_o
);

  logic [InWidth-1:0] scan_q;
  logic               fold_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      scan_q <= '0;
    end else begin
      scan_q <= {scan_q[InWidth-2:0], scan_i};
    end
  end

  logic        oe_n, rd_n, wr_n, req, we, tick, running;
  logic [31:0] dout, addr32, wdata;
  logic [3:0]  be;
  logic [7:0]  x, y;
  logic [4:0]  unit;
  logic [23:0] addr;
  assign addr32 = {8'd0, addr};

  axon_hostif #(
    .NumCores (4),
    .BufWords (BufWords)
  ) u_hostif (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .ft_rxf_ni   (scan_q[0]),
    .ft_data_i   (scan_q[32:1]),
    .ft_oe_no    (oe_n),
    .ft_rd_no    (rd_n),
    .ft_txe_ni   (scan_q[33]),
    .ft_wr_no    (wr_n),
    .ft_data_o   (dout),
    .ft_be_o     (be),
    .cfg_req_o   (req),
    .cfg_we_o    (we),
    .cfg_x_o     (x),
    .cfg_y_o     (y),
    .cfg_unit_o  (unit),
    .cfg_addr_o  (addr),
    .cfg_wdata_o (wdata),
    .cfg_gnt_i   (scan_q[34]),
    .cfg_rvalid_i(scan_q[35]),
    .cfg_rdata_i (scan_q[67:36]),
    .tick_o      (tick),
    .idle_i      (scan_q[71:68]),
    .running_o   (running)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fold_q <= 1'b0;
    end else begin
      fold_q <= ^{oe_n, rd_n, wr_n, req, we, tick, running, dout, addr32, wdata, be, x, y, unit};
    end
  end
  assign fold_o = fold_q;

endmodule
