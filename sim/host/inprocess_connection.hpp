#pragma once
// The in-process connection: ARQ over a MemoryLink to a node of a Simulation.  Same
// protocol, same bytes as over UDP to `nmtwin sim` or hardware, no socket.

#include <string_view>

#include "hostlink/arq_connection.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/sim.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

class InProcessConnection : public hostlink::ArqConnection {
 public:
  /// Performs the ARQ handshake with the node (runs the simulation for it).
  /// No other host can reach an in-process node, so the resynchronizing halt gets a
  /// fixed cookie (unless `options` names one): runs stay identical.
  explicit InProcessConnection(Simulation& simulation, unsigned node = 0, hostlink::ConnectOptions options = {});
};

inline constexpr std::string_view sim_url_form = "sim:[nodeN][?nodes=N&quantum=CYCLES&warp=0|1]";

// register_sim_scheme() (nmtwin/sim.hpp) registers sim_url_form with hostlink::connect.

}  // namespace nmtwin::sim
