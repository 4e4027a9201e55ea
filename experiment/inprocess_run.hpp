#pragma once
// A run of one experiment per FPGA on the in-process simulator: every FPGA reached over
// ARQ on a MemoryLink, started together by run_system (one FPGA is a one-node system),
// with node waveforms and the system trace on request.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/system_runner.hpp"
#include "experiment/waves.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::apps {

struct InProcessRun {
  sim::SimulationConfig system;
  std::vector<std::string> impair;  ///< per FPGA: its host link's ImpairmentConfig spec; empty: none
  /// Per FPGA: the path of its waveform (empty: none), all within `window`.
  std::vector<std::string> node_waves;
  sim::TraceOptions window;
  /// Per FPGA: the path of its processor's commit log (`--fw-log`; empty: none).
  std::vector<std::string> fw_logs;
  /// The system trace (sim/trace/system_trace) and a GTKWave save file of it, in `waves_dir`.
  std::string system_trace, gtkw, waves_dir;
  /// Start together on the network's global interrupt (run_system); false: each FPGA on
  /// its own, as one FPGA alone runs.
  bool synchronized = true;
  /// Observe every FPGA for the first event of this kind (run_in_process's `first_trigger`).
  sim::TraceTrigger observe = sim::TraceTrigger::none;
};

struct InProcessResult {
  SystemRunResult run;
  std::uint64_t cycles = 0;  ///< simulated
  std::string endpoint;      ///< of FPGA 0
};

/// Throws what run_system throws; what was traced is complete also then (that is when it
/// matters), and `first_trigger` (UINT64_MAX: none) is set also then.
InProcessResult run_in_process(const InProcessRun& how, std::span<const Experiment> experiments,
                               std::uint64_t* first_trigger = nullptr);

/// A triggered waveform: the cycle of the first event of `waves.trigger` and the window
/// around it, found by the run once more without waveforms, every FPGA observed (runs
/// are deterministic; a failing run fails the same way, and the trigger found up to
/// there counts).  std::nullopt when there was none.
struct TriggerWindow {
  std::uint64_t cycle = 0;
  sim::TraceOptions window;
};
std::optional<TriggerWindow> trigger_window(const InProcessRun& how, std::span<const Experiment> experiments,
                                            const WaveOptions& waves);

}  // namespace nmtwin::apps
