// Exact idle warp (docs/performance.md, "Warp"): a run with warp gives the same spikes,
// reads, chip logs, cycle counts and FPGA state (systime, timer base, every counter) as
// the same run stepping every cycle, on the fixed workloads of sim/tests/workloads.hpp;
// and a warp through 10^9 idle cycles ends with the systime stepping would have given; a
// waveform written from a warped run has the same value at every cycle as one written
// from a stepped run (warps stop at the waveform's window).
//
// Gating (docs/rtl.md "Gating"): a stepped run that leaves out the edges of busy_clk_i
// where the FPGA only counts writes, on every node, waveforms with every traced FPGA and
// processor signal equal at every cycle to those of a run that gives every edge, and the
// same record: the gated registers hold exactly what they would have held.  (The clock
// inputs too: the waveform shows busy_clk_i's edges, which Verilator does not see.)
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"
#include "sim/tests/workloads.hpp"
#include "tests/support/vcd_reader.hpp"

namespace workload = nmtwin::sim::workload;
namespace spec = nmtwin::spec;
using nmtwin::sim::Simulation;
using nmtwin::sim::SimulationConfig;

namespace {

struct Run {
  std::string record;
  std::uint64_t warped = 0;  ///< cycles the nodes warped through, summed
};

// Observed: every node also records its counter events and error responses (Node::observe,
// what trace triggers use), which go into the record.
template <class Workload>
Run run(bool warp, SimulationConfig config, Workload workload, bool observed) {
  config.warp = warp;
  Simulation sim(config);
  for (unsigned i = 0; i < sim.size(); ++i) sim.node(i).observe(observed);
  Run r{workload(sim).record};
  for (unsigned i = 0; i < sim.size(); ++i) r.record += workload::fpga_state(sim, i);
  for (unsigned i = 0; i < sim.size(); ++i) {
    r.warped += sim.node(i).warped_cycles();
    std::vector<nmtwin::sim::ObservedEvent> events;
    sim.node(i).take_observed(events);
    for (const auto& e : events) r.record += fmt::format("node {} event {} {:x} {}\n", i, e.cycle, e.counters, e.error);
  }
  return r;
}

// Equal records both ways, and the warped run really warped (a share of its cycles).
template <class Workload>
void same_with_and_without_warp(const SimulationConfig& config, Workload workload, std::uint64_t min_warped,
                                bool observed = false) {
  const Run stepped = run(false, config, workload, observed), warped = run(true, config, workload, observed);
  if (observed) BOOST_TEST(stepped.record.find(" event ") != std::string::npos);
  BOOST_TEST(stepped.warped == 0u);
  BOOST_TEST(warped.warped >= min_warped);
  BOOST_TEST((stepped.record == warped.record));
  if (stepped.record != warped.record) BOOST_TEST_MESSAGE("stepped:\n" << stepped.record << "warped:\n" << warped.record);
}

// Five spikes to the router, which has no entry for them: each is dropped and counted.
nmtwin::hostlink::Program dropped_spikes() {
  nmtwin::hostlink::Program p;
  p.write(spec::fpga_reg::event_source, 1);
  p.write(spec::fpga_reg::router_enable, 1);
  p.timer_reset();
  for (std::uint64_t t = 1'000; t <= 5'000; t += 1'000) {
    p.wait_until(t);
    p.spike(4);
  }
  return p;
}

// Both ways stepped (warp off), every node traced from its first cycle to its last.
template <class Workload>
void same_waveforms_with_and_without_gating(SimulationConfig config, Workload workload, std::uint64_t min_gated) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("nmtwin_test_gating_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  config.warp = false;
  std::string record[2];
  std::uint64_t gated[2] = {0, 0};
  std::vector<nmtwin::testsupport::VcdChanges> waves[2];
  for (const bool gating : {false, true}) {
    Simulation sim(config);
    for (unsigned i = 0; i < sim.size(); ++i) {
      sim.node(i).set_gating(gating);
      sim.open_trace(i, {.path = (dir / fmt::format("node{}_{}.vcd", i, gating)).string()});
    }
    record[gating] = workload(sim).record;
    for (unsigned i = 0; i < sim.size(); ++i) record[gating] += workload::fpga_state(sim, i);
    for (unsigned i = 0; i < sim.size(); ++i) {
      sim.close_trace(i);
      gated[gating] += sim.node(i).gated_cycles();
      waves[gating].push_back(nmtwin::testsupport::read_vcd((dir / fmt::format("node{}_{}.vcd", i, gating)).string()));
    }
  }
  fs::remove_all(dir);
  BOOST_TEST(gated[0] == 0u);
  BOOST_TEST(gated[1] >= min_gated);
  BOOST_TEST((record[0] == record[1]));
  for (std::size_t i = 0; i < waves[0].size(); ++i) {
    BOOST_TEST(waves[0][i].size() > 100u);
    BOOST_TEST((waves[0][i] == waves[1][i]), "node " << i);
    for (const auto& [name, changes] : waves[0][i]) {
      const auto it = waves[1][i].find(name);
      if (it == waves[1][i].end() || it->second != changes) {
        BOOST_TEST_MESSAGE("node " << i << ": first signal that differs: " << name);
        break;
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(running_processor_and_spikes) {
  // The FPGA waits between the spikes while the processor runs: the processor steps, the FPGA warps.
  same_with_and_without_warp({}, [](Simulation& s) { return workload::processor_and_spikes(s, 40'000); }, 10'000);
}

BOOST_AUTO_TEST_CASE(idle_node) {
  same_with_and_without_warp({}, [](Simulation& s) { return workload::idle(s, 200'000); }, 100'000);
}

BOOST_AUTO_TEST_CASE(ring_of_nodes) {
  same_with_and_without_warp({.network = workload::ring_network(), .quantum = 0, .threads = 1, .processors = false},
                             [](Simulation& s) { return workload::ring(s, 20'000); }, 1'000);
}

BOOST_AUTO_TEST_CASE(ring_of_nodes_on_two_threads) {
  same_with_and_without_warp({.network = workload::ring_network(), .quantum = 0, .threads = 2, .processors = false},
                             [](Simulation& s) {
                               auto out = workload::ring(s, 20'000);
                               s.run(100'000);  // all idle: the system jumps whole quanta
                               return out;
                             },
                             50'000);
}

BOOST_AUTO_TEST_CASE(observed_events) {
  // What trace triggers see: the ring's packet, bucket and router events.
  same_with_and_without_warp({.network = workload::ring_network(), .quantum = 0, .threads = 1, .processors = false},
                             [](Simulation& s) { return workload::ring(s, 20'000); }, 1'000, true);
  // A spike the router has no entry for: dropped and counted in the cycles before the FPGA
  // falls idle (the trace trigger "drop" looks for exactly this, tests/cli/drop_event.toml).
  same_with_and_without_warp({},
                             [](Simulation& s) {
                               nmtwin::sim::InProcessConnection connection(s);
                               auto p = dropped_spikes();
                               connection.run(p);
                               s.run(10'000);
                               return workload::Outcome{};
                             },
                             5'000, true);
}

BOOST_AUTO_TEST_CASE(a_billion_idle_cycles) {
  Simulation sim;
  auto& node = sim.node(0);
  const std::uint64_t offset = node.cycle() - node.systime();
  const std::uint64_t before = node.cycle();
  sim.run(1'000'000'000);
  BOOST_TEST(node.cycle() >= before + 1'000'000'000);
  BOOST_TEST(node.systime() == node.cycle() - offset);
  BOOST_TEST(node.warped_cycles() >= 999'000'000u);
  // The host reads the systime the stepped FPGA would show on the read's cycle.
  nmtwin::sim::InProcessConnection connection(sim);
  nmtwin::hostlink::Program p;
  const auto lo = p.read(spec::fpga_reg::systime_lo);
  const auto hi = p.read(spec::fpga_reg::systime_hi);
  const std::uint64_t start = node.systime();
  connection.run(p);
  const std::uint64_t read = std::uint64_t{hi.value()} << 32 | lo.value();
  BOOST_TEST(read >= start);
  BOOST_TEST(read <= node.systime());
  BOOST_TEST(read > 1'000'000'000u);
}

BOOST_AUTO_TEST_CASE(waveform_from_a_warped_run) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("nmtwin_test_warp_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // Cycles 30 000 .. 33 000 of the spike workload (the handshake and the program's
  // start come before), and systime 36 000 .. 37 000 of a second run.
  const auto wave = [&](bool warp, bool systime_window) {
    const std::string path = (dir / fmt::format("{}{}.vcd", warp ? "warp" : "step", systime_window)).string();
    SimulationConfig config;
    config.warp = warp;
    Simulation sim(config);
    nmtwin::sim::TraceOptions options{.path = path};
    if (systime_window) {
      options.start_cycle = 36'000;
      options.end_cycle = 37'000;
      options.systime_window = true;
    } else {
      options.around(31'000, 1'000, 2'000);
    }
    sim.open_trace(0, options);
    workload::processor_and_spikes(sim, 40'000);
    sim.close_trace(0);
    if (warp) BOOST_TEST(sim.node(0).warped_cycles() > 10'000u);
    return nmtwin::testsupport::read_vcd(path);
  };
  for (const bool systime_window : {false, true}) {
    const auto stepped = wave(false, systime_window), warped = wave(true, systime_window);
    BOOST_TEST(stepped.size() > 100u);
    // Every cycle of the window is in the file: systime changes on each.
    const auto& systime = stepped.at("node0.systime_o");
    BOOST_TEST(systime.size() >= (systime_window ? 1'000u : 3'000u));
    BOOST_TEST((stepped == warped), "window in " << (systime_window ? "systime" : "cycles"));
    for (const auto& [name, changes] : stepped) {
      const auto it = warped.find(name);
      if (it == warped.end() || it->second != changes) {
        BOOST_TEST_MESSAGE("first signal that differs: " << name);
        break;
      }
    }
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(gating_with_a_running_processor_and_spikes) {
  same_waveforms_with_and_without_gating({}, [](Simulation& s) { return workload::processor_and_spikes(s, 12'000); },
                                         4'000);
}

BOOST_AUTO_TEST_CASE(gating_on_a_ring_of_nodes) {
  same_waveforms_with_and_without_gating(
      {.network = workload::ring_network(), .quantum = 0, .threads = 1, .processors = false},
      [](Simulation& s) {
        auto out = workload::ring(s, 8'000);
        s.run(3'000);  // the buckets' timeouts, the links' acknowledgements, then idle
        return out;
      },
      4'000);
}

BOOST_AUTO_TEST_CASE(gating_with_dropped_spikes_and_an_idle_host) {
  same_waveforms_with_and_without_gating({},
                                         [](Simulation& s) {
                                           nmtwin::sim::InProcessConnection connection(s);
                                           auto p = dropped_spikes();
                                           const auto r = p.read(spec::fpga_reg::systime_lo);
                                           connection.run(p);
                                           s.run(20'000);  // the ARQ engine's delayed ACK and flush
                                           return workload::Outcome{.record = fmt::format("{}\n", r.value())};
                                         },
                                         10'000);
}
