#pragma once
// The system kernel: SystemC schedules the nodes; each node runs a quantum of FPGA
// cycles in a tight C++ loop per activation (see docs/architecture: "Time and scheduling").

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/node.hpp"

namespace nmtwin::sim {

struct SimulationConfig {
  unsigned nodes = 1;
  /// FPGA cycles a node runs per SystemC activation; at most the smallest inter-node link latency.
  std::uint64_t quantum = 1024;
};

class Simulation {
 public:
  explicit Simulation(const SimulationConfig& config = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  unsigned size() const { return static_cast<unsigned>(nodes_.size()); }
  Node& node(unsigned index);
  std::uint64_t quantum() const { return config_.quantum; }

  /// Advances simulated time by at least `cycles` FPGA cycles (whole quanta).
  void run(std::uint64_t cycles);
  /// True when nothing can happen without host input: every node idle.
  bool idle() const;
  /// Cycles simulated so far (every node has run exactly this many).
  std::uint64_t cycle() const;

 private:
  struct Kernel;
  SimulationConfig config_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<Kernel> kernel_;
};

}  // namespace nmtwin::sim
