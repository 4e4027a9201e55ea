#pragma once
// The ranks a command runs on (docs/scaleout.md): under `mpirun -np N nmtwin ...` the CLI
// names them once, and every system a run builds is then split over them; each rank runs
// the same host program and rank 0 alone writes the outputs, which are those of the run
// in one process, byte for byte.

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <vector>

#include "extoll/partition.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::dist {
class Comm;
}

namespace nmtwin::apps {

struct TopologyFile;

/// Runs the systems of this process over `comm`'s ranks (more than one), split by `how`
/// (--partition) or, without it, by a topology's [partition] map or contiguously; with
/// `quantum` (--quantum) instead of the system's own.
void run_on_ranks(dist::Comm& comm, std::optional<extoll::Partitioner> how,
                  std::optional<std::uint64_t> quantum = std::nullopt);

/// The ranks of this run (1 without mpirun).
unsigned rank_count();

/// Whether this process writes outputs (and checks output paths): rank 0 of a run over
/// ranks, and the one process otherwise.
bool writes_outputs();
/// `out` where this process writes outputs (writes_outputs()), else a stream that drops
/// what it is given: progress that rank 0 prints for all.
std::ostream& on_rank_zero(std::ostream& out);

/// Makes `config` this rank's share of the system when the run is over several ranks;
/// `topology` is the file the system came from (for its [partition] map), or nullptr.
/// Throws an InputError when the map is for another number of ranks, the system has
/// fewer nodes than there are ranks, or the quantum of run_on_ranks exceeds the smallest
/// link latency.
void split_over_ranks(sim::SimulationConfig& config, const TopologyFile* topology);

// Reading what a split system's ranks hold, for the host code that measures a run
// (latency studies). Collective on a split system: every rank calls them at the same
// point, and every rank gets the same result; in one process they read directly.

/// Every node's chip input log (the spikes it received, in order), by node index.
std::vector<std::vector<sim::ChipModel::InputEvent>> chip_input_logs(sim::Simulation& sim);
/// A value of node `node`, computed by the rank that owns it (`value` is called there only).
std::uint64_t node_value(sim::Simulation& sim, unsigned node, const std::function<std::uint64_t(sim::Node&)>& value);
/// Element-wise sums over the ranks of counts each rank collected (rows may differ in
/// length between ranks; missing elements count 0).
void sum_over_ranks(sim::Simulation& sim, std::vector<std::vector<std::uint32_t>>& counts);

}  // namespace nmtwin::apps
