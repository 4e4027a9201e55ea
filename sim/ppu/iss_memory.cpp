// Loads and stores of the instruction-set model: the core's memory map (docs/firmware.md):
// instruction memory (read-only on the data port), data memory, mailbox, the I/O and chip
// windows (devices); anything else is an access fault, checked after alignment.

#include "sim/ppu/iss.hpp"

namespace nmtwin::ppu {

namespace {

using riscv::Op;

struct Lanes {
  std::uint32_t word;  // word-aligned address
  unsigned shift;      // bit position of the lowest byte
  std::uint8_t be;     // byte enables
  std::uint32_t mask;  // bits of the access within the word
};

Lanes lanes(std::uint32_t address, unsigned bytes) {
  const unsigned shift = (address & 3) * 8;
  const std::uint32_t low = bytes == 4 ? ~0u : (1u << (bytes * 8)) - 1;
  return {address & ~3u, shift, static_cast<std::uint8_t>(((1u << bytes) - 1) << (address & 3)), low << shift};
}

unsigned access_bytes(Op op) {
  switch (op) {
    case Op::lb:
    case Op::lbu:
    case Op::sb:
      return 1;
    case Op::lh:
    case Op::lhu:
    case Op::sh:
      return 2;
    default:
      return 4;
  }
}

bool inside(std::uint32_t address, std::uint32_t base, std::uint32_t bytes) {
  return address >= base && address - base < bytes;
}

}  // namespace

std::uint32_t* Iss::word_at(std::uint32_t address, bool store) {
  if (!store && inside(address, fw::imem_base, static_cast<std::uint32_t>(imem_.size() * 4))) {
    return &imem_[(address - fw::imem_base) / 4];
  }
  if (inside(address, fw::dmem_base, static_cast<std::uint32_t>(dmem_.size() * 4))) {
    return &dmem_[(address - fw::dmem_base) / 4];
  }
  if (inside(address, fw::mailbox_base, static_cast<std::uint32_t>(mailbox_.size() * 4))) {
    return &mailbox_[(address - fw::mailbox_base) / 4];
  }
  return nullptr;
}

std::optional<Iss::Trap> Iss::execute_load(const riscv::Instruction& i, Commit& c) {
  const std::uint32_t address = regs_[i.rs1] + static_cast<std::uint32_t>(i.imm);
  const unsigned bytes = access_bytes(i.op);
  if (address % bytes != 0) return Trap{cause::load_misaligned, address};
  const Lanes l = lanes(address, bytes);
  std::optional<std::uint32_t> word;
  if (const std::uint32_t* w = word_at(l.word, false)) {
    word = *w;
  } else if (inside(address, kIoBase, kIoBytes) && io_ && bytes == 4) {
    word = io_->load(l.word - kIoBase, l.be);
  } else if (inside(address, kChipBase, kChipBytes) && chip_) {
    word = chip_->load(l.word - kChipBase, l.be);
  }
  if (!word) return Trap{cause::load_fault, address};
  const std::uint32_t value = (*word & l.mask) >> l.shift;
  const unsigned sign_bits = 32 - 8 * bytes;
  const bool is_signed = i.op == Op::lb || i.op == Op::lh;
  const std::uint32_t result =
      is_signed && bytes < 4 ? static_cast<std::uint32_t>(static_cast<std::int32_t>(value << sign_bits) >> sign_bits)
                             : value;
  if (i.rd != 0) {
    c.rd = i.rd;
    c.rd_wdata = result;
  }
  return std::nullopt;
}

std::optional<Iss::Trap> Iss::execute_store(const riscv::Instruction& i, Commit& c) {
  const std::uint32_t address = regs_[i.rs1] + static_cast<std::uint32_t>(i.imm);
  const unsigned bytes = access_bytes(i.op);
  if (address % bytes != 0) return Trap{cause::store_misaligned, address};
  const Lanes l = lanes(address, bytes);
  const std::uint32_t data = (regs_[i.rs2] << l.shift) & l.mask;
  bool done = false;
  if (std::uint32_t* w = word_at(l.word, true)) {
    *w = (*w & ~l.mask) | data;
    done = true;
  } else if (inside(address, kIoBase, kIoBytes) && io_ && bytes == 4) {
    done = io_->store(l.word - kIoBase, data, l.be);
  } else if (inside(address, kChipBase, kChipBytes) && chip_) {
    done = chip_->store(l.word - kChipBase, data, l.be);
  }
  if (!done) return Trap{cause::store_fault, address};
  c.mem_we = true;
  c.mem_addr = address;
  c.mem_wdata = data;
  c.mem_be = l.be;
  return std::nullopt;
}

}  // namespace nmtwin::ppu
