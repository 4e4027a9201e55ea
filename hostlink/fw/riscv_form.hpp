#pragma once
// Which operands each instruction has: shared by the encoder's field checks and the
// disassembler's operand order, so that both agree with the decoder on one table.

#include "nmtwin/riscv.hpp"

namespace nmtwin::riscv::detail {

enum class Form : std::uint8_t {
  none,     // illegal, ecall, ebreak, mret, wfi, fence.tso
  upper,    // lui, auipc: rd, imm (20 bits)
  jump,     // jal: rd, offset
  branch,   // rs1, rs2, offset
  load,     // rd, imm(rs1) (also jalr)
  store,    // rs2, imm(rs1)
  alu_imm,  // rd, rs1, imm (12 bits signed)
  shift,    // rd, rs1, shamt
  reg,      // rd, rs1, rs2
  fence,    // fence, fence.i: rd, rs1, bits 31:20 in imm (fm, pred, succ)
  csr,      // rd, csr, rs1
  csr_imm,  // rd, csr, zimm
};

Form form(Op op);
bool has_rd(Form f);
bool has_rs1(Form f);
bool has_rs2(Form f);

}  // namespace nmtwin::riscv::detail
