// RV32I arithmetic, logic, shifts and the branch comparison, built small: one
// adder serves add, sub, slt[u] and the branch comparisons (a + ~b + 1), and
// one arithmetic right shifter serves all shifts (a left shift is a right
// shift of the bit-reversed operand, reversed back).
module rv32_alu (
  input  logic [2:0]  funct3_i,
  input  logic        alt_i,     // sub (OP) and the arithmetic right shift
  input  logic        branch_i,  // funct3_i is a branch condition
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] result_o,
  output logic        branch_taken_o
);
  logic        sub, lt_signed, lt_unsigned, equal, left;
  logic [32:0] sum;
  logic [31:0] a_rev, shifted, shifted_rev;
  logic signed [32:0] shift_in;

  assign sub = branch_i || funct3_i[2:1] == 2'b01 || (funct3_i == 3'b000 && alt_i);
  assign sum = {1'b0, a_i} + {1'b0, b_i ^ {32{sub}}} + 33'(sub);
  assign lt_unsigned = !sum[32];
  assign lt_signed   = (a_i[31] != b_i[31]) ? a_i[31] : sum[31];
  assign equal       = a_i == b_i;

  // Bit reversal as five swap stages: wires in synthesis (constant shifts and masks),
  // and a few word operations instead of 32 bit operations in the Verilated model.
  function automatic logic [31:0] reverse(input logic [31:0] x);
    reverse = ((x >> 1) & 32'h55555555) | ((x & 32'h55555555) << 1);
    reverse = ((reverse >> 2) & 32'h33333333) | ((reverse & 32'h33333333) << 2);
    reverse = ((reverse >> 4) & 32'h0f0f0f0f) | ((reverse & 32'h0f0f0f0f) << 4);
    reverse = ((reverse >> 8) & 32'h00ff00ff) | ((reverse & 32'h00ff00ff) << 8);
    reverse = {reverse[15:0], reverse[31:16]};
  endfunction

  assign left = funct3_i == 3'b001;
  assign a_rev = reverse(a_i);
  assign shifted_rev = reverse(shifted);
  assign shift_in = {alt_i && !left && a_i[31], left ? a_rev : a_i};
  assign shifted  = 32'(shift_in >>> b_i[4:0]);

  // xor, or and and in one LUT a bit, selected by funct3[1:0].
  logic [31:0] logic_result;
  always_comb begin
    unique case (funct3_i[1:0])
      2'b00:   logic_result = a_i ^ b_i;
      2'b10:   logic_result = a_i | b_i;
      default: logic_result = a_i & b_i;
    endcase
  end

  always_comb begin
    unique casez (funct3_i)
      3'b000:  result_o = sum[31:0];
      3'b001:  result_o = shifted_rev;
      3'b101:  result_o = shifted;
      3'b010:  result_o = {31'd0, lt_signed};
      3'b011:  result_o = {31'd0, lt_unsigned};
      default: result_o = logic_result;
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
