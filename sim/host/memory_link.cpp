#include "sim/host/memory_link.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "nmtwin/cancel.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::sim {

namespace {
// Simulated time run between two looks at the node's output: the host's view is
// coarser than a network quantum (a look costs the host library's receive path),
// and its timing stays deterministic.
constexpr std::uint64_t host_step_cycles = 1024;
}  // namespace

// What the node sent before this link existed went to an earlier host (as over UDP, where
// a new host's socket never sees datagrams addressed to the one before): a new link that
// took them would read that host's CFGs and frames as answers to its own reset (found by
// fuzz_node: a stale CFG, then a stale frame 0, and the echo of the new host's halt was
// dropped as a duplicate).
MemoryLink::MemoryLink(Simulation& simulation, unsigned node) : simulation_(simulation), node_(node) {
  simulation_.owns(node);  // names a node that does not exist
  std::vector<std::vector<std::uint8_t>> earlier;
  simulation_.take_datagrams(node_, earlier);
}

MemoryLink::MemoryLink(std::unique_ptr<Simulation> simulation, unsigned node)
    : owned_(std::move(simulation)), simulation_(*owned_), node_(node) {
  simulation_.owns(node);
}

std::string MemoryLink::endpoint() const { return fmt::format("sim:node{}", node_); }

void MemoryLink::send(hostlink::Port port, std::span<const hostlink::Datagram> datagrams) {
  for (const auto& d : datagrams) simulation_.push_datagram(node_, port == hostlink::Port::reset, d);
}

hostlink::Clock::time_point MemoryLink::now() const {
  return hostlink::Clock::time_point{} + std::chrono::nanoseconds(simulation_.cycle() * spec::cycle_ns) + skipped_;
}

bool MemoryLink::receive(std::vector<hostlink::Datagram>& out, hostlink::Clock::time_point deadline) {
  const std::size_t before = out.size();
  for (;;) {
    simulation_.take_datagrams(node_, out);
    if (out.size() > before) return true;
    const auto t = now();
    if (t >= deadline) return false;
    hostlink::check_cancel();  // nothing taken in this call: a cancel here loses no datagram
    if (simulation_.idle()) {  // another node may still send this one something
      skipped_ += deadline - t;
      return false;
    }
    simulation_.run(std::max(simulation_.quantum(), host_step_cycles));
  }
}

}  // namespace nmtwin::sim
