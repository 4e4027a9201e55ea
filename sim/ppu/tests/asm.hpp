#pragma once
// Instruction words from operands, for the ISS tests and the random streams: a thin layer
// over riscv::encode, which rejects operands that do not fit.

#include <cstdint>
#include <vector>

#include "nmtwin/riscv.hpp"

namespace nmtwin::ppu::test {

using riscv::Op;

inline std::uint8_t reg(unsigned r) { return static_cast<std::uint8_t>(r); }

/// Register-register (add ... remu).
inline std::uint32_t r_type(Op op, unsigned rd, unsigned rs1, unsigned rs2) {
  return riscv::encode({.op = op, .rd = reg(rd), .rs1 = reg(rs1), .rs2 = reg(rs2)});
}
/// Immediate ALU, shifts, loads, jalr: rd, rs1, imm.
inline std::uint32_t i_type(Op op, unsigned rd, unsigned rs1, std::int32_t imm) {
  return riscv::encode({.op = op, .rd = reg(rd), .rs1 = reg(rs1), .imm = imm});
}
inline std::uint32_t store(Op op, unsigned rs2, unsigned rs1, std::int32_t imm) {
  return riscv::encode({.op = op, .rs1 = reg(rs1), .rs2 = reg(rs2), .imm = imm});
}
inline std::uint32_t branch(Op op, unsigned rs1, unsigned rs2, std::int32_t offset) {
  return riscv::encode({.op = op, .rs1 = reg(rs1), .rs2 = reg(rs2), .imm = offset});
}
inline std::uint32_t upper(Op op, unsigned rd, std::uint32_t imm20) {
  return riscv::encode({.op = op, .rd = reg(rd), .imm = static_cast<std::int32_t>(imm20)});
}
inline std::uint32_t jal(unsigned rd, std::int32_t offset) {
  return riscv::encode({.op = Op::jal, .rd = reg(rd), .imm = offset});
}
/// csrrw/s/c: rs1 register; csrrwi/si/ci: `source` is the 5-bit immediate.
inline std::uint32_t csr(Op op, unsigned rd, std::uint16_t address, unsigned source) {
  const bool immediate = op == Op::csrrwi || op == Op::csrrsi || op == Op::csrrci;
  return riscv::encode({.op = op,
                        .rd = reg(rd),
                        .rs1 = immediate ? std::uint8_t{0} : reg(source),
                        .imm = immediate ? static_cast<std::int32_t>(source) : 0,
                        .csr = address});
}
inline std::uint32_t system(Op op) { return riscv::encode({.op = op}); }

/// lui + addi giving rd = value (two words, always: positions stay predictable).
inline std::vector<std::uint32_t> li(unsigned rd, std::uint32_t value) {
  const std::uint32_t low = value & 0xFFF;
  const std::int32_t low_signed =
      low >= 0x800 ? static_cast<std::int32_t>(low) - 0x1000 : static_cast<std::int32_t>(low);
  const std::uint32_t high = (value - static_cast<std::uint32_t>(low_signed)) >> 12;
  return {upper(Op::lui, rd, high), i_type(Op::addi, rd, rd, low_signed)};
}

}  // namespace nmtwin::ppu::test
