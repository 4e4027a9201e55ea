#include "sim/inprocess_connection.hpp"

#include <memory>

namespace nmtwin::sim {

namespace {
hostlink::ArqOptions deterministic(hostlink::ArqOptions options) {
  if (!options.resync_cookie) options.resync_cookie = 0x5EED;
  return options;
}
}  // namespace

InProcessConnection::InProcessConnection(Simulation& simulation, unsigned node, hostlink::ArqOptions options)
    : hostlink::ArqConnection(std::make_unique<MemoryLink>(simulation, node), deterministic(std::move(options))) {}

}  // namespace nmtwin::sim
