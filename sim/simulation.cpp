#include "sim/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <systemc>

namespace nmtwin::sim {

namespace {
const sc_core::sc_time cycle_time(8, sc_core::SC_NS);

// Runs every node a quantum, then the exchange over the links.  An SC_METHOD, not a
// thread: the Verilated models are evaluated on the kernel's own stack and OS thread,
// which constructed them.
struct SystemProcess : sc_core::sc_module {
  SystemProcess(const sc_core::sc_module_name& name, std::vector<std::unique_ptr<Node>>& nodes, std::uint64_t quantum,
                std::function<void()> exchange)
      : sc_core::sc_module(name), nodes_(nodes), quantum_(quantum), exchange_(std::move(exchange)) {
    SC_METHOD(tick);
  }
  SC_HAS_PROCESS(SystemProcess);

  void tick() {
    for (auto& n : nodes_) n->step(quantum_);
    exchange_();
    next_trigger(cycle_time * static_cast<double>(quantum_));
  }

  std::vector<std::unique_ptr<Node>>& nodes_;
  std::uint64_t quantum_;
  std::function<void()> exchange_;
};
}  // namespace

// Every Simulation owns a fresh SystemC context, so one process may build many
// (tests do); SystemC itself allows a single elaboration per context.
struct Simulation::Kernel {
  Kernel(std::vector<std::unique_ptr<Node>>& nodes, std::uint64_t quantum, std::function<void()> exchange) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    context = new sc_core::sc_simcontext;
    sc_core::sc_curr_simcontext = context;
    sc_core::sc_default_global_context = context;
    process = std::make_unique<SystemProcess>("system", nodes, quantum, std::move(exchange));
  }
  ~Kernel() {
    process.reset();
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
  std::unique_ptr<SystemProcess> process;
};

Simulation::Simulation(const SimulationConfig& config) : config_(config) {
  if (config.nodes == 0) throw std::invalid_argument("a simulation needs at least one node");
  if (config.quantum == 0) throw std::invalid_argument("the quantum must be at least one cycle");
  std::vector<bool> linked(config.nodes, false);
  for (std::size_t i = 0; i < config.links.size(); ++i) {
    const auto& l = config.links[i];
    if (l.a >= config.nodes || l.b >= config.nodes || l.a == l.b)
      throw std::invalid_argument(
          fmt::format("link {} joins node {} and node {}: they must be two different nodes of "
                      "the {}",
                      i, l.a, l.b, config.nodes));
    for (unsigned n : {l.a, l.b}) {
      if (linked[n]) throw std::invalid_argument(fmt::format("node {} has a second link; an FPGA has one", n));
      linked[n] = true;
    }
    if (config.quantum > l.config.latency_cycles)
      throw std::invalid_argument(
          fmt::format("the quantum ({} cycles) exceeds the latency of link {} ({} cycles); "
                      "choose a quantum of at most the smallest link latency",
                      config.quantum, i, l.config.latency_cycles));
    links_.emplace_back(l.config);
  }
  for (unsigned i = 0; i < config.nodes; ++i) nodes_.push_back(std::make_unique<Node>(i));
  for (const auto& l : config.links) {
    nodes_[l.a]->set_link_bandwidth(l.config.bits_per_cycle);
    nodes_[l.b]->set_link_bandwidth(l.config.bits_per_cycle);
  }
  kernel_ = std::make_unique<Kernel>(nodes_, config.quantum, [this] { exchange(); });
}

void Simulation::exchange() {
  std::vector<extoll::Symbol> sent, arriving;
  for (std::size_t i = 0; i < links_.size(); ++i) {
    const unsigned ends[2] = {config_.links[i].a, config_.links[i].b};
    for (unsigned from = 0; from < 2; ++from) {
      sent.clear();
      arriving.clear();
      nodes_[ends[from]]->net().take_sent(sent);
      links_[i].carry(from, sent, arriving);
      for (const auto& s : arriving) nodes_[ends[1 - from]]->net().deliver(s);
    }
  }
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
  // A node's port is idle only when nothing waits in it; symbols on a link are in the
  // receiving port already (delivered with their arrival cycle).
  return std::all_of(nodes_.begin(), nodes_.end(), [](const auto& n) { return n->idle(); });
}

}  // namespace nmtwin::sim

// libsystemc.so refers to sc_main; nmtwin programs have their own main() and start the
// kernel through Simulation, so this entry point only reports misuse.
int sc_main(int, char*[]) {
  std::fprintf(stderr, "nmtwin: sc_main is not an entry point; use nmtwin::sim::Simulation\n");
  return 1;
}
