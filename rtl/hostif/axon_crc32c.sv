// CRC-32C (Castagnoli) update over one little-endian 32-bit word, bits in transmission
// order (byte 0 first, each byte LSB first): the reflected algorithm of
// docs/spec/protocol.md, 32 bits per clock. crc_i/crc_o are the running register (start
// with 32'hFFFFFFFF; the frame's CRC word is ~crc_o after its last word). Combinational.
module axon_crc32c (
  input  logic [31:0] crc_i,
  input  logic [31:0] data_i,
  output logic [31:0] crc_o
);

  always_comb begin
    crc_o = crc_i;
    for (int i = 0; i < 32; i++) begin
      if ((crc_o[0] ^ data_i[i]) == 1'b1) begin
        crc_o = (crc_o >> 1) ^ axon_pkg::ProtoCrcPoly;
      end else begin
        crc_o = crc_o >> 1;
      end
    end
  end

endmodule
