#include "sim/ppu/commit_log.hpp"

#include <fmt/format.h>

#include <bit>
#include <stdexcept>

#include "nmtwin/riscv.hpp"

namespace nmtwin::sim {

std::string trap_name(std::uint32_t cause) {
  if (cause & 0x80000000u) {
    switch (cause & 0x7FFFFFFFu) {
      case 3: return "interrupt_m_software";
      case 7: return "interrupt_m_timer";
      case 11: return "interrupt_m_external";
      default: return fmt::format("interrupt_{}", cause & 0x7FFFFFFFu);
    }
  }
  switch (cause) {
    case 0: return "trap_instruction_address_misaligned";
    case 1: return "trap_instruction_access_fault";
    case 2: return "trap_illegal_instruction";
    case 3: return "trap_breakpoint";
    case 4: return "trap_load_address_misaligned";
    case 5: return "trap_load_access_fault";
    case 6: return "trap_store_address_misaligned";
    case 7: return "trap_store_access_fault";
    case 11: return "trap_machine_ecall";
    default: return fmt::format("trap_{}", cause);
  }
}

std::string format_commit(const Commit& c) {
  if (c.trap) {
    const bool irq = c.cause & 0x80000000u;
    return fmt::format("core   0: {} {}, epc 0x{:08x}    # cycle {}\ncore   0:           tval 0x{:08x}\n",
                       irq ? "interrupt" : "exception", trap_name(c.cause), c.pc, c.cycle, c.tval);
  }
  std::string out = fmt::format("core   0: 0x{:08x} (0x{:08x}) {:<40}# cycle {}\ncore   0: 3 0x{:08x} (0x{:08x})",
                                c.pc, c.insn, riscv::disassemble(c.insn, c.pc), c.cycle, c.pc, c.insn);
  if (c.rd != 0) out += fmt::format(" x{:<2d} 0x{:08x}", c.rd, c.rd_value);
  if (c.mem_write && c.mem_be != 0) {
    // The lowest enabled byte lane gives the address, the number of lanes the width.
    const unsigned first = static_cast<unsigned>(std::countr_zero(c.mem_be));
    const unsigned bytes = static_cast<unsigned>(std::popcount(c.mem_be));
    const std::uint32_t value = bytes == 4 ? c.mem_value : (c.mem_value >> (8 * first)) & ((1u << (8 * bytes)) - 1);
    out += fmt::format(" mem 0x{:08x} 0x{:0{}x}", (c.mem_addr & ~3u) + first, value, 2 * bytes);
  }
  return out + "\n";
}

CommitLog::CommitLog(const std::string& path) : path_(path), out_(path) {
  if (!out_) throw std::runtime_error(fmt::format("cannot write the commit log '{}': check that the directory exists "
                                                  "and is writable", path));
}

void CommitLog::write(const Commit& c) {
  out_ << format_commit(c);
  if (!out_) throw std::runtime_error(fmt::format("writing the commit log '{}' failed (disk full?)", path_));
}

}  // namespace nmtwin::sim
