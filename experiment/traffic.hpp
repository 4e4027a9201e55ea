#pragma once
// Spike traffic over a system's network, for benchmarks and tests (bench_system,
// bench_scaleout, test_split_system): node i plays spikes on label i % 16 from
// `first + stagger * i` every `period + spread * i` cycles until `end`; routed, they go
// through bucket 0 (`delay` ticks, a packet per 8 cycles at most) to node (i + 1) % n,
// or to every member of `multicast_group`.

#include <cstdint>
#include <optional>
#include <vector>

#include "experiment/experiment.hpp"

namespace nmtwin::apps {

struct RingTraffic {
  std::uint64_t cycles = 0;  ///< each experiment's duration
  bool routed = true;        ///< false: the spikes reach the node's own chip only
  std::uint32_t delay = 1000;
  std::optional<std::uint16_t> multicast_group{};
  std::uint64_t first = 100, stagger = 7, period = 125, spread = 0;
  std::uint64_t end = 0;  ///< 0: `cycles`
};

std::vector<Experiment> ring_traffic(unsigned nodes, const RingTraffic& traffic);

}  // namespace nmtwin::apps
