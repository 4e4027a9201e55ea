// RV32IM mnemonics of instruction words, for the benches' coverage and
// cycles-per-instruction tables (the full decoder and disassembler of the
// firmware tools is include/nmtwin/riscv.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace nmtwin::tb {

/// The mnemonic of an RV32IM instruction, or "illegal".
inline std::string rv32_mnemonic(std::uint32_t insn) {
  const unsigned op = insn & 0x7f, f3 = (insn >> 12) & 7, f7 = insn >> 25;
  static const char* const branch[8] = {"beq", "bne", "", "", "blt", "bge", "bltu", "bgeu"};
  static const char* const load[8] = {"lb", "lh", "lw", "", "lbu", "lhu", "", ""};
  static const char* const store[8] = {"sb", "sh", "sw", "", "", "", "", ""};
  static const char* const opimm[8] = {"addi", "slli", "slti", "sltiu", "xori", "srli", "ori", "andi"};
  static const char* const opreg[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
  static const char* const muldiv[8] = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
  static const char* const csr[8] = {"", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci"};
  std::string m;
  switch (op) {
    case 0x37: m = "lui"; break;
    case 0x17: m = "auipc"; break;
    case 0x6f: m = "jal"; break;
    case 0x67: m = f3 == 0 ? "jalr" : ""; break;
    case 0x63: m = branch[f3]; break;
    case 0x03: m = load[f3]; break;
    case 0x23: m = store[f3]; break;
    case 0x13:
      m = opimm[f3];
      if (f3 == 5 && f7 == 0x20) m = "srai";
      else if ((f3 == 1 || f3 == 5) && f7 != 0) m = "";
      break;
    case 0x33:
      if (f7 == 1) m = muldiv[f3];
      else if (f7 == 0) m = opreg[f3];
      else if (f7 == 0x20 && (f3 == 0 || f3 == 5)) m = f3 == 0 ? "sub" : "sra";
      break;
    case 0x0f: m = f3 == 0 ? "fence" : f3 == 1 ? "fence.i" : ""; break;
    case 0x73:
      if (insn == 0x00000073) m = "ecall";
      else if (insn == 0x00100073) m = "ebreak";
      else if (insn == 0x30200073) m = "mret";
      else if (insn == 0x10500073) m = "wfi";
      else m = csr[f3];
      break;
    default: break;
  }
  return m.empty() ? "illegal" : m;
}

/// Every RV32IM mnemonic rv32_mnemonic() can return (the coverage goal).
inline const char* const kRv32imMnemonics[] = {
    "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu", "lb", "lh", "lw",
    "lbu", "lhu", "sb", "sh", "sw", "addi", "slti", "sltiu", "xori", "ori", "andi", "slli",
    "srli", "srai", "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
    "fence", "fence.i", "ecall", "ebreak", "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi",
    "csrrci", "mret", "wfi", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};

/// The class of a mnemonic in the cycles-per-instruction table.
inline std::string rv32_class(const std::string& m) {
  if (m == "lui" || m == "auipc") return "lui/auipc";
  if (m == "jal" || m == "jalr") return "jump";
  if (m[0] == 'b') return "branch";
  if (m == "lb" || m == "lh" || m == "lw" || m == "lbu" || m == "lhu") return "load";
  if (m == "sb" || m == "sh" || m == "sw") return "store";
  if (m.rfind("mul", 0) == 0) return "mul";
  if (m.rfind("div", 0) == 0 || m.rfind("rem", 0) == 0) return "div/rem";
  if (m.rfind("csr", 0) == 0) return "csr";
  if (m == "ecall" || m == "ebreak" || m == "mret" || m == "wfi" || m == "illegal") return "system";
  if (m.rfind("fence", 0) == 0) return "fence";
  return "alu";
}

}  // namespace nmtwin::tb
