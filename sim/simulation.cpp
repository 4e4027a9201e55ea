#include "sim/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <systemc>

#include "dist/comm.hpp"
#include "sim/node_threads.hpp"
#include "sim/rank_share.hpp"

namespace nmtwin::sim {

namespace {
const sc_core::sc_time cycle_time(8, sc_core::SC_NS);
constexpr std::uint64_t unlinked_quantum = 1024;
}  // namespace

// The system's one process: a quantum per activation.  An SC_METHOD, not a thread:
// no coroutine stacks, and the nodes stay on the threads that built them.
struct SystemProcess : sc_core::sc_module {
  // `step` runs the system and returns how many cycles it advanced (a quantum or, in a
  // warp, whole quanta).
  SystemProcess(const sc_core::sc_module_name& name, std::function<std::uint64_t()> step)
      : sc_core::sc_module(name), step_(std::move(step)) {
    SC_METHOD(tick);
  }
  SC_HAS_PROCESS(SystemProcess);

  void tick() { next_trigger(cycle_time * static_cast<double>(step_())); }

  std::function<std::uint64_t()> step_;
};

namespace {
std::uint64_t checked_quantum(const SimulationConfig& config) {
  const std::uint64_t limit = config.network.min_latency();
  if (config.quantum == 0) return limit == extoll::unreachable ? unlinked_quantum : limit;
  if (config.quantum > limit) {
    std::size_t i = 0;
    while (config.network.links[i].config.latency_cycles != limit) ++i;
    throw std::invalid_argument(
        fmt::format("the quantum ({} cycles) exceeds the latency of link {} ({} cycles); choose a quantum of at "
                    "most the smallest link latency",
                    config.quantum, i, limit));
  }
  return config.quantum;
}
}  // namespace

// Every Simulation owns a fresh SystemC context, so one process may build many
// (tests do); SystemC itself allows a single elaboration per context.
struct Simulation::Kernel {
  explicit Kernel(std::function<std::uint64_t()> step) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    context = new sc_core::sc_simcontext;
    activate();
    process = std::make_unique<SystemProcess>("system", std::move(step));
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

namespace {
extoll::NetworkSpec with_link_faults(const SimulationConfig& config) {
  auto network = config.network;
  apply_link_faults(network, config.faults);
  return network;
}
}  // namespace

Simulation::Simulation(const SimulationConfig& config)
    : quantum_(checked_quantum(config)), network_(std::make_unique<extoll::Network>(with_link_faults(config))) {
  const auto& spec = config.network;
  const auto nodes = static_cast<unsigned>(spec.node_ids.size());
  std::vector<unsigned> owned;  // this process's nodes, ascending
  processors_ = config.processors;
  if (config.share) {
    comm_ = config.share->comm;
    ranks_ = std::make_unique<Ranks>(*config.share, *network_);
    for (unsigned i = 0; i < nodes; ++i)
      if (ranks_->owns_node(i)) owned.push_back(i);
  } else {
    for (unsigned i = 0; i < nodes; ++i) owned.push_back(i);
  }
  std::vector<double> bandwidth(nodes, 64);
  for (const auto& l : spec.links)
    for (const auto* e : {&l.a, &l.b})
      if (!e->is_switch) bandwidth[e->index] = l.config.bits_per_cycle;
  threads_ = std::make_unique<NodeThreads>(static_cast<unsigned>(owned.size()), config.threads, [&](unsigned k) {
    const unsigned i = owned[k];
    auto node = std::make_unique<Node>(i, config.processors);
    node->set_link_bandwidth(bandwidth[i]);
    node->set_warp(config.warp);
    return node;
  });
  local_.assign(nodes, -1);
  ports_.assign(nodes, nullptr);
  for (unsigned k = 0; k < owned.size(); ++k) {
    local_[owned[k]] = static_cast<int>(k);
    ports_[owned[k]] = &threads_->node(k).net();
  }
  for (const auto& f : config.faults)
    if (f.kind == Fault::Kind::stuck_bit && owns(f.node)) node(f.node).chip().stick_bit(f.addr, f.bit, f.value);
  kernel_ = std::make_unique<Kernel>([this] { return quantum_step(); });
}

Simulation::~Simulation() = default;

bool warp_by_default() {
  const char* no_warp = std::getenv("NMTWIN_NO_WARP");
  return no_warp == nullptr || std::string_view(no_warp) == "0" || *no_warp == '\0';
}

std::uint64_t Simulation::quantum_step() {
  std::uint64_t q = quantum_;
  // Warp of the whole system: while no switch holds anything and every node would only
  // count for several quanta, all nodes run those whole quanta at once (each node warps
  // through them in one evaluation); nothing could have crossed a link in between.  Only
  // inside run(), which bounds the jump, and never while a quantum hook observes.  A node
  // with warp off has no horizon.
  // On a split system every rank takes the same decision: from the smallest horizon of all.
  const std::uint64_t now = cycle();
  if (!hook_ && run_end_ >= now + 2 * q) {
    const std::uint64_t h = ranks_ ? ranks_->min_horizon(local_horizon()) : local_horizon();
    if (h >= 2 * q) q *= std::min(h, run_end_ - now) / q;
    if (ranks_) ranks_->count_warp(q / quantum_ - 1);
  }
  threads_->for_each([q](Node& n) { n.step(q); });
  network_->advance(cycle());
  if (ranks_)
    ranks_->exchange(ports_, *threads_, [this] { return Ranks::View{local_horizon(), local_idle()}; });
  else
    network_->exchange(ports_);
  if (hook_) hook_(cycle());
  return q;
}

unsigned Simulation::size() const { return static_cast<unsigned>(local_.size()); }
unsigned Simulation::threads() const { return threads_->threads(); }

int Simulation::local(unsigned index) const {
  if (index >= size())
    throw std::out_of_range(fmt::format("node {} does not exist (the system has {} nodes)", index, size()));
  return local_[index];
}

bool Simulation::owns(unsigned index) const { return local(index) >= 0; }

Node& Simulation::node(unsigned index) {
  const int k = local(index);
  if (k < 0) throw std::out_of_range(ranks_->not_here(index));
  return threads_->node(static_cast<unsigned>(k));
}

void Simulation::push_datagram(unsigned index, bool reset_port, std::vector<std::uint8_t> bytes) {
  if (ranks_) ranks_->invalidate();  // every rank's host sends it: the owner's node is busy now
  if (owns(index)) node(index).push_datagram(reset_port, std::move(bytes));
}

// This process's nodes and switches: the smallest horizon (0 while a switch holds
// anything; below 2 quanta it only says "no warp"), and whether nothing can happen.
std::uint64_t Simulation::local_horizon() const {
  if (!network_->idle()) return 0;
  std::uint64_t h = UINT64_MAX;
  for (unsigned i = 0; i < threads_->size() && h >= 2 * quantum_; ++i) h = std::min(h, threads_->node(i).horizon());
  return h;
}

bool Simulation::local_idle() const {
  bool idle = network_->idle();
  for (unsigned i = 0; i < threads_->size() && idle; ++i) idle = threads_->node(i).idle();
  return idle;
}

void Simulation::take_datagrams(unsigned index, std::vector<std::vector<std::uint8_t>>& out) {
  if (ranks_)
    ranks_->take_datagrams(index, out);
  else
    node(index).drain_datagrams(out);
}

RankStats Simulation::rank_stats() const { return ranks_ ? ranks_->stats() : RankStats{}; }

bool Simulation::writes_outputs() const { return !comm_ || comm_->rank() == 0; }

std::uint64_t Simulation::min_over_ranks(std::uint64_t value) { return comm_ ? comm_->allreduce_min(value) : value; }

std::uint64_t Simulation::unroutable_events() const {
  std::uint64_t n = 0;
  for (std::size_t s = 0; s < network_->switches(); ++s)
    if (network_->is_local(extoll::LinkEnd::switch_port(static_cast<unsigned>(s), 0)))
      n += network_->switch_at(s).stats().unroutable_events;
  return ranks_ ? ranks_->sum(n) : n;
}

const Node& Simulation::node(unsigned index) const { return const_cast<Simulation*>(this)->node(index); }

void Simulation::run(std::uint64_t cycles) {
  if (cycles == 0) return;
  // A node may have been changed since the last quantum on its rank alone (a trace
  // opened): the first warp takes every rank's horizon afresh. Every rank calls run() at
  // the same points, so every rank does.
  if (ranks_) ranks_->invalidate();
  kernel_->activate();
  const std::uint64_t quanta = (cycles + quantum_ - 1) / quantum_;
  const std::uint64_t target = cycle() + quanta * quantum_;
  run_end_ = target;
  // Nodes run a quantum when activated, so they may be ahead of SystemC time: stop on their clock.
  while (cycle() < target) sc_core::sc_start(cycle_time * static_cast<double>(target - cycle()));
  run_end_ = 0;
}

std::uint64_t Simulation::cycle() const { return threads_->node(0).cycle(); }

bool Simulation::idle() const {
  // A node's port is idle only when nothing waits in it; symbols on a link are in the
  // receiving port already (delivered with their arrival cycle).
  return ranks_ ? ranks_->all_idle(local_idle()) : local_idle();
}

void Simulation::open_trace(unsigned index, const TraceOptions& options) {
  node(index);  // names a node that does not exist, or one of another rank
  threads_->on(static_cast<unsigned>(local(index)), [&options](Node& n) { n.open_trace(options); });
}

void Simulation::open_commit_log(unsigned index, const std::string& path) {
  node(index);
  threads_->on(static_cast<unsigned>(local(index)), [&path](Node& n) { n.open_commit_log(path); });
}

void Simulation::close_trace(unsigned index) {
  node(index);
  threads_->on(static_cast<unsigned>(local(index)), [](Node& n) { n.close_trace(); });
}

std::uint64_t first_trigger(Simulation& simulation, TraceTrigger trigger) {
  std::uint64_t first = UINT64_MAX;
  std::vector<ObservedEvent> events;
  for (unsigned i = 0; i < simulation.size(); ++i) {
    if (!simulation.owns(i)) continue;
    events.clear();
    simulation.node(i).take_observed(events);
    first = std::min(first, first_trigger(events, trigger));
  }
  return simulation.min_over_ranks(first);
}

}  // namespace nmtwin::sim

// libsystemc.so refers to sc_main; nmtwin programs have their own main() and start the
// kernel through Simulation, so this entry point only reports misuse.  Weak: a program
// with its own sc_main (sim/systemc, docs/systemc.md) links nmtwin_sim too.
[[gnu::weak]] int sc_main(int, char*[]) {
  std::fprintf(stderr, "nmtwin: sc_main is not an entry point; use nmtwin::sim::Simulation\n");
  return 1;
}
