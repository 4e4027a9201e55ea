#pragma once
// The in-process connection: ARQ over a MemoryLink to a node of a Simulation.  Same
// protocol, same bytes as over UDP to `nmtwin sim` or hardware, no socket.

#include "hostlink/arq_connection.hpp"
#include "sim/memory_link.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

class InProcessConnection : public hostlink::ArqConnection {
 public:
  /// Performs the ARQ handshake with the node (runs the simulation for it).
  /// No other host can reach an in-process node, so the resynchronizing halt gets a
  /// fixed cookie (unless `options` names one): runs stay identical.
  explicit InProcessConnection(Simulation& simulation, unsigned node = 0, hostlink::ArqOptions options = {});
};

}  // namespace nmtwin::sim
