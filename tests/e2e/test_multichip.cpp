// End-to-end, two FPGAs with their chips joined back to back by an EXTOLL link:
// systime sync over the global interrupt, a spike routed from chip 0 to chip 1 and
// delivered on its deadline, expired spikes counted, bit errors repaired by the link
// layer, and the quantum not changing anything.
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include "experiment/system_runner.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;
using nmtwin::apps::Experiment;
using nmtwin::sim::InProcessConnection;
using nmtwin::sim::Simulation;

namespace {

constexpr std::uint64_t latency = 40;  // link, cycles

struct Pair {
  Simulation sim;
  InProcessConnection c0{sim, 0}, c1{sim, 1};
  explicit Pair(std::uint64_t quantum = latency, double ber = 0, bool warp = true)
      : sim({.network = nmtwin::extoll::NetworkSpec::pair({.latency_cycles = latency, .bit_error_rate = ber, .seed = 3}),
             .quantum = quantum,
             .warp = warp}) {}
  std::vector<hl::Connection*> fpgas() { return {&c0, &c1}; }
};

// Node 0 routes its executor's spikes (labels 0..15 of split 0) to node 1 as label
// 100 + l through bucket 0 with the given delay; node 1 forwards nothing.
std::vector<Experiment> routing_experiments(unsigned delay, const std::vector<std::uint64_t>& times) {
  Experiment e0, e1;
  e0.duration = e1.duration = 20000;
  const auto reg = [](Experiment& e, std::uint32_t addr, std::uint32_t value) {
    e.writes.push_back({addr, value, ""});
  };
  reg(e0, spec::fpga_reg::node_id, 0);
  reg(e1, spec::fpga_reg::node_id, 1);
  reg(e0, spec::fpga_reg::event_source, 1);
  reg(e0, spec::fpga_reg::router_enable, 1);
  for (unsigned l = 0; l < 16; ++l)
    reg(e0, spec::bus::table_base + l,
        static_cast<std::uint32_t>(spec::layout::RouterEntry{.valid = 1, .bucket = 0, .label = 100 + l}.encode()));
  reg(e0, spec::fpga_reg::bucket_dest(0), 1);
  reg(e0, spec::fpga_reg::bucket_delay(0), delay);
  reg(e0, spec::fpga_reg::bucket_timeout(0), 1);  // pulse timeout 1: a spike leaves at once
  for (std::size_t i = 0; i < times.size(); ++i) e0.sources.push_back({static_cast<std::uint16_t>(i % 16), {times[i]}});
  for (const auto* name : {"events_routed", "packets_sent[0]"})
    for (const auto& r : spec::fpga_reg::all)
      if (r.name == name) e0.reads.push_back({r.addr, name});
  for (const auto* name : {"decoder_events[0]", "delay_events[0]", "delay_loss_expired[0]", "link_packets_received",
                           "link_crc_errors", "link_retransmits"})
    for (const auto& r : spec::fpga_reg::all)
      if (r.name == name) e1.reads.push_back({r.addr, name});
  return {e0, e1};
}

struct Outcome {
  nmtwin::apps::SystemRunResult result;
  std::vector<nmtwin::sim::ChipModel::InputEvent> chip1_inputs;
};

Outcome run(Pair& p, unsigned delay, const std::vector<std::uint64_t>& times) {
  const auto exps = routing_experiments(delay, times);
  const std::uint64_t gi_latency[] = {0, latency};
  Outcome o{nmtwin::apps::run_system(p.fpgas(), exps, gi_latency, 0, nmtwin::apps::SpikeAccounting::in_process(p.sim)), p.sim.node(1).chip().input_log()};
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(systime_sync_makes_both_fpgas_agree) {
  Pair p;
  p.sim.run(12345);  // the nodes' systimes differ by nothing here, so offset node 1 first
  const auto exps = routing_experiments(200, {});
  const std::uint64_t gi_latency[] = {0, latency};
  const auto r = nmtwin::apps::run_system(p.fpgas(), exps, gi_latency, 0, nmtwin::apps::SpikeAccounting::in_process(p.sim));
  BOOST_TEST(r.start_systime[0] == r.start_systime[1]);
}

BOOST_AUTO_TEST_CASE(a_spike_reaches_the_other_chip_exactly_at_send_time_plus_delay) {
  Pair p;
  const unsigned delay = 300;
  const auto o = run(p, delay, {1000});
  BOOST_REQUIRE_EQUAL(o.chip1_inputs.size(), 1u);
  BOOST_TEST(o.chip1_inputs[0].label == 100u);
  // The executor injects label 0 on timer 1000 (systime start + 1000); it enters the
  // bucket 2 cycles later, so its deadline is start + 1002 + delay; released on that
  // cycle, it reaches the chip spike_in_latency later.
  const std::uint64_t start = o.result.start_systime[1];
  BOOST_TEST(o.chip1_inputs[0].time == start + 1000 + 2 + delay + spec::timing::spike_in_latency);
  BOOST_TEST(o.result.reads[0][0] == 1u);  // events_routed
  BOOST_TEST(o.result.reads[0][1] == 1u);  // packets_sent[0]
  BOOST_TEST(o.result.reads[1][0] == 1u);  // decoder_events[0]
  BOOST_TEST(o.result.reads[1][1] == 1u);  // delay_events[0]
  BOOST_TEST(o.result.reads[1][2] == 0u);  // expired
}

BOOST_AUTO_TEST_CASE(a_delay_shorter_than_the_path_expires_and_is_counted) {
  Pair p;
  const auto o = run(p, 20, {1000, 1500});
  BOOST_TEST(o.chip1_inputs.empty());
  BOOST_TEST(o.result.reads[1][0] == 2u);  // decoded
  BOOST_TEST(o.result.reads[1][2] == 2u);  // expired: sent = delivered + dropped
}

BOOST_AUTO_TEST_CASE(bit_errors_lose_no_spike_and_are_counted) {
  // A bit-error rate far above the hardware's makes the link layer work hard: every
  // spike still arrives, once, and the CRC errors and retransmissions are counted.
  Pair p(latency, 5e-4);
  std::vector<std::uint64_t> times;
  for (unsigned i = 0; i < 300; ++i) times.push_back(1000 + 37 * i);
  const auto o = run(p, 1023, times);
  BOOST_TEST(o.chip1_inputs.size() == times.size());
  BOOST_TEST(o.result.reads[1][1] == times.size());  // delay_events
  BOOST_TEST(o.result.reads[1][2] == 0u);            // none expired
  BOOST_TEST(o.result.reads[1][4] > 0u);             // link_crc_errors
  BOOST_TEST(o.result.reads[1][4] <= p.sim.link(0).stats().corrupted_words);
  for (std::size_t i = 0; i < o.chip1_inputs.size(); ++i) BOOST_TEST(o.chip1_inputs[i].label == 100 + i % 16);
}

BOOST_AUTO_TEST_CASE(the_hardware_bit_error_rate_loses_nothing_and_its_repairs_are_counted) {
  // 1e-6 per bit: 12 000 spikes, one packet each (3 words), put some 2.3 million bits
  // on the wire, so a few packets need retransmission.
  Pair p(latency, 1e-6);
  std::vector<std::uint64_t> times;
  for (unsigned i = 0; i < 12000; ++i) times.push_back(1000 + 37 * i);
  auto exps = routing_experiments(1023, times);
  for (auto& e : exps) e.duration = times.back() + 20000;
  const std::uint64_t gi_latency[] = {0, latency};
  const auto r = nmtwin::apps::run_system(p.fpgas(), exps, gi_latency, 0, nmtwin::apps::SpikeAccounting::in_process(p.sim));
  BOOST_TEST(p.sim.node(1).chip().input_log().size() == times.size());
  BOOST_TEST(r.reads[1][1] == times.size());  // delay_events
  BOOST_TEST(r.reads[1][2] == 0u);            // none expired
  BOOST_TEST(p.sim.link(0).stats().corrupted_words > 0u);
  BOOST_TEST(r.reads[1][4] > 0u);  // link_crc_errors
  BOOST_TEST(r.reads[1][4] <= p.sim.link(0).stats().corrupted_words);
}

BOOST_AUTO_TEST_CASE(sent_equals_delivered_plus_dropped_when_deadlines_are_tight) {
  Pair p(latency, 2e-3);  // retransmissions push some spikes past a short deadline
  std::vector<std::uint64_t> times;
  for (unsigned i = 0; i < 300; ++i) times.push_back(1000 + 37 * i);
  const auto o = run(p, 400, times);
  BOOST_TEST(o.result.reads[1][2] > 0u);
  BOOST_TEST(o.result.reads[1][1] + o.result.reads[1][2] == times.size());
  BOOST_TEST(o.chip1_inputs.size() == o.result.reads[1][1]);
}

BOOST_AUTO_TEST_CASE(the_quantum_changes_nothing) {
  std::vector<std::uint64_t> times;
  for (unsigned i = 0; i < 50; ++i) times.push_back(1000 + 101 * i);
  // Quantum 1 and the largest exact quantum, each with warp (the default), and the
  // largest stepping every cycle (warp off): one run.
  Pair exact(1), coarse(latency), stepped(latency, 0, false);
  const auto a = run(exact, 400, times), b = run(coarse, 400, times), c = run(stepped, 400, times);
  for (const auto* x : {&b, &c}) {
    BOOST_REQUIRE_EQUAL(a.chip1_inputs.size(), x->chip1_inputs.size());
    for (std::size_t i = 0; i < a.chip1_inputs.size(); ++i) {
      BOOST_TEST(a.chip1_inputs[i].time == x->chip1_inputs[i].time);
      BOOST_TEST(a.chip1_inputs[i].label == x->chip1_inputs[i].label);
    }
    BOOST_TEST(a.result.reads == x->result.reads);
    BOOST_TEST(a.result.start_systime == x->result.start_systime);
  }
  BOOST_TEST(coarse.sim.node(1).warped_cycles() > 0u);
  BOOST_TEST(stepped.sim.node(1).warped_cycles() == 0u);
}
