#pragma once
// RV32IM + Zicsr + the machine-mode system instructions (mret, wfi, ecall, ebreak) of
// the PPU core (docs/firmware.md): decoding into fields, encoding back, and disassembly
// in the style of objdump -M no-aliases and Spike (ABI register names; `addi    a0, a0, 1`).
// Host-safe: no simulator dependency; the ISS, the host's trap reports and the commit log
// share this one decoder.

#include <cstdint>
#include <string>
#include <string_view>

namespace nmtwin::riscv {

// clang-format off
enum class Op : std::uint8_t {
  illegal,  // not an RV32IM/Zicsr instruction the core executes (illegal-instruction trap)
  lui, auipc, jal, jalr,
  beq, bne, blt, bge, bltu, bgeu,
  lb, lh, lw, lbu, lhu, sb, sh, sw,
  addi, slti, sltiu, xori, ori, andi, slli, srli, srai,
  add, sub, sll, slt, sltu, xor_, srl, sra, or_, and_,
  mul, mulh, mulhsu, mulhu, div, divu, rem, remu,
  fence, fence_tso, fence_i, ecall, ebreak, mret, wfi,
  csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci,
};
// clang-format on

/// One decoded instruction. Unused fields are 0. `imm` is the sign-extended immediate
/// (the byte offset for branches and jumps; the value before the shift by 12 for lui
/// and auipc, so 0..0xFFFFF), the shift amount for slli/srli/srai, the 5-bit zimm for
/// csrr*i (rs1 = 0 there), bits 31:20 for fence and fence.i (fm, pred, succ: their rd,
/// rs1 and reserved configurations are kept, and executed as plain fences, spec 2.7).
struct Instruction {
  Op op = Op::illegal;
  std::uint8_t rd = 0, rs1 = 0, rs2 = 0;
  std::int32_t imm = 0;
  std::uint16_t csr = 0;
  std::uint32_t word = 0;  // the instruction word as fetched

  friend bool operator==(const Instruction&, const Instruction&) = default;
};

/// Machine-mode CSR addresses the core implements.
namespace csr {
inline constexpr std::uint16_t mstatus = 0x300, misa = 0x301, mie = 0x304, mtvec = 0x305;
inline constexpr std::uint16_t mscratch = 0x340, mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344;
inline constexpr std::uint16_t mcycle = 0xB00, minstret = 0xB02, mcycleh = 0xB80, minstreth = 0xB82;
inline constexpr std::uint16_t mvendorid = 0xF11, marchid = 0xF12, mimpid = 0xF13, mhartid = 0xF14;
// Read-only user-level shadows of mcycle and minstret (Zicntr; rdcycle, rdinstret).
inline constexpr std::uint16_t cycle = 0xC00, instret = 0xC02, cycleh = 0xC80, instreth = 0xC82;
}  // namespace csr

/// The fields of `word`; Op::illegal (with only `word` set) for every word that is not a
/// valid encoding (reserved funct bits, RV64 shift amounts, other extensions).
Instruction decode(std::uint32_t word);

/// The instruction word of `insn` (its `word` is ignored), so that decode(encode(i)) == i
/// with word filled in. Throws std::invalid_argument naming the field when a register,
/// immediate or CSR does not fit the encoding of `insn.op`, or for Op::illegal.
std::uint32_t encode(const Instruction& insn);

/// objdump/Spike-style text: the mnemonic padded to 8 columns, operands separated by ", ";
/// branch and jal targets as absolute addresses (hence `pc`), `unknown` for illegal words.
std::string disassemble(const Instruction& insn, std::uint32_t pc);
std::string disassemble(std::uint32_t word, std::uint32_t pc);

std::string_view mnemonic(Op op);
/// ABI name of register x0..x31 (zero, ra, sp, gp, tp, t0..t2, s0, s1, a0..a7, s2..s11, t3..t6).
std::string_view register_name(unsigned reg);
/// Name of an implemented CSR; empty for any other address.
std::string_view csr_name(std::uint16_t address);

}  // namespace nmtwin::riscv
