#pragma once
// The firmware commit log (`--fw-log FILE`): every retired instruction and trap of a
// node's processor in the format of Spike's `-l --log-commits` (docs/firmware.md), so
// two runs, or a run and Spike, can be compared with diff.

#include <cstdint>
#include <fstream>
#include <string>

namespace nmtwin::sim {

/// One entry of the core's commit port (rtl/ppu/rv32_core.sv).
struct Commit {
  std::uint64_t cycle = 0;  ///< node cycle in which it retired
  std::uint32_t pc = 0, insn = 0;
  std::uint8_t rd = 0;  ///< 0: no register write
  std::uint32_t rd_value = 0;
  bool mem_write = false;
  std::uint32_t mem_addr = 0, mem_value = 0;
  std::uint8_t mem_be = 0;
  bool trap = false;  ///< an exception of this instruction, or an interrupt before it
  std::uint32_t cause = 0, tval = 0;
};

/// Spike's name of an mcause value ("trap_illegal_instruction", "interrupt_m_timer").
std::string trap_name(std::uint32_t cause);
/// The two lines Spike writes for `c` (disassembly, then commits), or its exception lines.
std::string format_commit(const Commit& c);

class CommitLog {
 public:
  /// std::runtime_error naming `path` when it cannot be written.
  explicit CommitLog(const std::string& path);
  void write(const Commit& c);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace nmtwin::sim
