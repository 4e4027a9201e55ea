#pragma once
// MemoryLink: the in-process DatagramLink to a node of a Simulation.  The same bytes
// as over UDP, no socket: sending queues datagrams into the node's UDP payload
// stream, waiting for datagrams runs the simulation.

#include <memory>
#include <string>

#include "hostlink/datagram_link.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

class MemoryLink : public hostlink::DatagramLink {
 public:
  explicit MemoryLink(Simulation& simulation, unsigned node = 0);
  /// A link that owns its simulation (the `sim:` URL scheme).
  explicit MemoryLink(std::unique_ptr<Simulation> simulation, unsigned node = 0);

  void send(hostlink::Port port, std::span<const hostlink::Datagram> datagrams) override;
  using hostlink::DatagramLink::send;
  /// Runs the simulation 1024 cycles (whole quanta) at a time until the node sent a datagram or the
  /// deadline passed on the simulated clock; when the node is idle nothing can happen
  /// before the deadline, so the clock jumps to it at once.
  bool receive(std::vector<hostlink::Datagram>& out, hostlink::Clock::time_point deadline) override;
  std::string endpoint() const override;
  /// Simulated time: FPGA cycles run (8 ns each) plus the idle time skipped.
  hostlink::Clock::time_point now() const override;
  /// Nothing but this link reaches the node.
  bool exclusive() const override { return true; }

  Simulation& simulation() { return simulation_; }

 private:
  std::unique_ptr<Simulation> owned_;
  Simulation& simulation_;
  unsigned node_;
  hostlink::Clock::duration skipped_{};
};

}  // namespace nmtwin::sim
