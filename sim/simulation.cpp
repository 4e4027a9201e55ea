#include "sim/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <systemc>

namespace nmtwin::sim {

namespace {
const sc_core::sc_time cycle_time(8, sc_core::SC_NS);

// Runs one node a quantum at a time.  An SC_METHOD, not a thread: the Verilated model
// is evaluated on the kernel's own stack and OS thread, which constructed it.
struct NodeProcess : sc_core::sc_module {
  NodeProcess(const sc_core::sc_module_name& name, Node& node, std::uint64_t quantum)
      : sc_core::sc_module(name), node_(node), quantum_(quantum) {
    SC_METHOD(tick);
  }
  SC_HAS_PROCESS(NodeProcess);

  void tick() {
    node_.step(quantum_);
    next_trigger(cycle_time * static_cast<double>(quantum_));
  }

  Node& node_;
  std::uint64_t quantum_;
};
}  // namespace

// Every Simulation owns a fresh SystemC context, so one process may build many
// (tests do); SystemC itself allows a single elaboration per context.
struct Simulation::Kernel {
  explicit Kernel(const std::vector<std::unique_ptr<Node>>& nodes, std::uint64_t quantum) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    context = new sc_core::sc_simcontext;
    sc_core::sc_curr_simcontext = context;
    sc_core::sc_default_global_context = context;
    for (const auto& n : nodes)
      processes.push_back(std::make_unique<NodeProcess>(fmt::format("node{}", n->id()).c_str(), *n, quantum));
  }
  ~Kernel() {
    processes.clear();
    if (sc_core::sc_curr_simcontext == context) {
      sc_core::sc_curr_simcontext = nullptr;
      sc_core::sc_default_global_context = nullptr;
    }
    delete context;
  }
  void activate() {
    sc_core::sc_curr_simcontext = context;
    sc_core::sc_default_global_context = context;
  }

  sc_core::sc_simcontext* context;
  std::vector<std::unique_ptr<NodeProcess>> processes;
};

Simulation::Simulation(const SimulationConfig& config) : config_(config) {
  if (config.nodes == 0) throw std::invalid_argument("a simulation needs at least one node");
  if (config.quantum == 0) throw std::invalid_argument("the quantum must be at least one cycle");
  for (unsigned i = 0; i < config.nodes; ++i) nodes_.push_back(std::make_unique<Node>(i));
  kernel_ = std::make_unique<Kernel>(nodes_, config.quantum);
}

Simulation::~Simulation() = default;

Node& Simulation::node(unsigned index) {
  if (index >= nodes_.size())
    throw std::out_of_range(fmt::format("node {} does not exist (the system has {} nodes)", index, nodes_.size()));
  return *nodes_[index];
}

void Simulation::run(std::uint64_t cycles) {
  if (cycles == 0) return;
  kernel_->activate();
  const std::uint64_t quanta = (cycles + config_.quantum - 1) / config_.quantum;
  const std::uint64_t target = cycle() + quanta * config_.quantum;
  // Nodes run a quantum when activated, so they may be ahead of SystemC time: stop on their clock.
  while (cycle() < target) sc_core::sc_start(cycle_time * static_cast<double>(target - cycle()));
}

std::uint64_t Simulation::cycle() const { return nodes_.front()->cycle(); }

bool Simulation::idle() const {
  return std::all_of(nodes_.begin(), nodes_.end(), [](const auto& n) { return n->idle(); });
}

}  // namespace nmtwin::sim

// libsystemc.so refers to sc_main; nmtwin programs have their own main() and start the
// kernel through Simulation, so this entry point only reports misuse.
int sc_main(int, char*[]) {
  std::fprintf(stderr, "nmtwin: sc_main is not an entry point; use nmtwin::sim::Simulation\n");
  return 1;
}
