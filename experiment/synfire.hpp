#pragma once
// A synfire chain across chips, after the BrainScaleS-2 multi-chip demonstration:
// links of an excitatory and an inhibitory population; link i's excitatory neurons
// drive both populations of link i + 1; each inhibitory population inhibits the
// excitatory population of its own link (feed-forward inhibition). With weak
// inhibition the volley disperses from link to link; with strong inhibition the late
// spikes are cut off and it stays sharp.
//
// Within a chip a population reaches the next link through the chip's loopback into a
// synapse row; across chips through the FPGA: output label -> routing table -> bucket
// -> network -> delay buffer -> the same synapse row on the other chip.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/experiment.hpp"
#include "experiment/raster.hpp"
#include "sim/simulation.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::apps {

struct SynfireParams {
  unsigned links = 8;
  unsigned exc = 16;  ///< neurons per excitatory population
  unsigned inh = 8;   ///< neurons per inhibitory population
  /// Chip of each link; empty: two links per chip, alternating between two chips
  /// (0, 0, 1, 1, 0, 0, ...), so the chain has on-chip and cross-chip hops.
  std::vector<unsigned> chip_of_link;
  double connectivity = 0.6;  ///< probability of each projection synapse (seeded)
  // Neurons (hardware ns): excitatory ones integrate slower and may burst.
  unsigned exc_tau_m_ns = 5000, exc_tau_syn_ns = 3000, exc_refractory_ns = 1000;
  unsigned inh_tau_m_ns = 5000, inh_tau_syn_ns = 3000, inh_refractory_ns = 20000;
  unsigned w_exc = 14;      ///< weight onto the next excitatory population, 6 bit
  unsigned w_exc_inh = 12;  ///< weight onto the next inhibitory population: it fires after the first excitatory spikes
  unsigned w_inh = 40;      ///< inhibitory weight onto the own excitatory population: 40 sharp, 5 disperses
  unsigned stimulus = 12;   ///< input spikes into the first link
  std::uint64_t stimulus_spread = 250;  ///< cycles over which they arrive (seeded)
  std::uint64_t start = 2000;           ///< cycle of the first input spike after the start
  std::uint64_t duration = 40000;       ///< cycles
  unsigned destination_delay = 125;     ///< systime ticks for cross-chip hops (1 µs)
  std::uint64_t seed = 1;
};

/// What build_synfire() gives: one single-chip experiment per chip (its register writes
/// include the routing table entries and buckets), and how to read the result.
struct SynfireNetwork {
  SynfireParams params;
  std::vector<Experiment> chips;
  /// Population p (link p / 2, excitatory if p is even) lives on chip `node`, with
  /// neurons / output labels first..last.
  std::vector<RasterGroup> populations;
};

SynfireNetwork build_synfire(const SynfireParams& params);

/// Activity of one excitatory population: how many spikes, when, how spread.
struct LinkActivity {
  unsigned link = 0;
  unsigned chip = 0;
  std::size_t spikes = 0;
  double mean_us = 0;    ///< mean spike time
  double spread_us = 0;  ///< standard deviation of the spike times
};

/// Per link, from the recorded spikes (node, label, time).
std::vector<LinkActivity> analyze_synfire(const SynfireNetwork& net, const std::vector<RasterSpike>& spikes);

/// Mean time from one link's volley to the next one's, over the hops within a chip
/// and over the hops that cross chips (links without spikes left out). One hop moves
/// with the thresholds and connections the seed drew; the mean over all is the figure.
struct HopLatency {
  double on_chip_us = 0, cross_chip_us = 0;
  unsigned on_chip_hops = 0, cross_chip_hops = 0;
};
HopLatency hop_latency(const std::vector<LinkActivity>& activity);

}  // namespace nmtwin::apps

namespace nmtwin::apps {

/// The synfire example file (examples/synfire.toml): the chain's parameters, the two
/// inhibition strengths to compare, the link between the two chips.
struct SynfireExample {
  SynfireParams params;
  unsigned w_inh_strong = 40, w_inh_weak = 5;
  std::uint64_t link_latency_cycles = 40;  ///< of the link joining the chips back to back, without a topology
  std::string topology;                    ///< a topology file or built-in name with nodes 0 and 1; empty: a pair
  std::string output = "synfire";  ///< rasters go to OUTPUT_strong.svg and OUTPUT_weak.svg
};

/// One run of the chain on two chips joined back to back by a link of the given
/// latency, with a synchronised start: the spikes of both chips and the activity.
struct SynfireRun {
  SynfireNetwork net;
  std::vector<RasterSpike> spikes;
  std::vector<LinkActivity> activity;
};
SynfireRun run_synfire_on_two_chips(const SynfireParams& params, std::uint64_t link_latency_cycles);
/// The same on any network of two nodes (ids 0 and 1), e.g. through switches.
SynfireRun run_synfire(const SynfireParams& params, const sim::SimulationConfig& system);

/// True when the TOML text is a synfire example (it has a [synfire] table).
bool is_synfire_example(std::string_view text);
/// Parses it; errors are InputErrors with file, line and fix.
SynfireExample parse_synfire_example(std::string_view text, const std::string& origin);

/// Runs both regimes on the example's two chips, prints per-link activity and
/// the on-chip versus cross-chip hop latency, writes the two rasters.
void run_synfire_example(const SynfireExample& example, std::ostream& out);

}  // namespace nmtwin::apps
