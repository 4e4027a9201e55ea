// Decoding and encoding of RV32IM + Zicsr words (RISC-V unprivileged spec 20191213,
// chapter 24 tables; privileged spec 20211203 for mret and wfi).

#include <stdexcept>
#include <string>

#include "hostlink/fw/riscv_form.hpp"
#include "nmtwin/riscv.hpp"

namespace nmtwin::riscv {

namespace detail {
Form form(Op op) {
  switch (op) {
    case Op::lui:
    case Op::auipc:
      return Form::upper;
    case Op::jal:
      return Form::jump;
    case Op::beq:
    case Op::bne:
    case Op::blt:
    case Op::bge:
    case Op::bltu:
    case Op::bgeu:
      return Form::branch;
    case Op::jalr:
    case Op::lb:
    case Op::lh:
    case Op::lw:
    case Op::lbu:
    case Op::lhu:
      return Form::load;
    case Op::sb:
    case Op::sh:
    case Op::sw:
      return Form::store;
    case Op::addi:
    case Op::slti:
    case Op::sltiu:
    case Op::xori:
    case Op::ori:
    case Op::andi:
      return Form::alu_imm;
    case Op::slli:
    case Op::srli:
    case Op::srai:
      return Form::shift;
    case Op::fence:
    case Op::fence_i:
      return Form::fence;
    case Op::csrrw:
    case Op::csrrs:
    case Op::csrrc:
      return Form::csr;
    case Op::csrrwi:
    case Op::csrrsi:
    case Op::csrrci:
      return Form::csr_imm;
    case Op::illegal:
    case Op::fence_tso:
    case Op::ecall:
    case Op::ebreak:
    case Op::mret:
    case Op::wfi:
      return Form::none;
    default:
      return Form::reg;
  }
}

bool has_rd(Form f) {
  return f == Form::upper || f == Form::jump || f == Form::load || f == Form::alu_imm || f == Form::shift ||
         f == Form::reg || f == Form::csr || f == Form::csr_imm || f == Form::fence;
}
bool has_rs1(Form f) {
  return f == Form::branch || f == Form::load || f == Form::store || f == Form::alu_imm || f == Form::shift ||
         f == Form::reg || f == Form::csr || f == Form::fence;
}
bool has_rs2(Form f) { return f == Form::branch || f == Form::store || f == Form::reg; }
}  // namespace detail

namespace {

using detail::Form;
using detail::has_rd;
using detail::has_rs1;
using detail::has_rs2;

constexpr std::int32_t sign_extend(std::uint32_t value, unsigned bits) {
  const std::uint32_t sign = 1u << (bits - 1);
  return static_cast<std::int32_t>((value ^ sign) - sign);
}

// funct3-indexed opcode tables; Op::illegal marks a reserved funct3.
constexpr Op kBranch[8] = {Op::beq, Op::bne, Op::illegal, Op::illegal, Op::blt, Op::bge, Op::bltu, Op::bgeu};
constexpr Op kLoad[8] = {Op::lb, Op::lh, Op::lw, Op::illegal, Op::lbu, Op::lhu, Op::illegal, Op::illegal};
constexpr Op kStore[8] = {Op::sb, Op::sh, Op::sw, Op::illegal, Op::illegal, Op::illegal, Op::illegal, Op::illegal};
constexpr Op kAluImm[8] = {Op::addi, Op::slli, Op::slti, Op::sltiu, Op::xori, Op::srli, Op::ori, Op::andi};
constexpr Op kAlu[8] = {Op::add, Op::sll, Op::slt, Op::sltu, Op::xor_, Op::srl, Op::or_, Op::and_};
constexpr Op kMul[8] = {Op::mul, Op::mulh, Op::mulhsu, Op::mulhu, Op::div, Op::divu, Op::rem, Op::remu};
constexpr Op kCsr[8] = {Op::illegal, Op::csrrw, Op::csrrs, Op::csrrc, Op::illegal, Op::csrrwi, Op::csrrsi, Op::csrrci};

Op decode_alu(std::uint32_t funct3, std::uint32_t funct7) {
  if (funct7 == 0x00) return kAlu[funct3];
  if (funct7 == 0x01) return kMul[funct3];
  if (funct7 == 0x20 && funct3 == 0) return Op::sub;
  if (funct7 == 0x20 && funct3 == 5) return Op::sra;
  return Op::illegal;
}

Op decode_alu_imm(std::uint32_t funct3, std::uint32_t funct7) {
  if (funct3 == 1) return funct7 == 0 ? Op::slli : Op::illegal;  // funct7 bit 0 set = RV64 shamt
  if (funct3 == 5) return funct7 == 0 ? Op::srli : funct7 == 0x20 ? Op::srai : Op::illegal;
  return kAluImm[funct3];
}

// FENCE and FENCE.I with any rd, rs1, fm, pred and succ: base implementations execute
// reserved configurations as plain fences (unprivileged spec 2.7, 3.1); fence.tso is the
// one standard configuration with its own name.
Op decode_fence(std::uint32_t w) {
  const std::uint32_t funct3 = (w >> 12) & 7;
  if (funct3 == 1) return Op::fence_i;
  if (funct3 != 0) return Op::illegal;
  return w == 0x8330000F ? Op::fence_tso : Op::fence;
}

Op decode_system(std::uint32_t w) {
  const std::uint32_t funct3 = (w >> 12) & 7;
  if (funct3 != 0) return kCsr[funct3];
  if (((w >> 7) & 0x1FFF) != 0) return Op::illegal;
  switch (w >> 20) {
    case 0x000:
      return Op::ecall;
    case 0x001:
      return Op::ebreak;
    case 0x302:
      return Op::mret;
    case 0x105:
      return Op::wfi;
    default:
      return Op::illegal;
  }
}

Op decode_op(std::uint32_t w) {
  const std::uint32_t funct3 = (w >> 12) & 7, funct7 = w >> 25;
  switch (w & 0x7F) {
    case 0x37:
      return Op::lui;
    case 0x17:
      return Op::auipc;
    case 0x6F:
      return Op::jal;
    case 0x67:
      return funct3 == 0 ? Op::jalr : Op::illegal;
    case 0x63:
      return kBranch[funct3];
    case 0x03:
      return kLoad[funct3];
    case 0x23:
      return kStore[funct3];
    case 0x13:
      return decode_alu_imm(funct3, funct7);
    case 0x33:
      return decode_alu(funct3, funct7);
    case 0x0F:
      return decode_fence(w);
    case 0x73:
      return decode_system(w);
    default:
      return Op::illegal;
  }
}

std::int32_t immediate(Form f, std::uint32_t w) {
  switch (f) {
    case Form::upper:
      return static_cast<std::int32_t>(w >> 12);
    case Form::jump:
      return sign_extend(
          ((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3FF) << 1), 21);
    case Form::branch:
      return sign_extend(
          ((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3F) << 5) | (((w >> 8) & 0xF) << 1), 13);
    case Form::load:
    case Form::alu_imm:
      return sign_extend(w >> 20, 12);
    case Form::store:
      return sign_extend(((w >> 25) << 5) | ((w >> 7) & 0x1F), 12);
    case Form::shift:
      return static_cast<std::int32_t>((w >> 20) & 0x1F);
    case Form::fence:
      return static_cast<std::int32_t>(w >> 20);
    case Form::csr_imm:
      return static_cast<std::int32_t>((w >> 15) & 0x1F);
    default:
      return 0;
  }
}

}  // namespace

Instruction decode(std::uint32_t word) {
  Instruction insn{.word = word};
  insn.op = decode_op(word);
  const Form f = detail::form(insn.op);
  if (has_rd(f)) insn.rd = static_cast<std::uint8_t>((word >> 7) & 0x1F);
  if (has_rs1(f)) insn.rs1 = static_cast<std::uint8_t>((word >> 15) & 0x1F);
  if (has_rs2(f)) insn.rs2 = static_cast<std::uint8_t>((word >> 20) & 0x1F);
  if (f == Form::csr || f == Form::csr_imm) insn.csr = static_cast<std::uint16_t>(word >> 20);
  insn.imm = immediate(f, word);
  return insn;
}

}  // namespace nmtwin::riscv
