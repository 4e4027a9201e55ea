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

#include "experiment/target.hpp"
#include "experiment/waves.hpp"
#include "regress/scenario_run.hpp"

namespace nmtwin::apps {

struct RegressOptions {
  std::vector<std::string> paths{"regressions"};  ///< scenario files or directories
  std::vector<std::string> tags;                  ///< run scenarios with any of these (all when empty)
  std::string target = std::string(in_process_target);  ///< sim: or udp://HOST:PORT (node i at PORT + 2i)
  unsigned jobs = 1;
  std::optional<std::uint64_t> seed;  ///< replaces every scenario's seed
  std::string junit;                  ///< JUnit XML path
  std::string waves_dir;              ///< failing scenarios run again with waveforms into DIR/NAME/
  WaveOptions waves;                  ///< what the node waveforms hold
  bool waves_vcd = false;             ///< node waveforms as VCD instead of FST
  bool update_golden = false;
  /// Only scenarios on this topology (as the scenario names it, resolved; "single"
  /// for one FPGA without links), e.g. to run them against one `nmtwin sim --topology`.
  std::optional<std::string> topology;
  /// Print the selected scenarios (name, topology, tags) instead of running them.
  bool list = false;
};

/// Everything `nmtwin regress` does; returns the exit code (0: all passed).
int run_regressions(const RegressOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace nmtwin::apps
