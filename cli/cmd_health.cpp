// nmtwin health: the checks operators run on idle hardware (docs/health.md), on an
// in-process twin (with injected faults, --fault) or a target; human output, JSON,
// Prometheus text; exit status 0 healthy, 1 degraded, 2 failed.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "experiment/health.hpp"
#include "experiment/spike_ledger.hpp"
#include "experiment/target.hpp"
#include "experiment/topology_file.hpp"
#include "sim/fault.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::cli {

namespace {

namespace fs = std::filesystem;

struct HealthArgs {
  std::string target = "sim:";
  std::string topology;
  unsigned nodes = 1;
  std::vector<std::string> faults;
  std::string firmware;
  bool json = false;
  std::string prometheus;
};

// The health kernel this build made (build/firmware/health.elf beside the executable) or
// an installation's share/nmtwin/firmware/health.elf; empty when neither exists.
std::string built_health_elf() {
  std::error_code error;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", error).parent_path();
  for (const auto& p : {exe_dir / "firmware" / "health.elf", exe_dir / ".." / "share" / "nmtwin" / "firmware" / "health.elf"})
    if (fs::exists(p, error)) return p.lexically_normal().string();
  return {};
}

int run_health_command(const HealthArgs& a) {
  std::vector<sim::Fault> faults;
  for (const auto& f : a.faults) faults.push_back(sim::parse_fault(f));
  sim::SimulationConfig system{.network = extoll::NetworkSpec::unlinked(a.nodes)};
  if (!a.topology.empty()) system = apps::simulation_config(apps::find_topology(a.topology));
  apps::HealthOptions options;
  options.target = a.target;
  options.network = system.network;
  if (a.firmware != "none") options.firmware_elf = a.firmware.empty() ? built_health_elf() : a.firmware;
  if (!a.prometheus.empty()) {  // before the checks run: a bad path costs nothing
    std::ofstream probe(a.prometheus, std::ios::app);
    if (!probe)
      throw std::runtime_error(
          fmt::format("--prometheus '{}': cannot write there; check the directory and permissions", a.prometheus));
  }
  const auto target = apps::Target::parse(a.target);
  const unsigned n = static_cast<unsigned>(system.network.node_ids.size());
  std::unique_ptr<sim::Simulation> simulation;
  std::vector<std::unique_ptr<hostlink::Connection>> connections;
  if (target.in_process()) {
    system.faults = faults;
    simulation = std::make_unique<sim::Simulation>(system);
    for (unsigned i = 0; i < n; ++i) connections.push_back(std::make_unique<sim::InProcessConnection>(*simulation, i));
    options.unroutable = [&s = *simulation] { return s.unroutable_events(); };
  } else {
    if (!faults.empty())
      throw std::invalid_argument(fmt::format("--fault injects into the in-process twin; for the target '{}' start "
                                              "`nmtwin sim --fault {}` and point --target at it",
                                              a.target, a.faults.front()));
    if (n > 1) target.require_nodes();
    for (unsigned i = 0; i < n; ++i) connections.push_back(target.connect(i));
  }
  std::vector<hostlink::Connection*> fpgas;
  for (auto& c : connections) fpgas.push_back(c.get());
  const auto report = apps::run_health(fpgas, options);
  if (a.json)
    std::cout << apps::health_json(report);
  else
    apps::print_health(std::cout, report);
  if (!a.prometheus.empty()) {
    std::ofstream f(a.prometheus, std::ios::trunc);
    f << apps::health_prometheus(report);
    if (!f.flush()) throw std::runtime_error(fmt::format("writing '{}' failed (disk full?)", a.prometheus));
  }
  return static_cast<int>(report.status());
}

}  // namespace

Command add_health(CLI::App& app) {
  auto args = std::make_shared<HealthArgs>();
  auto* cmd = app.add_subcommand("health", "the health checks operators run on idle hardware (docs/health.md)");
  cmd->add_option("--target", args->target,
                  "where: sim: (an in-process twin, the default) or udp://HOST:PORT (nmtwin sim or hardware)");
  auto* topo = cmd->add_option("--topology", args->topology,
                               "the system: a topology file or pair, ringN, torusXxYxZ (in-process: simulated; a "
                               "target: its layout, node i at PORT+2i)");
  cmd->add_option("--nodes", args->nodes, "FPGAs without links (default 1)")->check(CLI::Range(1, 64))->excludes(topo);
  cmd->add_option("--fault", args->faults,
                  "inject a fault into the in-process twin (repeatable): stuck_bit:addr=A,bit=B[,value=V][,node=N], "
                  "dead_link:link=L|node=N, lossy_link:link=L|node=N[,ber=X]");
  cmd->add_option("--firmware", args->firmware,
                  "the firmware health kernel to run on every chip (default: this build's health.elf when built; "
                  "none: skip)");
  cmd->add_flag("--json", args->json, "print the report as JSON instead of text");
  cmd->add_option("--prometheus", args->prometheus, "also write the report as Prometheus text exposition to FILE");
  return {cmd, [args] {
            try {
              return run_health_command(*args);
            } catch (const std::exception& e) {  // the checks could not run: failed, not "degraded"
              std::cerr << "nmtwin health: " << e.what() << "\n";
              return static_cast<int>(apps::HealthStatus::failed);
            }
          }};
}

}  // namespace nmtwin::cli
