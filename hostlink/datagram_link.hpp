// DatagramLink: the one interface between the ARQ transport and whatever carries
// its datagrams (a UDP socket, an in-process queue to the simulator, a decorator
// that impairs or captures). Datagrams are whole UDP payloads, never split.
#pragma once
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nmtwin::hostlink {

using Clock = std::chrono::steady_clock;
using Datagram = std::vector<std::uint8_t>;

/// The two ports of an FPGA: ARQ frames go to `data`, the reset magic word to `reset`.
enum class Port { data, reset };

class DatagramLink {
 public:
  DatagramLink() = default;
  DatagramLink(const DatagramLink&) = delete;
  DatagramLink& operator=(const DatagramLink&) = delete;
  virtual ~DatagramLink();

  /// Sends the datagrams, in order, to `port` of the FPGA. May drop them (UDP),
  /// never blocks for long. Throws LinkError when the link is unusable.
  virtual void send(Port port, std::span<const Datagram> datagrams) = 0;
  void send(Port port, const Datagram& datagram) { send(port, std::span(&datagram, 1)); }

  /// Waits (sleeping, never spinning) until at least one datagram from the FPGA
  /// arrived or `deadline` passed; appends every datagram available now to `out`
  /// and returns whether there were any. Throws LinkError when the link is unusable.
  virtual bool receive(std::vector<Datagram>& out, Clock::time_point deadline) = 0;

  /// Where the datagrams go, for messages: "udp://127.0.0.1:5000", "sim:node0".
  virtual std::string endpoint() const = 0;

  /// The clock every timer above this link runs on: wall time for a socket; the
  /// simulated time of the FPGA for an in-process simulator, so that in-process runs
  /// are deterministic and never time out because the simulation is slow.
  virtual Clock::time_point now() const { return Clock::now(); }

  /// True when no other host can reach the target (an in-process simulator): the
  /// connection may then fix what it would otherwise draw at random, so that runs are
  /// identical byte for byte.
  virtual bool exclusive() const { return false; }
};

}  // namespace nmtwin::hostlink
