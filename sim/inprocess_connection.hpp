#pragma once
// hostlink::Connection to a node of an in-process Simulation: instruction words go
// straight into the node, and waiting for responses runs the simulation.

#include <string>

#include "hostlink/connection.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

class InProcessConnection : public hostlink::Connection {
 public:
  explicit InProcessConnection(Simulation& simulation, unsigned node = 0);
  std::string endpoint() const override;

 protected:
  void send(std::span<const std::uint64_t> words) override;
  bool receive(std::vector<std::uint64_t>& out, std::chrono::steady_clock::time_point deadline) override;

 private:
  Simulation& simulation_;
  Node& node_;
};

}  // namespace nmtwin::sim
