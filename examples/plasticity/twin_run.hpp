#pragma once
// The plasticity task on the twin (or hardware) through the host library: one Program per
// trial presents the pattern with timed spikes, starts the firmware kernel
// (firmware/programs/rstdp) at a set time on the chip's processor, then reads the kernel's
// mailbox record and the weights back from the chip. Each trial the host reference is fed
// the sensor and counter values the kernel copied into the mailbox and must give the same
// weights (the co-design check).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nmtwin/connection.hpp"
#include "nmtwin/elf.hpp"
#include "task.hpp"

namespace nmtwin::plasticity {

struct TwinRun {
  std::vector<TrialRecord> records;
  Weights weights;  ///< read from the chip after the last trial
  /// Trials whose weights differed from the reference, with the differences.
  std::vector<std::string> mismatches;
  std::uint32_t longest_kernel_cycles = 0;  ///< mcycle of the longest kernel run
};

/// Cycles from each trial program's timer reset to the presentation (hold and mailbox
/// writes happen before).
inline constexpr std::uint64_t trial_lead = 500;

/// Runs p.trials trials on `fpga`'s chip with `image` (the ELF named `elf_name`).
/// `progress` sees each record. Throws what the Program run throws, fw::FirmwareError
/// for a kernel that trapped, hit the watchdog or did not finish before the trial ended,
/// std::runtime_error naming the exit code and console for a kernel that refused its input.
TwinRun run_on_twin(hostlink::Connection& fpga, const fw::FirmwareImage& image, const std::string& elf_name,
                    const TaskParams& p, const std::function<void(const TrialRecord&)>& progress = {});

}  // namespace nmtwin::plasticity
