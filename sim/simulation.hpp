#pragma once
// The system kernel: SystemC schedules the nodes; each node runs a quantum of FPGA
// cycles in a tight C++ loop per activation (see docs/architecture: "Time and scheduling").

#include <cstdint>
#include <memory>
#include <vector>

#include "extoll/link.hpp"
#include "sim/node.hpp"

namespace nmtwin::sim {

/// Two nodes' EXTOLL ports joined back to back.
struct NodeLink {
  unsigned a = 0, b = 1;
  extoll::LinkConfig config;
};

struct SimulationConfig {
  unsigned nodes = 1;
  /// FPGA cycles the nodes run between two exchanges over their links; at most the
  /// smallest link latency, so that nothing arrives inside a quantum already run.
  std::uint64_t quantum = 1024;
  std::vector<NodeLink> links;
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
  const extoll::Link& link(unsigned index) const { return links_.at(index); }

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
  std::vector<extoll::Link> links_;
  std::unique_ptr<Kernel> kernel_;
  void exchange();  // hands every link's traffic of the last quantum to the other end
};

}  // namespace nmtwin::sim
