// Semantics: RISC-V unprivileged spec 20191213 (RV32I, M, Zicsr), privileged spec
// 20211203 (machine mode, traps, mret, wfi).

#include "sim/ppu/iss.hpp"

#include <algorithm>

namespace nmtwin::ppu {

namespace {

using riscv::Op;

constexpr std::uint32_t sx(std::int64_t v) { return static_cast<std::uint32_t>(v); }
constexpr std::int32_t s32(std::uint32_t v) { return static_cast<std::int32_t>(v); }

// M extension, with the spec's results for division by zero and overflow.
std::uint32_t multiply_divide(Op op, std::uint32_t a, std::uint32_t b) {
  switch (op) {
    case Op::mul:
      return a * b;
    case Op::mulh:
      return sx((std::int64_t{s32(a)} * s32(b)) >> 32);
    case Op::mulhsu:
      return sx((std::int64_t{s32(a)} * std::int64_t{b}) >> 32);
    case Op::mulhu:
      return static_cast<std::uint32_t>((std::uint64_t{a} * b) >> 32);
    case Op::div:
      if (b == 0) return ~0u;
      if (a == 0x8000'0000u && b == ~0u) return a;
      return sx(s32(a) / s32(b));
    case Op::divu:
      return b == 0 ? ~0u : a / b;
    case Op::rem:
      if (b == 0) return a;
      if (a == 0x8000'0000u && b == ~0u) return 0;
      return sx(s32(a) % s32(b));
    default:
      return b == 0 ? a : a % b;  // remu
  }
}

// Register-register and register-immediate ALU operations (b = rs2 or the immediate).
std::uint32_t alu(Op op, std::uint32_t a, std::uint32_t b) {
  switch (op) {
    case Op::add:
    case Op::addi:
      return a + b;
    case Op::sub:
      return a - b;
    case Op::sll:
    case Op::slli:
      return a << (b & 31);
    case Op::slt:
    case Op::slti:
      return s32(a) < s32(b) ? 1 : 0;
    case Op::sltu:
    case Op::sltiu:
      return a < b ? 1 : 0;
    case Op::xor_:
    case Op::xori:
      return a ^ b;
    case Op::srl:
    case Op::srli:
      return a >> (b & 31);
    case Op::sra:
    case Op::srai:
      return sx(s32(a) >> (b & 31));
    case Op::or_:
    case Op::ori:
      return a | b;
    case Op::and_:
    case Op::andi:
      return a & b;
    default:
      return multiply_divide(op, a, b);
  }
}

bool branch_taken(Op op, std::uint32_t a, std::uint32_t b) {
  switch (op) {
    case Op::beq:
      return a == b;
    case Op::bne:
      return a != b;
    case Op::blt:
      return s32(a) < s32(b);
    case Op::bge:
      return s32(a) >= s32(b);
    case Op::bltu:
      return a < b;
    default:
      return a >= b;  // bgeu
  }
}

void write_rd(Commit& c, unsigned rd, std::uint32_t value) {
  if (rd == 0) return;
  c.rd = static_cast<std::uint8_t>(rd);
  c.rd_wdata = value;
}

}  // namespace

Iss::Iss(const fw::MemoryLayout& layout)
    : imem_(layout.imem_bytes / 4), dmem_(layout.dmem_bytes / 4), mailbox_(layout.mailbox_bytes / 4) {}

void Iss::attach(IssDevice* io, IssDevice* chip) {
  io_ = io;
  chip_ = chip;
}

void Iss::reset() {
  regs_.fill(0);
  pc_ = 0;
  csr_.reset();
  halted_ = trapped_ = sleeping_ = false;
}

void Iss::load(const fw::FirmwareImage& image) {
  const auto copy = [](const std::vector<std::uint32_t>& from, std::vector<std::uint32_t>& to) {
    std::copy_n(from.begin(), std::min(from.size(), to.size()), to.begin());
  };
  copy(image.imem, imem_);
  copy(image.dmem, dmem_);
  copy(image.mailbox, mailbox_);
}

std::optional<Commit> Iss::step() {
  if (halted_) return std::nullopt;
  if (sleeping_) {
    if (!csr_.wake_pending()) return std::nullopt;
    sleeping_ = false;
  }
  csr_.tick();
  if (const auto irq = csr_.pending_interrupt()) return take_trap(Commit{.pc = pc_}, {*irq, 0});
  if (pc_ >= imem_.size() * 4) return take_trap(Commit{.pc = pc_}, {cause::insn_fault, pc_});
  const riscv::Instruction insn = riscv::decode(imem_[pc_ / 4]);
  Commit c{.pc = pc_, .insn = insn.word};
  std::uint32_t next_pc = pc_ + 4;
  if (const auto trap = execute(insn, c, next_pc)) return take_trap(c, *trap);
  if (c.rd != 0) regs_[c.rd] = c.rd_wdata;
  csr_.retire();
  pc_ = next_pc;
  if (insn.op == Op::wfi) sleeping_ = true;
  return c;
}

Commit Iss::take_trap(Commit c, Trap t) {
  c = Commit{.pc = c.pc, .insn = c.insn, .trap = true, .cause = t.cause, .tval = t.tval};
  pc_ = csr_.enter_trap(c.pc, t.cause, t.tval);
  if (pc_ == 0) halted_ = trapped_ = true;  // no handler installed (bare tests)
  return c;
}

std::optional<Iss::Trap> Iss::jump(std::uint32_t target, std::uint32_t& next_pc) const {
  if (target & 3) return Trap{cause::insn_misaligned, target};
  next_pc = target;
  return std::nullopt;
}

std::optional<Iss::Trap> Iss::execute(const riscv::Instruction& i, Commit& c, std::uint32_t& next_pc) {
  const std::uint32_t a = regs_[i.rs1], b = regs_[i.rs2], imm = static_cast<std::uint32_t>(i.imm);
  switch (i.op) {
    case Op::illegal:
      return Trap{cause::illegal, i.word};
    case Op::lui:
      write_rd(c, i.rd, imm << 12);
      return std::nullopt;
    case Op::auipc:
      write_rd(c, i.rd, c.pc + (imm << 12));
      return std::nullopt;
    case Op::jal:
      if (const auto trap = jump(c.pc + imm, next_pc)) return trap;
      write_rd(c, i.rd, c.pc + 4);
      return std::nullopt;
    case Op::jalr:
      if (const auto trap = jump((a + imm) & ~1u, next_pc)) return trap;
      write_rd(c, i.rd, c.pc + 4);
      return std::nullopt;
    case Op::beq:
    case Op::bne:
    case Op::blt:
    case Op::bge:
    case Op::bltu:
    case Op::bgeu:
      return branch_taken(i.op, a, b) ? jump(c.pc + imm, next_pc) : std::nullopt;
    case Op::lb:
    case Op::lh:
    case Op::lw:
    case Op::lbu:
    case Op::lhu:
      return execute_load(i, c);
    case Op::sb:
    case Op::sh:
    case Op::sw:
      return execute_store(i, c);
    case Op::addi:
    case Op::slti:
    case Op::sltiu:
    case Op::xori:
    case Op::ori:
    case Op::andi:
    case Op::slli:
    case Op::srli:
    case Op::srai:
      write_rd(c, i.rd, alu(i.op, a, imm));
      return std::nullopt;
    case Op::fence:
    case Op::fence_tso:
    case Op::fence_i:
      return std::nullopt;  // one hart, in-order memory
    case Op::ecall:
      return Trap{cause::ecall, 0};
    case Op::ebreak:
      return Trap{cause::breakpoint, c.pc};  // as Spike and rv32_core
    case Op::mret:
      next_pc = csr_.leave_trap();
      return std::nullopt;
    case Op::wfi:
      return std::nullopt;
    case Op::csrrw:
    case Op::csrrs:
    case Op::csrrc:
    case Op::csrrwi:
    case Op::csrrsi:
    case Op::csrrci:
      return execute_csr(i, c);
    default:
      write_rd(c, i.rd, alu(i.op, a, b));
      return std::nullopt;
  }
}

// csrrs/csrrc with rs1 = x0 and the immediate forms with zimm = 0 do not write (so
// they may read a read-only CSR); every access to an unimplemented CSR is illegal.
std::optional<Iss::Trap> Iss::execute_csr(const riscv::Instruction& i, Commit& c) {
  const auto old = csr_.read(i.csr);
  if (!old) return Trap{cause::illegal, i.word};
  const bool immediate = i.op == Op::csrrwi || i.op == Op::csrrsi || i.op == Op::csrrci;
  const std::uint32_t operand = immediate ? static_cast<std::uint32_t>(i.imm) : regs_[i.rs1];
  const bool is_write = i.op == Op::csrrw || i.op == Op::csrrwi;
  const bool writes = is_write || (immediate ? i.imm != 0 : i.rs1 != 0);
  if (writes) {
    const bool set = i.op == Op::csrrs || i.op == Op::csrrsi;
    const std::uint32_t value = is_write ? operand : set ? (*old | operand) : (*old & ~operand);
    if (!csr_.write(i.csr, value)) return Trap{cause::illegal, i.word};
  }
  write_rd(c, i.rd, *old);
  return std::nullopt;
}

}  // namespace nmtwin::ppu
