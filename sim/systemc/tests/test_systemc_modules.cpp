// The SystemC modules from a user's sc_main: two FPGAs with behavioural chip modules on
// a ring of two switches (Fpga, BehaviouralChip, Switch, Link, HostThread, HostLink).
// A host program on each FPGA reads and writes chip registers and measures the round
// trip to its switch; the same program on the fast path (sim::Simulation, same
// network) must give the same values.  A third FPGA checks the chip link's timing.
// Exits non-zero naming every mismatch.

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <systemc>
#include <vector>

#include "extoll/network.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"
#include "sim/systemc/behavioural_chip.hpp"
#include "sim/systemc/fpga.hpp"
#include "sim/systemc/host_link.hpp"
#include "sim/systemc/host_thread.hpp"
#include "sim/systemc/link.hpp"
#include "sim/systemc/switch.hpp"

namespace spec = nmtwin::spec;
namespace sc = nmtwin::systemc;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    ++failures;
  }
}

nmtwin::extoll::NetworkSpec ring() {
  return nmtwin::extoll::NetworkSpec::torus({2, 1, 1}, {.latency_cycles = 24, .bits_per_cycle = 50}, 16);
}

constexpr std::uint32_t neuron3_tau_m = spec::chip::bus_addr(spec::chip::neuron::addr(3, spec::chip::neuron::tau_m_ns));

// What a node answers: a chip register written and read back, the chip id, the round trip
// of a link latency measurement.
std::vector<std::uint32_t> answers(nmtwin::hostlink::Connection& connection) {
  nmtwin::hostlink::Program p;
  p.write(neuron3_tau_m, 12345);
  auto tau = p.read(neuron3_tau_m);
  auto id = p.read(spec::chip::bus_addr(spec::chip::chip_id));
  p.timer_reset();
  p.write(spec::fpga_reg::gi_control, 2);
  p.wait_until(2000);
  auto measure = p.read(spec::fpga_reg::gi_measure);
  connection.run(p);
  return {tau.value(), id.value(), measure.value()};
}

void chip_link_timing() {
  const auto at = [](double ns) { return sc_core::sc_time(ns, sc_core::SC_NS); };
  check(sc::cycle_at(at(0)) == 0 && sc::cycle_at(at(7.999)) == 0 && sc::cycle_at(at(8)) == 1, "cycle_at");
  check(sc::fpga_sees_at(at(0)) == 0 && sc::fpga_sees_at(at(3.999)) == 0, "a word before the first sampling point");
  check(sc::fpga_sees_at(at(4)) == 1 && sc::fpga_sees_at(at(8)) == 1 && sc::fpga_sees_at(at(11.999)) == 1,
        "a word at or after the sampling point is seen in the next cycle");
}

// A chip module that sends one spike_out at the rising edge of cycle `at` and checks
// the FPGA's view: the RTL takes it in cycle `at` itself (as the fast path's node takes
// its built-in model's spike of that cycle), not before.
struct SpikeProbe : sc_core::sc_module {
  tlm_utils::simple_target_socket<SpikeProbe, sc::chip_link_width> chip_down{"chip_down"};
  tlm_utils::simple_initiator_socket<SpikeProbe, sc::chip_link_width> chip_up{"chip_up"};
  SC_HAS_PROCESS(SpikeProbe);
  SpikeProbe(const sc_core::sc_module_name& name, sc::Fpga& fpga, std::uint64_t at)
      : sc_core::sc_module(name), fpga_(fpga), at_(at) {
    chip_down.register_b_transport(this, &SpikeProbe::b_transport);
    SC_THREAD(run);
  }
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time&) { sc::receive_chip_word(payload); }
  void run() {
    sc_core::wait(sc::cycle_start(at_));
    sc::send_chip_word(chip_up, spec::chip_up::SpikeOut{.label = 7, .timestamp = 0}.encode());
    const auto taken = [&] { return fpga_.node().stats().chip_up_words; };
    check(taken() == 0 && fpga_.node().cycle() == at_, "the spike is not taken before its cycle");
    sc_core::wait(sc::cycle_period());
    check(taken() == 1 && fpga_.node().cycle() == at_ + 1, "a spike sent at the rising edge of cycle c is taken in c");
    done = true;
  }
  bool done = false;
  sc::Fpga& fpga_;
  std::uint64_t at_;
};

}  // namespace

