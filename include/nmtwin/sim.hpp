// The in-process simulator for host software (find_package(nmtwin COMPONENTS sim),
// target nmtwin::sim; docs/hostlink.md, "The simulator in your program"): the system of
// a topology (docs/topology.md), every FPGA reached over the same ARQ protocol as
// hardware, no socket; the global-interrupt tree that a synchronised start needs; and
// the `sim:` URLs of hostlink::connect().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nmtwin/connect_options.hpp"
#include "nmtwin/connection.hpp"

namespace nmtwin::sim {

/// Lets hostlink::connect() open `sim:[nodeN][?nodes=N&quantum=CYCLES]`: each such
/// connection builds its own simulated system of N unlinked FPGAs and owns it. For
/// FPGAs that share one system (links, a synchronised start) use a Simulator.
/// Call it once, before the first connect(); calling it again does no harm.
void register_sim_scheme();

/// How the global interrupt reaches the FPGAs of a system (docs/network.md): `root`
/// sends it, `latency[i]` is the number of cycles until FPGA i receives it (0 for the
/// root). hostlink::gi_delays(latency) gives the gi_delay of each FPGA.
struct GlobalInterruptTree {
  unsigned root = 0;
  std::vector<std::uint64_t> latency;
};

class Simulation;

/// A simulated system built from a topology: its FPGAs run when a connection to one
/// of them waits for an answer.
class Simulator {
 public:
  /// `topology`: a topology file, or a built-in shape: pair, ringN, torusXxYxZ.
  /// Throws std::runtime_error naming the file, the line and the fix for a broken
  /// topology file, and both readings when `topology` is neither a file nor a shape;
  /// std::invalid_argument naming the link, node or switch for a network that cannot
  /// be built (a switch port linked twice, ...).
  explicit Simulator(const std::string& topology);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Number of FPGAs; FPGA i is the i-th node of the topology (docs/topology.md).
  unsigned size() const;
  /// Connects to FPGA `fpga` (handshake included); the connection must end before the
  /// Simulator does. Throws std::out_of_range for an FPGA the system does not have.
  std::unique_ptr<hostlink::Connection> connect(unsigned fpga, hostlink::ConnectOptions options = {});
  const GlobalInterruptTree& global_interrupt() const { return tree_; }
  /// FPGA cycles simulated so far (8 ns each).
  std::uint64_t cycle() const;

 private:
  std::unique_ptr<Simulation> simulation_;
  GlobalInterruptTree tree_;
};

/// The global-interrupt tree of a topology (file or built-in shape), without simulating
/// it; throws as Simulator's constructor does.
GlobalInterruptTree global_interrupt(const std::string& topology);

}  // namespace nmtwin::sim
