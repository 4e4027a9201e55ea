// CRC-32 (spec net.crc_polynomial, reflected) of one more 64-bit word: bytes least
// significant first, as extoll::crc32 computes it.  Start with 32'hFFFFFFFF; the CRC of
// a packet is the running value after its last word, xor 32'hFFFFFFFF.
module crc32_64 (
  input  logic        valid_i,          // computed only for a valid word (cheap to simulate)
  input  logic [31:0] crc_i,
  input  logic [63:0] data_i,
  output logic [31:0] crc_o
);
  function automatic logic [31:0] reflect(input logic [31:0] v);
    for (int i = 0; i < 32; i++) reflect[31 - i] = v[i];
  endfunction
  localparam logic [31:0] POLY = reflect(32'(nmtwin_pkg::NET_CRC_POLYNOMIAL));

  always_comb begin
    crc_o = crc_i;
    if (valid_i)
      for (int i = 0; i < 64; i++) crc_o = (crc_o[0] ^ data_i[i]) ? (crc_o >> 1) ^ POLY : crc_o >> 1;
  end
endmodule
