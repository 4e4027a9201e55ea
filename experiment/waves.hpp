#pragma once
// Which cycles the node waveforms of a run hold (docs/waves.md): one set of options for
// `nmtwin run` (--trace-*) and `nmtwin regress` (--waves-*).

#include <cstdint>
#include <string>

#include "sim/node.hpp"

namespace nmtwin::apps {

struct WaveOptions {
  std::uint64_t start = 0, end = UINT64_MAX;  ///< window without a trigger (end exclusive)
  bool systime = false;                       ///< start and end are systime values, not cycles
  /// With a trigger: only from `pre` cycles before its first event to `post` after it.
  sim::TraceTrigger trigger = sim::TraceTrigger::none;
  std::uint64_t pre = 2000, post = 20000;

  /// Whether any option differs from its default (they shape a waveform someone asked for).
  bool shaped() const {
    return start != 0 || end != UINT64_MAX || systime || trigger != sim::TraceTrigger::none || pre != 2000 ||
           post != 20000;
  }
  /// The fixed window, for the node waveform at `path`.
  sim::TraceOptions window(std::string path) const { return {std::move(path), start, end, systime}; }
};

}  // namespace nmtwin::apps
