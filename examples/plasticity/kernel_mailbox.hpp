#pragma once
// The host's side of the kernel's mailbox (firmware/programs/rstdp/rstdp_mailbox.h): the
// words to write before the first trial, the record to read after each, and the
// co-design check: the host reference, fed the sensor and counter values the kernel
// copied into the mailbox, must produce the weights read back from the chip.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "task.hpp"

namespace nmtwin::plasticity {

/// Words 0 .. RSTDP_WORDS - 1: configuration from `p`, state zero, pattern 0.
std::vector<std::uint32_t> mailbox_setup(const TaskParams& p);

/// What one kernel run left in the mailbox.
struct KernelReport {
  TrialRecord record;
  std::vector<RowPair> causal, acausal;  ///< the pattern's rows, as the kernel read them
  RuleState state;
};
/// `mailbox` holds at least RSTDP_WORDS words; `trial` numbers the record.
/// Throws std::invalid_argument for a shorter mailbox.
KernelReport read_report(std::span<const std::uint32_t> mailbox, const TaskParams& p, unsigned trial);

/// The host reference run alongside the kernel.
class CoDesignCheck {
 public:
  explicit CoDesignCheck(const TaskParams& p);
  /// Applies the rule to what the kernel read; compares the reference's weights, mean
  /// rewards and bookkeeping with `chip` (the weights read back from the chip) and the
  /// report's state. Empty when identical; otherwise every difference, named.
  std::string after_trial(const KernelReport& report, const Weights& chip);
  const Weights& weights() const { return weights_; }

 private:
  TaskParams p_;
  Weights weights_;
  RuleState state_;
};

}  // namespace nmtwin::plasticity
