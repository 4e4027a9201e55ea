#pragma once
// Runs one experiment per FPGA of a multi-chip system with a synchronised start
// (systime sync over the global interrupt, then a common timer start) and merges the
// spikes of every chip on one time axis.

#include <cstdint>
#include <span>
#include <vector>

#include "apps/experiment.hpp"
#include "apps/raster.hpp"
#include "nmtwin/connection.hpp"

namespace nmtwin::apps {

struct SystemRunResult {
  /// Every chip's spikes from the common start on, ordered by time, then node, then label.
  std::vector<RasterSpike> spikes;
  std::vector<std::uint64_t> start_systime;       ///< per node: systime at the start
  std::vector<std::vector<std::uint32_t>> reads;  ///< per node: its Experiment::reads
  std::vector<std::size_t> spikes_before_start;   ///< per node
  double wall_seconds = 0;
};

/// `gi_latency[i]`: cycles from the root sending the global interrupt to FPGA i
/// receiving it (the network's distribution tree). Throws what Connection::run throws
/// (the message names the FPGA's endpoint), std::invalid_argument when the sizes disagree.
SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments,
                           std::span<const std::uint64_t> gi_latency, unsigned root);

}  // namespace nmtwin::apps
