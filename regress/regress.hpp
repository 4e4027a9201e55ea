#pragma once
// `nmtwin regress` (docs/regressions.md): runs regression scenarios against the
// in-process simulator or a running `nmtwin sim` / hardware, compares with their
// golden files, prints a progress line per scenario and a summary table, writes
// JUnit XML, keeps waveforms of failing scenarios and rewrites golden files on request.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/scenario.hpp"
#include "sim/node.hpp"

namespace nmtwin::apps {

struct RegressOptions {
  std::vector<std::string> paths{"regressions"};  ///< scenario files or directories
  std::vector<std::string> tags;                  ///< run scenarios with any of these (all when empty)
  std::string target = "sim";  ///< "sim" (in-process) or udp://HOST:PORT (node i at PORT + 2i)
  unsigned jobs = 1;
  std::optional<std::uint64_t> seed;  ///< replaces every scenario's seed
  std::string junit;                  ///< JUnit XML path
  std::string waves_dir;              ///< failing scenarios run again with waveforms into DIR/NAME/
  sim::TraceTrigger waves_trigger = sim::TraceTrigger::none;  ///< node FSTs only around the first error or drop
  bool waves_vcd = false;                                     ///< node waveforms as VCD instead of FST
  std::uint64_t waves_start = 0, waves_end = UINT64_MAX;      ///< node waveform window in cycles (no trigger)
  std::uint64_t waves_pre = 2000, waves_post = 20000;         ///< cycles before and after the trigger
  bool update_golden = false;
  /// Only scenarios on this topology (as the scenario names it, resolved; "single"
  /// for one FPGA without links), e.g. to run them against one `nmtwin sim --topology`.
  std::optional<std::string> topology;
  /// Print the selected scenarios (name, topology, tags) instead of running them.
  bool list = false;
};

/// The topology a scenario runs on as `nmtwin sim --topology` takes it; "single" for
/// one FPGA without links.
std::string topology_name(const Scenario& scenario);

/// Where and how one scenario runs.
struct ScenarioRun {
  std::string target = "sim";
  std::uint64_t seed = 1;
  unsigned threads = 0;   ///< simulation threads (in-process)
  std::string waves_dir;  ///< in-process: per-node FST and the system VCD go here
  sim::TraceTrigger trigger = sim::TraceTrigger::none;  ///< with waves_dir: FST window around it
  bool vcd = false;                                     ///< node waveforms as VCD (converted from FST)
  std::uint64_t start = 0, end = UINT64_MAX;            ///< window in cycles without a trigger
  std::uint64_t pre = 2000, post = 20000;
};

/// Runs one scenario and gives what it measured; throws what the run throws (a
/// RunError names the instruction around a timeout or error, and the FPGA).
/// With `first_trigger` (in-process): every node is observed, and the cycle of the
/// first event of how.trigger in the system is stored there (UINT64_MAX: none).
Outcome run_scenario(const Scenario& scenario, const ScenarioRun& how, std::uint64_t* first_trigger = nullptr);

/// Everything `nmtwin regress` does; returns the exit code (0: all passed).
int run_regressions(const RegressOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace nmtwin::apps