int sc_main(int, char*[]) {
  chip_link_timing();
  const auto network_spec = ring();

  // The fast path first: it brings its own SystemC context and removes it again.
  std::vector<std::vector<std::uint32_t>> expected;
  {
    nmtwin::sim::Simulation fast({.network = network_spec});
    for (unsigned n = 0; n < 2; ++n) {
      nmtwin::sim::InProcessConnection connection(fast, n);
      expected.push_back(answers(connection));
    }
  }

  sc_core::sc_clock clock("clock", sc::cycle_period());
  const nmtwin::extoll::Network routes(network_spec);  // routing tables for the switches
  std::vector<std::unique_ptr<sc::Fpga>> fpgas;
  std::vector<std::unique_ptr<sc::BehaviouralChip>> chips;
  std::vector<std::unique_ptr<sc::Switch>> switches;
  std::vector<std::unique_ptr<sc::Link>> links;
  for (unsigned n = 0; n < 2; ++n) {
    fpgas.push_back(std::make_unique<sc::Fpga>(fmt::format("fpga{}", n).c_str(), n));
    chips.push_back(std::make_unique<sc::BehaviouralChip>(fmt::format("chip{}", n).c_str()));
    fpgas[n]->clk_i(clock);
    fpgas[n]->chip_down.bind(chips[n]->chip_down);
    chips[n]->chip_up.bind(fpgas[n]->chip_up);
  }
  for (std::size_t s = 0; s < routes.switches(); ++s)
    switches.push_back(std::make_unique<sc::Switch>(fmt::format("switch{}", s).c_str(), routes.switch_at(s).config()));
  const auto end = [&](const nmtwin::extoll::LinkEnd& e) -> sc_core::sc_export<sc::LinkEndIf>& {
    return e.is_switch ? switches[e.index]->ports[e.port] : fpgas[e.index]->net;
  };
  for (std::size_t l = 0; l < network_spec.links.size(); ++l) {
    const auto& nl = network_spec.links[l];
    links.push_back(std::make_unique<sc::Link>(fmt::format("link{}", l).c_str(), nl.config));
    links[l]->a.bind(end(nl.a));
    links[l]->b.bind(end(nl.b));
  }

  sc::Fpga probed("probed", 2);
  probed.clk_i(clock);
  SpikeProbe probe("probe", probed, 100);
  probed.chip_down.bind(probe.chip_down);
  probe.chip_up.bind(probed.chip_up);

  sc::register_systemc_scheme();
  std::vector<std::vector<std::uint32_t>> got;
  sc::HostThread host("host", [&] {
    for (unsigned n = 0; n < 2; ++n) got.push_back(answers(*nmtwin::hostlink::connect(fmt::format("systemc:fpga{}", n))));
    bool refused = false;
    try {
      nmtwin::hostlink::connect("systemc:nope");
    } catch (const std::invalid_argument& e) {
      refused = std::string(e.what()).find("no nmtwin::systemc::Fpga module named 'nope'") != std::string::npos;
    }
    check(refused, "systemc:nope is refused naming the module");
  });
  sc_core::sc_start();
  host.rethrow();

  for (unsigned n = 0; n < 2; ++n) {
    check(got[n].at(0) == 12345, fmt::format("node {}: tau_m read back {}", n, got[n].at(0)));
    check(got[n].at(1) == spec::chip::registers[0].reset, fmt::format("node {}: chip_id {:#x}", n, got[n].at(1)));
    check(got[n].at(2) > 2 * 24, fmt::format("node {}: measured round trip {} below twice the link latency", n,
                                              got[n].at(2)));
    check(got[n] == expected[n], fmt::format("node {}: SystemC modules answered {}, the fast path {}", n,
                                             fmt::join(got[n], ","), fmt::join(expected[n], ",")));
  }
  check(chips[0]->model().counters().cfg_writes == 1, "chip0 saw one cfg_write");
  check(probe.done, "the spike probe ran");
  check(links[0]->model().stats().symbols > 0, "link0 carried symbols");
  if (failures == 0) std::printf("ok: SystemC modules answer as the fast path does (round trip %u cycles)\n", got[0][2]);
  return failures == 0 ? 0 : 1;
}
