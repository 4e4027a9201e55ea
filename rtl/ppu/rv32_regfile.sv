// RV32 integer register file: 31 registers in distributed RAM (two asynchronous
// read ports, one write port).  The RAM cannot be reset, so a register that was
// not written since reset reads as zero through its `written` bit: a reset core
// starts with every register (and x0 forever) zero, as the instruction-set model does.
module rv32_regfile (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [4:0]  raddr_a_i,
  output logic [31:0] rdata_a_o,
  input  logic [4:0]  raddr_b_i,
  output logic [31:0] rdata_b_o,
  input  logic        we_i,
  input  logic [4:0]  waddr_i,
  input  logic [31:0] wdata_i
);
  logic [31:0] mem [0:31];
  logic [31:0] written_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem[waddr_i] <= wdata_i;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni)                     written_q <= '0;
    else if (we_i && waddr_i != '0)  written_q[waddr_i] <= 1'b1;
  end

  assign rdata_a_o = written_q[raddr_a_i] ? mem[raddr_a_i] : '0;
  assign rdata_b_o = written_q[raddr_b_i] ? mem[raddr_b_i] : '0;
endmodule
