#pragma once
// One regression scenario run on the in-process simulator or a target: every chip's
// experiment started together (experiment/system_runner), what it measured as an
// Outcome to compare with the golden file.

#include <cstdint>
#include <string>

#include "experiment/scenario.hpp"
#include "experiment/spike_ledger.hpp"
#include "experiment/target.hpp"
#include "experiment/waves.hpp"

namespace nmtwin::apps {

/// The topology a scenario runs on as `nmtwin sim --topology` takes it; "single" for
/// one FPGA without links.
std::string topology_name(const Scenario& scenario);

/// Where and how one scenario runs.
struct ScenarioRun {
  std::string target = std::string(in_process_target);
  std::uint64_t seed = 1;
  unsigned threads = 0;   ///< simulation threads (in-process)
  std::string waves_dir;  ///< in-process: per-node waveforms, the system VCD and .gtkw go here
  WaveOptions waves;      ///< what the node waveforms hold
  bool vcd = false;       ///< node waveforms as VCD (converted from FST)
};

/// Runs one scenario and gives what it measured; throws what the run throws (a
/// RunError names the instruction around a timeout or error, and the FPGA; a
/// ConservationError a spike lost without being counted). `ledger`, when given, gets
/// the spike-path counters the conservation check passed (experiment/spike_ledger.hpp).
Outcome run_scenario(const Scenario& scenario, const ScenarioRun& how, SystemLedger* ledger = nullptr);

}  // namespace nmtwin::apps
