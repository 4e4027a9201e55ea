// RV32IM instruction decoder: the instruction's class, whether it writes rd,
// and whether it is an encoding RV32IM does not define (illegal instruction).
// FENCE (any fm/pred/succ) and FENCE.I are no-ops: the core has no caches and
// the instruction memory is written only while the core is held in reset.
module rv32_decode (
  input  logic [31:0] insn_i,
  output logic        lui_o,
  output logic        auipc_o,
  output logic        jal_o,
  output logic        jalr_o,
  output logic        branch_o,
  output logic        load_o,
  output logic        store_o,
  output logic        alu_imm_o,  // second operand is the I immediate
  output logic        mul_o,
  output logic        div_o,
  output logic        csr_o,
  output logic        ecall_o,
  output logic        ebreak_o,
  output logic        mret_o,
  output logic        wfi_o,
  output logic        illegal_o,
  output logic        writes_rd_o  // writes a register other than x0 when it retires
);
  logic [6:0] opcode, funct7;
  logic [2:0] funct3;
  logic       shift, fence, alu, defined;

  assign opcode = insn_i[6:0];
  assign funct3 = insn_i[14:12];
  assign funct7 = insn_i[31:25];
  assign shift  = funct3[1:0] == 2'b01;  // sll (001), srl/sra (101)

  always_comb begin
    lui_o = 1'b0; auipc_o = 1'b0; jal_o = 1'b0; jalr_o = 1'b0; branch_o = 1'b0;
    load_o = 1'b0; store_o = 1'b0; alu = 1'b0; alu_imm_o = 1'b0; mul_o = 1'b0;
    div_o = 1'b0; csr_o = 1'b0; ecall_o = 1'b0; ebreak_o = 1'b0; mret_o = 1'b0;
    wfi_o = 1'b0; fence = 1'b0;
    unique case (opcode)
      7'b0110111: lui_o = 1'b1;
      7'b0010111: auipc_o = 1'b1;
      7'b1101111: jal_o = 1'b1;
      7'b1100111: jalr_o = funct3 == 3'b000;
      7'b1100011: branch_o = funct3[2:1] != 2'b01;
      7'b0000011: load_o = funct3 != 3'b011 && funct3[2:1] != 2'b11;
      7'b0100011: store_o = funct3[2] == 1'b0 && funct3[1:0] != 2'b11;
      7'b0010011: begin
        // Immediate shifts keep funct7 (srai: 0100000); the others use all 12 bits.
        alu = !shift || funct7 == 7'b0000000 || (funct3 == 3'b101 && funct7 == 7'b0100000);
        alu_imm_o = 1'b1;
      end
      7'b0110011: begin
        alu = funct7 == 7'b0000000 ||
                (funct7 == 7'b0100000 && (funct3 == 3'b000 || funct3 == 3'b101));
        mul_o = funct7 == 7'b0000001 && !funct3[2];
        div_o = funct7 == 7'b0000001 && funct3[2];
      end
      7'b0001111: fence = funct3[2:1] == 2'b00;
      7'b1110011: begin
        csr_o    = funct3 != 3'b000 && funct3 != 3'b100;
        ecall_o  = insn_i == 32'h0000_0073;
        ebreak_o = insn_i == 32'h0010_0073;
        mret_o   = insn_i == 32'h3020_0073;
        wfi_o    = insn_i == 32'h1050_0073;
      end
      default: ;
    endcase
  end

  assign defined = lui_o || auipc_o || jal_o || jalr_o || branch_o || load_o || store_o ||
                   alu || mul_o || div_o || csr_o || ecall_o || ebreak_o || mret_o ||
                   wfi_o || fence;
  assign illegal_o = !defined;
  assign writes_rd_o = insn_i[11:7] != 5'd0 &&
                       (lui_o || auipc_o || jal_o || jalr_o || load_o || alu || mul_o ||
                        div_o || csr_o);
endmodule
