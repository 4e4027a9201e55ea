// RV32I arithmetic, logic, shifts and the branch comparison.
// alt_i selects sub (OP only) and the arithmetic right shift.
module rv32_alu (
  input  logic [2:0]  funct3_i,
  input  logic        alt_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] result_o,
  output logic        branch_taken_o  // funct3_i read as a branch condition
);
  logic [32:0] diff;  // a - b with the borrow in bit 32 (unsigned a < b)
  logic        lt_signed, lt_unsigned, equal;
  logic [4:0]  shamt;

  assign diff        = {1'b0, a_i} - {1'b0, b_i};
  assign lt_unsigned = diff[32];
  assign lt_signed   = (a_i[31] != b_i[31]) ? a_i[31] : diff[31];
  assign equal       = a_i == b_i;
  assign shamt       = b_i[4:0];

  always_comb begin
    unique case (funct3_i)
      3'b000: result_o = alt_i ? diff[31:0] : a_i + b_i;
      3'b001: result_o = a_i << shamt;
      3'b010: result_o = {31'd0, lt_signed};
      3'b011: result_o = {31'd0, lt_unsigned};
      3'b100: result_o = a_i ^ b_i;
      3'b101: result_o = alt_i ? 32'($signed(a_i) >>> shamt) : a_i >> shamt;
      3'b110: result_o = a_i | b_i;
      default: result_o = a_i & b_i;
    endcase
  end

  always_comb begin
    unique case (funct3_i)
      3'b000:  branch_taken_o = equal;
      3'b001:  branch_taken_o = !equal;
      3'b100:  branch_taken_o = lt_signed;
      3'b101:  branch_taken_o = !lt_signed;
      3'b110:  branch_taken_o = lt_unsigned;
      default: branch_taken_o = !lt_unsigned;
    endcase
  end
endmodule
