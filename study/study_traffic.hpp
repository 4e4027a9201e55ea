// The parts of a latency study point shared by its files: label layout, the
// system a point runs on, the destinations of a traffic pattern and the traffic
// (experiments and the spikes each source sends).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "experiment/scenario.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/spec.hpp"
#include "study/latency_study.hpp"

namespace nmtwin::apps::study_detail {

inline constexpr unsigned labels_per_bucket = 64;   // source labels b * 64 + k
inline constexpr unsigned received_base = 4096;     // delivered labels 4096 + source * 64 + k
inline constexpr unsigned max_nodes = (spec::net::router_entries - received_base) / labels_per_bucket;  // 192
/// "WHAT: a study takes at most 192 nodes ... (why)".  A study's limit is below a
/// system's (max_system_nodes): it gives every source node its own labels.
std::string too_many_nodes(const std::string& what);
inline constexpr unsigned max_delay = spec::fpga_reg::bucket_delay_fields::delay.max();  // destination_delay 0 means this

std::vector<unsigned> destinations(const std::string& pattern, unsigned s, unsigned n);
sim::SimulationConfig system_of(const StudyPoint& p);

struct Send {
  std::uint64_t t;
  unsigned dest;
};

struct Traffic {
  std::vector<Experiment> exps;          // one per node: its configuration and sources
  std::vector<std::vector<Send>> sends;  // per source node, in time order
};

// Per source, Poisson arrivals (or a recorded trace), each to a destination of the
// pattern, up to window_end; the experiments run for `duration` cycles.
Traffic traffic(const StudyPoint& p, const sim::SimulationConfig& config, std::uint64_t window_end,
                std::uint64_t duration);

}  // namespace nmtwin::apps::study_detail
