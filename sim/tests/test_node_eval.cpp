// A node evaluates its Verilated models once a cycle, at the rising edge, unless it is
// traced or observed (Node::observe): then it also evaluates the FPGA's falling edge.
// Here the observed runs also have the processor evaluate and check its falling edge
// (Ppu::set_settle_check: none of its outputs may change there).  Both ways give the
// same run of the workloads (sim/tests/workloads.hpp): the same spikes, reads, chip
// logs and counts.
#include <boost/test/unit_test.hpp>

#include <string>

#include "sim/tests/workloads.hpp"
#include "sim/simulation.hpp"

namespace workload = nmtwin::sim::workload;
using nmtwin::sim::Simulation;
using nmtwin::sim::SimulationConfig;

namespace {

template <class Workload>
std::string run(bool both_edges, const SimulationConfig& config, Workload workload) {
  Simulation sim(config);
  for (unsigned i = 0; i < sim.size(); ++i) {
    sim.node(i).observe(both_edges);
    if (sim.node(i).has_processor()) sim.node(i).ppu().set_settle_check(both_edges);
  }
  return workload(sim).record;
}

template <class Workload>
void same_both_ways(const SimulationConfig& config, Workload workload, const char* expected) {
  const std::string once = run(false, config, workload), twice = run(true, config, workload);
  BOOST_TEST(once.find(expected) != std::string::npos, once.substr(0, 400));
  BOOST_TEST((once == twice));
}

}  // namespace

BOOST_AUTO_TEST_CASE(running_processor_and_spikes) {
  same_both_ways({}, [](Simulation& s) { return workload::processor_and_spikes(s, 40'000); }, "spike ");
}

BOOST_AUTO_TEST_CASE(idle_node) {
  same_both_ways({}, [](Simulation& s) { return workload::idle(s, 20'000); }, "status ");
}

BOOST_AUTO_TEST_CASE(ring_of_nodes) {
  same_both_ways({.network = workload::ring_network(), .quantum = 0, .threads = 1, .processors = false},
                 [](Simulation& s) { return workload::ring(s, 20'000); }, "node 3 input ");
}
