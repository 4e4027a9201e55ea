#pragma once
// Runs an Experiment on an in-process simulated node and reports what came back.

#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include "apps/experiment.hpp"
#include "nmtwin/program.hpp"
#include "sim/node.hpp"

namespace nmtwin::apps {

struct RunOptions {
  std::optional<sim::TraceOptions> trace;  ///< in-process runs only
  /// With `trace`: record only from trigger_pre cycles before the first such event
  /// to trigger_post after it (found by a first run without waveform).
  sim::TraceTrigger trigger = sim::TraceTrigger::none;
  std::uint64_t trigger_pre = 2000, trigger_post = 20000;
  /// Where to run: empty for an in-process node (with tracing), else a hostlink URL
  /// (`udp://HOST:PORT` for `nmtwin sim` or hardware, `sim:` ...).
  std::string target;
};

struct RunResult {
  std::vector<hostlink::Spike> spikes;  ///< from the start on, in arrival order
  std::size_t spikes_before_start = 0;  ///< left over from a target's earlier configuration
  std::uint64_t start_systime = 0;      ///< systime at which the experiment timer read 0
  std::vector<std::uint32_t> reads;     ///< values of Experiment::reads, in order
  std::uint64_t cycles = 0;             ///< FPGA cycles simulated (in-process runs; 0 for a target)
  std::string endpoint;                 ///< where it ran
  double wall_seconds = 0;
  std::string trace_note;  ///< what the waveform holds, with a trigger
};

RunResult run_experiment(const Experiment& experiment, const RunOptions& options);

/// label,systime,time_cycles,time_us: one line per spike; time is relative to the start
/// (1 us hardware = 1 ms biological).  Throws naming the path when it cannot write.
void write_spike_csv(const std::string& path, const RunResult& result);

void print_summary(std::ostream& out, const Experiment& experiment, const RunResult& result);

}  // namespace nmtwin::apps
