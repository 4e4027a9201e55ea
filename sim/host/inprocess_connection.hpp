#pragma once
// The in-process connection: ARQ over a MemoryLink to a node of a Simulation.  Same
// protocol, same bytes as over UDP to `nmtwin sim` or hardware, no socket.

#include <string_view>

#include "hostlink/arq_connection.hpp"
#include "nmtwin/connect.hpp"
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

inline constexpr std::string_view sim_url_form = "sim:[nodeN][?nodes=N&quantum=CYCLES]";

/// Registers the `sim:` URL scheme with hostlink::connect: each connection builds its
/// own in-process Simulation and owns it.  Call it once from main() (or a test's
/// setup) of any program that links nmtwin_sim; idempotent.
void register_sim_scheme();

}  // namespace nmtwin::sim
