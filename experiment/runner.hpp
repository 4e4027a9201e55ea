#pragma once
// Runs an Experiment on one FPGA — a one-node system (experiment/system_runner) — on
// the in-process simulator or a target, and reports what came back.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/target.hpp"
#include "experiment/waves.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::apps {

struct RunOptions {
  /// Where to run (experiment/target.hpp): `sim:` in-process, else a hostlink URL.
  std::string target = std::string(in_process_target);
  std::string trace;  ///< node waveform (.fst or .vcd), in-process only; empty: none
  WaveOptions waves;  ///< what the waveform holds
};

struct RunResult {
  std::vector<hostlink::Spike> spikes;  ///< from the start on, in arrival order
  std::size_t spikes_before_start = 0;  ///< left over from a target's earlier configuration
  std::uint32_t late_waits = 0;         ///< timed instructions played after their time
  std::uint64_t start_systime = 0;      ///< systime at which the experiment timer read 0
  std::vector<std::uint32_t> reads;     ///< values of Experiment::reads, in order
  std::uint64_t cycles = 0;             ///< FPGA cycles simulated (in-process runs; 0 for a target)
  std::string endpoint;                 ///< where it ran
  double wall_seconds = 0;
  std::string trace_note;  ///< what the waveform holds, with a trigger
  std::optional<FirmwareOutcome> firmware;  ///< of Experiment::firmware
};

RunResult run_experiment(const Experiment& experiment, const RunOptions& options);

/// label,systime,time_cycles,time_us: one line per spike; time is relative to the start
/// (1 us hardware = 1 ms biological).  Throws naming the path when it cannot write.
void write_spike_csv(const std::string& path, const RunResult& result);

void print_summary(std::ostream& out, const Experiment& experiment, const RunResult& result);

}  // namespace nmtwin::apps
