// Disassembly in the style of objdump -M no-aliases (operand syntax, immediates: decimal
// offsets, hexadecimal shift amounts, upper immediates and targets) with Spike's spacing:
// the mnemonic padded to 8 columns and ", " between operands.

#include <array>
#include <iterator>
#include <string>

#include <fmt/format.h>

#include "hostlink/fw/riscv_form.hpp"
#include "nmtwin/riscv.hpp"

namespace nmtwin::riscv {

namespace {

using detail::Form;

constexpr std::array<std::string_view, 32> kRegisters = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

constexpr std::string_view kMnemonics[] = {
    "unknown", "lui",   "auipc",  "jal",  "jalr",   "beq",   "bne",   "blt",   "bge",    "bltu",   "bgeu",  "lb",
    "lh",      "lw",    "lbu",    "lhu",  "sb",     "sh",    "sw",    "addi",  "slti",   "sltiu",  "xori",  "ori",
    "andi",    "slli",  "srli",   "srai", "add",    "sub",   "sll",   "slt",   "sltu",   "xor",    "srl",   "sra",
    "or",      "and",   "mul",    "mulh", "mulhsu", "mulhu", "div",   "divu",  "rem",    "remu",   "fence", "fence.tso",
    "fence.i", "ecall", "ebreak", "mret", "wfi",    "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"};
static_assert(std::size(kMnemonics) == static_cast<std::size_t>(Op::csrrci) + 1, "one mnemonic per Op");

// fence's predecessor/successor set: the letters of i, o, r, w present; objdump's
// "unknown" for the empty set.
std::string ordering(unsigned bits) {
  std::string s;
  for (unsigned b = 0; b < 4; ++b) {
    if (bits & (8u >> b)) s += "iorw"[b];
  }
  return s.empty() ? "unknown" : s;
}

std::string csr_text(std::uint16_t address) {
  const std::string_view name = csr_name(address);
  return name.empty() ? fmt::format("0x{:x}", address) : std::string(name);
}

std::string operands(const Instruction& i, std::uint32_t pc) {
  const auto r = [](unsigned reg) { return register_name(reg); };
  const std::uint32_t target = pc + static_cast<std::uint32_t>(i.imm);
  switch (detail::form(i.op)) {
    case Form::upper:
      return fmt::format("{}, 0x{:x}", r(i.rd), i.imm);
    case Form::jump:
      return fmt::format("{}, 0x{:x}", r(i.rd), target);
    case Form::branch:
      return fmt::format("{}, {}, 0x{:x}", r(i.rs1), r(i.rs2), target);
    case Form::load:
      return fmt::format("{}, {}({})", r(i.rd), i.imm, r(i.rs1));
    case Form::store:
      return fmt::format("{}, {}({})", r(i.rs2), i.imm, r(i.rs1));
    case Form::alu_imm:
      return fmt::format("{}, {}, {}", r(i.rd), r(i.rs1), i.imm);
    case Form::shift:
      return fmt::format("{}, {}, 0x{:x}", r(i.rd), r(i.rs1), i.imm);
    case Form::reg:
      return fmt::format("{}, {}, {}", r(i.rd), r(i.rs1), r(i.rs2));
    case Form::fence:  // the sets the core orders by; reserved fields are not shown
      if (i.op == Op::fence_i) return {};
      return ordering((static_cast<unsigned>(i.imm) >> 4) & 0xF) + ", " + ordering(i.imm & 0xF);
    case Form::csr:
      return fmt::format("{}, {}, {}", r(i.rd), csr_text(i.csr), r(i.rs1));
    case Form::csr_imm:
      return fmt::format("{}, {}, {}", r(i.rd), csr_text(i.csr), i.imm);
    case Form::none:
      break;
  }
  return {};
}

}  // namespace

std::string_view mnemonic(Op op) { return kMnemonics[static_cast<std::size_t>(op)]; }

std::string_view register_name(unsigned reg) { return kRegisters.at(reg); }

std::string_view csr_name(std::uint16_t address) {
  switch (address) {
    case csr::mstatus:
      return "mstatus";
    case csr::misa:
      return "misa";
    case csr::mie:
      return "mie";
    case csr::mtvec:
      return "mtvec";
    case csr::mscratch:
      return "mscratch";
    case csr::mepc:
      return "mepc";
    case csr::mcause:
      return "mcause";
    case csr::mtval:
      return "mtval";
    case csr::mip:
      return "mip";
    case csr::mcycle:
      return "mcycle";
    case csr::minstret:
      return "minstret";
    case csr::mcycleh:
      return "mcycleh";
    case csr::minstreth:
      return "minstreth";
    case csr::mvendorid:
      return "mvendorid";
    case csr::marchid:
      return "marchid";
    case csr::mimpid:
      return "mimpid";
    case csr::mhartid:
      return "mhartid";
    case csr::cycle:
      return "cycle";
    case csr::instret:
      return "instret";
    case csr::cycleh:
      return "cycleh";
    case csr::instreth:
      return "instreth";
    default:
      return {};
  }
}

std::string disassemble(const Instruction& insn, std::uint32_t pc) {
  const std::string args = operands(insn, pc);
  if (args.empty()) return std::string(mnemonic(insn.op));
  return fmt::format("{:<7} {}", mnemonic(insn.op), args);
}

std::string disassemble(std::uint32_t word, std::uint32_t pc) { return disassemble(decode(word), pc); }

}  // namespace nmtwin::riscv
