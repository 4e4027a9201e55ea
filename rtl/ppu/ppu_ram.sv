// Block RAM of the PPU (instruction, data and mailbox memory): two ports, each
// reading and writing whole words with byte enables, read data registered
// (one cycle), so that yosys maps it onto RAMB36E1 true dual-port blocks.
// The contents survive every reset (memories keep their program while the
// core is held).
module ppu_ram #(
  parameter int WORDS = 4096,
  localparam int AW = $clog2(WORDS)
) (
  input  logic          clk_i,
  input  logic          a_en_i,
  input  logic [3:0]    a_we_i,
  input  logic [AW-1:0] a_addr_i,
  input  logic [31:0]   a_wdata_i,
  output logic [31:0]   a_rdata_o,
  input  logic          b_en_i,
  input  logic [3:0]    b_we_i,
  input  logic [AW-1:0] b_addr_i,
  input  logic [31:0]   b_wdata_i,
  output logic [31:0]   b_rdata_o
);
  logic [31:0] mem [0:WORDS-1];
  always_ff @(posedge clk_i) begin
    if (a_en_i) begin
      for (int i = 0; i < 4; i++)
        if (a_we_i[i]) mem[a_addr_i][8*i +: 8] <= a_wdata_i[8*i +: 8];
      a_rdata_o <= mem[a_addr_i];
    end
    if (b_en_i) begin
      for (int i = 0; i < 4; i++)
        if (b_we_i[i]) mem[b_addr_i][8*i +: 8] <= b_wdata_i[8*i +: 8];
      b_rdata_o <= mem[b_addr_i];
    end
  end
endmodule
