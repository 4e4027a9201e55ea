// nmtwin sim: serves simulated FPGAs over UDP with the hardware's ARQ protocol; the
// server itself is sim/host/sim_server.

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "experiment/ranks.hpp"
#include "experiment/topology_file.hpp"
#include "sim/host/sim_server.hpp"

namespace nmtwin::cli {

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

// Only async-signal-safe calls here: write and _exit.
void say(const char* text) { [[maybe_unused]] const auto n = ::write(STDERR_FILENO, text, std::strlen(text)); }

extern "C" void request_stop(int signal) {
  if (stop_requested.exchange(true)) {
    say("nmtwin sim: a second signal: stopping at once, without statistics\n");
    ::_exit(128 + signal);
  }
  say(signal == SIGINT ? "nmtwin sim: SIGINT: stopping, statistics follow (a second signal stops at once)\n"
                       : "nmtwin sim: SIGTERM: stopping, statistics follow (a second signal stops at once)\n");
}

// SIGINT/SIGTERM end the server loop cleanly (statistics printed, traces flushed); a
// second one ends the process at once (exit status 128 + its number, as a shell reports
// a process killed by it).
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct SimArgs {
  sim::SimServerOptions server;
  unsigned nodes = 1;
  std::string topology;
  bool warp = false;
  std::string trace;
  std::string fw_log;
  WaveArgs waves;
  std::vector<std::string> faults;
};

}  // namespace

Command add_sim(CLI::App& app) {
  auto args = std::make_shared<SimArgs>();
  auto& server = args->server;
  auto* cmd = app.add_subcommand("sim", "serve simulated FPGAs over UDP (ARQ), as hardware is reached");
  cmd->add_option("--bind", server.bind_address,
                  "address to listen on (default 127.0.0.1: this host only; 0.0.0.0: every interface. The protocol has "
                  "no authentication: whoever reaches the ports can drive the FPGAs)");
  cmd->add_option("--port", server.port,
                  "data port of node 0 (default 5000); its reset port is PORT+1, node i uses PORT+2i "
                  "(0: a free block of ports, printed)")
      ->check(CLI::Range(0, 65534));
  // The same limit as every topology's (experiment/topology_file.hpp, docs/topology.md).
  auto* nodes_opt = cmd->add_option("--nodes", args->nodes, "number of simulated FPGAs, without links (default 1)")
                        ->check(CLI::Range(1u, apps::max_system_nodes));
  cmd->add_option("--topology", args->topology,
                  "the system to serve: a topology file or pair, ringN, torusXxYxZ (docs/topology.md)")
      ->excludes(nodes_opt);
  cmd->add_option("--quantum", server.quantum,
                  "FPGA cycles per scheduling quantum: host datagrams enter at its edges (default 64)")
      ->check(CLI::Range(1, 1 << 20));
  cmd->add_option("--ack-delay-cycles", server.ack_delay_cycles,
                                    "FPGA cycles before a delivery is acknowledged alone (default: about 250 us of "
                                    "wall time at the server's measured speed, 16 to 512 cycles; 62500, the "
                                    "hardware's 500 us, outlasts a host's 1 ms timeout at simulation speed; "
                                    "docs/protocol.md)")
      ->check(CLI::Range(1, 62500));
  cmd->add_option("--impair", server.impairment,
                  "impair datagrams in both directions, e.g. loss=0.05,dup=0.02,reorder=0.02,seed=7");
  cmd->add_option("--fault", args->faults,
                  "inject a fault (repeatable; docs/health.md): stuck_bit:addr=A,bit=B[,value=V][,node=N], "
                  "dead_link:link=L|node=N, lossy_link:link=L|node=N[,ber=X]");
  cmd->add_option("--pcap", server.pcap, "write every datagram to FILE (pcap, readable by tshark/Wireshark)");
  cmd->add_option("--trace", args->trace, "write Verilator waveforms of node 0's FPGA to FILE.fst (or .vcd)");
  args->waves.add_to(*cmd, "trace", "--trace FILE");
  cmd->add_option("--fw-log", args->fw_log, "write node 0's processor commit log (Spike format) to FILE");
  cmd->add_flag("--warp", args->warp,
                "warp through waits over UDP too (off by default: warped, simulated time can run ahead of the host, "
                "whose next instructions then arrive late in simulated time; docs/performance.md, \"Warp\")");
  cmd->add_flag("--exclusive", server.exclusive,
                "refuse a reset from another host while a session is active (its host heard from in the last 5 s); "
                "by default a reset takes the link over, as on hardware (docs/server.md)");
  cmd->add_flag("--exit-with-parent", server.exit_with_parent,
                "stop when the process that started the server ends (scripts/ci-gate)");
  return {cmd, [args] {
            auto& o = args->server;
            o.system = {.network = extoll::NetworkSpec::unlinked(args->nodes), .quantum = o.quantum};
            std::optional<apps::TopologyFile> topology;
            if (!args->topology.empty()) {
              topology = apps::find_topology(args->topology);
              o.system = apps::simulation_config(*topology);
            }
            o.system.warp = args->warp && sim::warp_by_default();  // --no-warp wins
            for (const auto& f : args->faults) o.system.faults.push_back(sim::parse_fault(f));
            o.describe_network = !args->topology.empty();
            const auto waves = args->waves.get(!args->trace.empty());
            // A trigger needs a run that can be repeated: a server's runs come from its clients.
            if (waves.trigger != sim::TraceTrigger::none)
              throw CLI::ValidationError("--trace-trigger", "works with nmtwin run and regress, not with a server");
            if (!args->trace.empty()) o.trace = waves.window(args->trace);
            o.fw_log = args->fw_log;
            // Under mpirun every rank serves its own nodes' ports (docs/scaleout.md).
            apps::split_over_ranks(o.system, topology ? &*topology : nullptr);
            install_stop_handlers();
            sim::run_sim_server(o, stop_requested, std::cout);
            return 0;
          }};
}

}  // namespace nmtwin::cli
