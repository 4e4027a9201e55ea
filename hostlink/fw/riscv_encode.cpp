// Encoding of decoded instructions back into words: the random instruction streams of the
// lock-step tests are built from fields, and the field checks catch a generator that
// asks for something the ISA cannot express.

#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "hostlink/fw/riscv_form.hpp"
#include "nmtwin/riscv.hpp"

namespace nmtwin::riscv {

namespace {

using detail::Form;

constexpr std::uint32_t op_bits(std::uint32_t opcode, std::uint32_t funct3, std::uint32_t funct7 = 0) {
  return opcode | (funct3 << 12) | (funct7 << 25);
}

// The word of `op` with every operand field zero.
std::uint32_t pattern(Op op) {
  switch (op) {
    case Op::lui:
      return 0x37;
    case Op::auipc:
      return 0x17;
    case Op::jal:
      return 0x6F;
    case Op::jalr:
      return 0x67;
    case Op::beq:
      return op_bits(0x63, 0);
    case Op::bne:
      return op_bits(0x63, 1);
    case Op::blt:
      return op_bits(0x63, 4);
    case Op::bge:
      return op_bits(0x63, 5);
    case Op::bltu:
      return op_bits(0x63, 6);
    case Op::bgeu:
      return op_bits(0x63, 7);
    case Op::lb:
      return op_bits(0x03, 0);
    case Op::lh:
      return op_bits(0x03, 1);
    case Op::lw:
      return op_bits(0x03, 2);
    case Op::lbu:
      return op_bits(0x03, 4);
    case Op::lhu:
      return op_bits(0x03, 5);
    case Op::sb:
      return op_bits(0x23, 0);
    case Op::sh:
      return op_bits(0x23, 1);
    case Op::sw:
      return op_bits(0x23, 2);
    case Op::addi:
      return op_bits(0x13, 0);
    case Op::slti:
      return op_bits(0x13, 2);
    case Op::sltiu:
      return op_bits(0x13, 3);
    case Op::xori:
      return op_bits(0x13, 4);
    case Op::ori:
      return op_bits(0x13, 6);
    case Op::andi:
      return op_bits(0x13, 7);
    case Op::slli:
      return op_bits(0x13, 1);
    case Op::srli:
      return op_bits(0x13, 5);
    case Op::srai:
      return op_bits(0x13, 5, 0x20);
    case Op::add:
      return op_bits(0x33, 0);
    case Op::sub:
      return op_bits(0x33, 0, 0x20);
    case Op::sll:
      return op_bits(0x33, 1);
    case Op::slt:
      return op_bits(0x33, 2);
    case Op::sltu:
      return op_bits(0x33, 3);
    case Op::xor_:
      return op_bits(0x33, 4);
    case Op::srl:
      return op_bits(0x33, 5);
    case Op::sra:
      return op_bits(0x33, 5, 0x20);
    case Op::or_:
      return op_bits(0x33, 6);
    case Op::and_:
      return op_bits(0x33, 7);
    case Op::mul:
      return op_bits(0x33, 0, 1);
    case Op::mulh:
      return op_bits(0x33, 1, 1);
    case Op::mulhsu:
      return op_bits(0x33, 2, 1);
    case Op::mulhu:
      return op_bits(0x33, 3, 1);
    case Op::div:
      return op_bits(0x33, 4, 1);
    case Op::divu:
      return op_bits(0x33, 5, 1);
    case Op::rem:
      return op_bits(0x33, 6, 1);
    case Op::remu:
      return op_bits(0x33, 7, 1);
    case Op::fence:
      return 0x0F;
    case Op::fence_tso:
      return 0x8330000F;
    case Op::fence_i:
      return op_bits(0x0F, 1);
    case Op::ecall:
      return 0x00000073;
    case Op::ebreak:
      return 0x00100073;
    case Op::mret:
      return 0x30200073;
    case Op::wfi:
      return 0x10500073;
    case Op::csrrw:
      return op_bits(0x73, 1);
    case Op::csrrs:
      return op_bits(0x73, 2);
    case Op::csrrc:
      return op_bits(0x73, 3);
    case Op::csrrwi:
      return op_bits(0x73, 5);
    case Op::csrrsi:
      return op_bits(0x73, 6);
    case Op::csrrci:
      return op_bits(0x73, 7);
    case Op::illegal:
      break;
  }
  throw std::invalid_argument("riscv::encode: Op::illegal has no encoding: give a real instruction");
}

struct Range {
  std::int32_t lo, hi, step;
};

Range immediate_range(Form f) {
  switch (f) {
    case Form::upper:
      return {0, 0xFFFFF, 1};
    case Form::jump:
      return {-(1 << 20), (1 << 20) - 2, 2};
    case Form::branch:
      return {-4096, 4094, 2};
    case Form::load:
    case Form::store:
    case Form::alu_imm:
      return {-2048, 2047, 1};
    case Form::shift:
    case Form::csr_imm:
      return {0, 31, 1};
    case Form::fence:
      return {0, 4095, 1};
    default:
      return {0, 0, 1};
  }
}

void check(const Instruction& i, std::string_view field, std::int64_t value, bool used, Range range) {
  if (!used && value == 0) return;
  if (!used || value < range.lo || value > range.hi || value % range.step != 0) {
    throw std::invalid_argument(fmt::format(
        "riscv::encode: {} {} = {} is not encodable ({}): give {}", mnemonic(i.op), field, value,
        used ? "out of range" : "the instruction has no such operand",
        used ? fmt::format("a multiple of {} in [{}, {}]", range.step, range.lo, range.hi) : std::string("0")));
  }
}

std::uint32_t immediate_bits(Form f, std::uint32_t imm) {
  switch (f) {
    case Form::upper:
      return imm << 12;
    case Form::jump:
      return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3FF) << 21) | (((imm >> 11) & 1) << 20) |
             (((imm >> 12) & 0xFF) << 12);
    case Form::branch:
      return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3F) << 25) | (((imm >> 1) & 0xF) << 8) |
             (((imm >> 11) & 1) << 7);
    case Form::load:
    case Form::alu_imm:
    case Form::shift:
    case Form::fence:
      return (imm & 0xFFF) << 20;
    case Form::store:
      return (((imm >> 5) & 0x7F) << 25) | ((imm & 0x1F) << 7);
    case Form::csr_imm:
      return (imm & 0x1F) << 15;
    default:
      return 0;
  }
}

}  // namespace

std::uint32_t encode(const Instruction& insn) {
  const std::uint32_t base = pattern(insn.op);
  const Form f = detail::form(insn.op);
  constexpr Range reg{0, 31, 1};
  check(insn, "rd", insn.rd, detail::has_rd(f), reg);
  check(insn, "rs1", insn.rs1, detail::has_rs1(f), reg);
  check(insn, "rs2", insn.rs2, detail::has_rs2(f), reg);
  const bool csr = f == Form::csr || f == Form::csr_imm;
  check(insn, "csr", insn.csr, csr, {0, 0xFFF, 1});
  const Range imm = immediate_range(f);
  check(insn, "imm", insn.imm, imm.hi != 0, imm);
  return base | (std::uint32_t{insn.rd} << 7) | (std::uint32_t{insn.rs1} << 15) | (std::uint32_t{insn.rs2} << 20) |
         (std::uint32_t{insn.csr} << 20) | immediate_bits(f, static_cast<std::uint32_t>(insn.imm));
}

}  // namespace nmtwin::riscv
