#pragma once
// `nmtwin sim`: serves every simulated FPGA on its own UDP data and reset port, so
// host software reaches it exactly as it reaches hardware.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "sim/node.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

struct SimServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 5000;  ///< data port of node 0; reset port = port + 1; node i uses port + 2i
  /// The system served (`nmtwin sim` builds it from --nodes or --topology).
  SimulationConfig system{.network = extoll::NetworkSpec::unlinked(1), .quantum = 64};
  bool describe_network = false;  ///< print node ids and global-interrupt latencies (a topology)
  std::uint64_t quantum = 64;     ///< cycles simulated between looks at the ports
  /// The FPGAs' delayed ACK in cycles (`--ack-delay-cycles`): the host counts wall-clock
  /// time, which a simulated FPGA's cycles stretch ~50x, so the hardware's 62 500 would
  /// outlast the host's retransmission timeout (docs/protocol.md "Time in a simulated FPGA").
  /// 0: follow the server's measured speed, so that the ACK leaves about
  /// `ack_delay_wall` after the delivery (at least 16, at most 512 cycles).
  std::uint32_t ack_delay_cycles = 0;
  std::chrono::microseconds ack_delay_wall{250};
  std::optional<sim::TraceOptions> trace;  ///< node 0
  std::string fw_log;                      ///< node 0's processor commit log (empty: none)
  std::string impairment;                  ///< applied to datagrams in both directions
  std::string pcap;                        ///< capture of every datagram
  bool exit_with_parent = false;           ///< stop when the process that started it ends (CI gates)
  /// Refuse a reset from another host while the session's host was heard from in the
  /// last 5 s, instead of letting it take the link over (docs/server.md).
  bool exclusive = false;
};

struct SimServerSummary {
  std::uint64_t cycles = 0;
  double wall_seconds = 0;
  double busy_seconds = 0;  ///< time spent simulating (not sleeping for input)
};

/// Runs until `stop` becomes true (set from a SIGINT/SIGTERM handler); prints where it
/// listens to `out` once ready, and cycles/s and packet statistics at the end.
SimServerSummary run_sim_server(const SimServerOptions& options, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace nmtwin::sim
