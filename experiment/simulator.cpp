// nmtwin/sim.hpp: the simulated system of a topology file for host software. Here,
// in the experiment layer, because topology files are read here; the simulator
// itself is sim/.
#include "nmtwin/sim.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "experiment/topology_file.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

namespace {

GlobalInterruptTree tree_of(const extoll::Network& network) {
  return {.root = network.spec().gi_root, .latency = network.gi_latency()};
}

}  // namespace

Simulator::Simulator(const std::string& topology)
    : simulation_(std::make_unique<Simulation>(apps::simulation_config(apps::find_topology(topology)))),
      tree_(tree_of(simulation_->network())) {}

Simulator::~Simulator() = default;

unsigned Simulator::size() const { return simulation_->size(); }

std::unique_ptr<hostlink::Connection> Simulator::connect(unsigned fpga, hostlink::ConnectOptions options) {
  if (fpga >= size())
    throw std::out_of_range(fmt::format("Simulator::connect: FPGA {} does not exist in a system of {} FPGA(s)",
                                        fpga, size()));
  return std::make_unique<InProcessConnection>(*simulation_, fpga, std::move(options));
}

std::uint64_t Simulator::cycle() const { return simulation_->cycle(); }

GlobalInterruptTree global_interrupt(const std::string& topology) {
  return tree_of(extoll::Network(apps::simulation_config(apps::find_topology(topology)).network));
}

}  // namespace nmtwin::sim
