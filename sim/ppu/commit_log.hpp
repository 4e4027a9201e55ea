#pragma once
// The firmware commit log (`--fw-log FILE`): every retired instruction and trap of a
// node's processor in the format of Spike's `-l --log-commits` (docs/firmware.md), so
// two runs, or a run and Spike, can be compared with diff.

#include <cstdint>
#include <fstream>
#include <string>

#include "sim/ppu/iss.hpp"

namespace nmtwin::sim {

/// Spike's name of an mcause value ("trap_illegal_instruction", "interrupt_m_timer").
std::string trap_name(std::uint32_t cause);
/// The two lines Spike writes for `c` (disassembly, then commits), or its exception lines;
/// `cycle`: the node cycle in which it retired.  The RTL's commit port and the ISS give the
/// same records (ppu::Commit).
std::string format_commit(const ppu::Commit& c, std::uint64_t cycle);

class CommitLog {
 public:
  /// std::runtime_error naming `path` when it cannot be written.
  explicit CommitLog(const std::string& path);
  void write(const ppu::Commit& c, std::uint64_t cycle);

 private:
  std::string path_;
  std::ofstream out_;
};

}  // namespace nmtwin::sim
