#pragma once
// Runs one experiment per FPGA of a system with a synchronised start (systime sync
// over the global interrupt, then a common timer start) and merges the spikes of every
// chip on one time axis.  The one run path: a single FPGA is a one-node system.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/raster.hpp"
#include "experiment/spike_ledger.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::sim {
class Simulation;
}

namespace nmtwin::apps {

struct SystemRunResult {
  /// Every chip's spikes from the common start on, ordered by time, then node, then label.
  std::vector<RasterSpike> spikes;
  std::vector<std::vector<hostlink::Spike>> node_spikes;  ///< per node: from the start on, in arrival order
  std::vector<std::uint64_t> start_systime;       ///< per node: systime at the start
  std::vector<std::vector<std::uint32_t>> reads;  ///< per node: its Experiment::reads
  std::vector<std::size_t> spikes_before_start;   ///< per node
  std::vector<std::uint32_t> late_waits;          ///< per node: timed instructions played late
  std::vector<std::optional<FirmwareOutcome>> firmware;  ///< per node: its [firmware] kernel's outcome
  double wall_seconds = 0;
  /// The spike-path counters after the network drained, which passed the conservation
  /// check (experiment/spike_ledger.hpp); empty for a run without one.
  SystemLedger ledger;
};

/// How a system run accounts for its spikes: the network it ran on (for the nodes each
/// bucket reaches) and, where they can be read, the switches' unroutable counts.
struct SpikeAccounting {
  const extoll::Network* network = nullptr;  ///< the system's layout; must outlive the run
  /// The switches' unroutable events (Simulation::unroutable_events in-process);
  /// empty for a remote target, whose switches the host cannot read.
  std::function<std::uint64_t()> unroutable;

  /// In-process: the simulation's network, its switch counters are read (every rank's,
  /// when the system is split over ranks).
  static SpikeAccounting in_process(sim::Simulation& simulation);
  /// A remote target laid out as `network` (its counters are not the target's).
  static SpikeAccounting remote(const extoll::Network& network) { return {&network, {}}; }
};

/// `gi_latency[i]`: cycles from the root sending the global interrupt to FPGA i
/// receiving it (the network's distribution tree). Throws what Connection::run throws
/// (the message names the FPGA's endpoint), FirmwareError when a node's kernel trapped,
/// tripped its watchdog, overran its period or missed max_cycles, std::invalid_argument
/// when the sizes disagree. After the experiments, every system run stops the event
/// sources, lets the network drain and checks the conservation law
/// (drain_and_read, check_conservation): ConservationError names the node and counters
/// of a spike lost without being counted.
SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments,
                           std::span<const std::uint64_t> gi_latency, unsigned root,
                           const SpikeAccounting& accounting);
/// The same without the global interrupt: each FPGA runs build_program()'s one program
/// and starts when it reaches its timer reset — for one FPGA, which has no one to wait for.
SystemRunResult run_system(std::span<hostlink::Connection* const> fpgas, std::span<const Experiment> experiments);

}  // namespace nmtwin::apps
