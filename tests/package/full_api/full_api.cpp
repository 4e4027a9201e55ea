// What the command line does, done by host software through the installed package:
// a sim: URL, the simulated system of a topology file and its global-interrupt tree,
// and programs on every FPGA of it with a synchronised start.
// usage: full_api TOPOLOGY (a file or a built-in shape; a system of at least two FPGAs)
#include <cstdio>
#include <exception>
#include <memory>
#include <vector>

#include "nmtwin/connect.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/sim.hpp"
#include "nmtwin/spec.hpp"
#include "nmtwin/system.hpp"

namespace hl = nmtwin::hostlink;
namespace reg = nmtwin::spec::fpga_reg;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "full_api: %s\n", what);
    ++failures;
  }
}

// One FPGA of a two-FPGA system behind a sim: URL: a register written and read back.
void sim_url() {
  nmtwin::sim::register_sim_scheme();
  auto fpga = hl::connect("sim:node1?nodes=2");
  hl::Program p;
  p.write(reg::scratch, 0xC0FFEE);
  const auto scratch = p.read(reg::scratch);
  fpga->run(p);
  check(scratch.value() == 0xC0FFEE, "sim:node1?nodes=2 reads back the scratch register");
}

void synchronized_run(const char* topology) {
  const auto tree = nmtwin::sim::global_interrupt(topology);
  nmtwin::sim::Simulator system(topology);
  const unsigned n = system.size();
  check(n >= 2 && tree.latency.size() == n, "the topology has two FPGAs or more, each in the interrupt tree");
  check(system.global_interrupt().root == tree.root && system.global_interrupt().latency == tree.latency,
        "the Simulator's tree is the topology's");
  const auto delays = hl::gi_delays(tree.latency);
  for (unsigned i = 0; i < n; ++i) {
    check(tree.latency[i] == 0 ? i == tree.root : tree.latency[i] > 0, "only the root has latency 0");
    check(delays[i] + tree.latency[i] == delays[tree.root], "every FPGA fires with the farthest");
  }

  std::vector<std::unique_ptr<hl::Connection>> connections;
  std::vector<hl::Connection*> fpgas;
  for (unsigned i = 0; i < n; ++i) fpgas.push_back(connections.emplace_back(system.connect(i)).get());
  const hl::SynchronizedStart start(tree.latency, tree.root);
  std::vector<hl::Program> setup(n), timed(n);
  std::vector<hl::Ticket> spikes;
  std::vector<hl::StartSystime> at;
  for (unsigned i = 0; i < n; ++i) {
    setup[i].write(reg::counter_clear, 1);
    start.begin_timed(timed[i], i);
    for (unsigned k = 0; k <= i; ++k) {  // FPGA i plays i + 1 spikes into its chip
      timed[i].wait_until(100 * (k + 1));
      timed[i].spike(static_cast<std::uint16_t>(k));
    }
    timed[i].wait_until(1000);
    spikes.push_back(timed[i].read(reg::spikes_to_chip));
    at.push_back(hl::read_start_systime(timed[i]));
  }
  start.run(fpgas, setup, timed);
  for (unsigned i = 0; i < n; ++i) {
    check(spikes[i].value() == i + 1, "every FPGA played its spikes");
    check(at[i].value() == at[0].value(), "every experiment timer started on the same systime");
  }
  check(system.cycle() > 1000, "the system ran past the last wait");
  std::printf("full_api: %u FPGAs started at systime %llu, root %u\n", n,
              static_cast<unsigned long long>(at[0].value()), tree.root);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: full_api TOPOLOGY\n");
    return 2;
  }
  try {
    sim_url();
    synchronized_run(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "full_api: %s\n", e.what());
    return 1;
  }
  std::printf("full_api: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
