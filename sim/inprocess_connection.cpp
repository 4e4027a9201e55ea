#include "sim/inprocess_connection.hpp"

#include <fmt/format.h>

namespace nmtwin::sim {

InProcessConnection::InProcessConnection(Simulation& simulation, unsigned node)
    : simulation_(simulation), node_(simulation.node(node)) {}

std::string InProcessConnection::endpoint() const { return fmt::format("sim:node{}", node_.id()); }

void InProcessConnection::send(std::span<const std::uint64_t> words) { node_.push_instructions(words); }

bool InProcessConnection::receive(std::vector<std::uint64_t>& out, std::chrono::steady_clock::time_point deadline) {
  // The deadline only counts while the node is idle: a long wait_until keeps the simulated
  // FPGA busy for as long as it takes, exactly as real hardware would be.
  while (!node_.has_responses()) {
    if (node_.idle() && std::chrono::steady_clock::now() >= deadline) return false;
    simulation_.run(simulation_.quantum());
  }
  node_.drain_responses(out);
  return true;
}

}  // namespace nmtwin::sim
