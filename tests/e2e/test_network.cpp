// End-to-end through switched networks (rings and tori of extoll::Switch): spikes
// routed over several switches arrive on their deadline cycle, late ones expire and
// are counted, multicast reaches every member, bit errors on every link lose
// nothing, systime sync holds on every FPGA, every event is accounted for, and the
// quantum changes nothing; `nmtwin sim --topology` serves every FPGA of a topology
// over UDP with the same results.
// usage (CTest passes it): test_network -- PATH/TO/nmtwin TOPOLOGY.toml
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "experiment/system_runner.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"
#include "sim/trace/system_trace.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/vcd_reader.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;
using nmtwin::apps::Experiment;
using nmtwin::extoll::LinkConfig;
using nmtwin::extoll::NetworkSpec;
using nmtwin::sim::InProcessConnection;
using nmtwin::sim::Simulation;

namespace {

std::uint32_t reg(const std::string& name) { return nmtwin::apps::fpga_register(name).value(); }

// The counters every experiment reads at its end, in this order.
const std::vector<std::string> counters = {"events_routed",      "decoder_events[0]", "delay_events[0]",
                                           "delay_loss_expired[0]", "delay_loss_full[0]", "link_crc_errors",
                                           "link_retransmits"};
enum Counter { routed, decoded, delivered, expired, full, crc_errors, retransmits };

struct System {
  Simulation sim;
  std::vector<std::unique_ptr<InProcessConnection>> connections;
  explicit System(const NetworkSpec& network, std::uint64_t quantum = 0, bool warp = true)
      : sim({.network = network, .quantum = quantum, .warp = warp}) {
    for (unsigned i = 0; i < sim.size(); ++i) connections.push_back(std::make_unique<InProcessConnection>(sim, i));
  }
  nmtwin::apps::SystemRunResult run(const std::vector<Experiment>& experiments) {
    std::vector<hl::Connection*> fpgas;
    for (auto& c : connections) fpgas.push_back(c.get());
    return nmtwin::apps::run_system(fpgas, experiments, sim.network().gi_latency(), sim.network().spec().gi_root,
                                     nmtwin::apps::SpikeAccounting::in_process(sim));
  }
  std::uint64_t counter(const nmtwin::apps::SystemRunResult& r, unsigned node, Counter c) const {
    return r.reads.at(node).at(c);
  }
};

LinkConfig link(double ber = 0, std::uint64_t latency = 32) {
  return {.latency_cycles = latency, .bits_per_cycle = 50, .bit_error_rate = ber, .seed = 11};
}

// Every node gets its id; node i sends executor labels 16*d + k (k < 16) through
// bucket d to node d as label 100 + k, with `delay`; pulse timeout 1 (a packet per spike).
std::vector<Experiment> experiments(unsigned nodes, unsigned delay, std::uint64_t duration) {
  std::vector<Experiment> out(nodes);
  for (unsigned i = 0; i < nodes; ++i) {
    auto& e = out[i];
    e.duration = duration;
    const auto w = [&e](std::uint32_t addr, std::uint64_t value) {
      e.writes.push_back({addr, static_cast<std::uint32_t>(value), ""});
    };
    w(spec::fpga_reg::node_id, i);
    w(spec::fpga_reg::event_source, 1);
    w(spec::fpga_reg::router_enable, 1);
    for (unsigned d = 0; d < nodes && d < spec::net::buckets; ++d) {
      for (unsigned k = 0; k < 16; ++k)
        w(spec::bus::table_base + 16 * d + k, spec::layout::RouterEntry{.valid = 1, .bucket = d, .label = 100 + k}.encode());
      w(spec::fpga_reg::bucket_dest(d), spec::layout::BucketDest{.multicast = 0, .dest = d}.encode());
      w(spec::fpga_reg::bucket_delay(d), delay);
      w(spec::fpga_reg::bucket_timeout(d), 1);
    }
    for (const auto& name : counters) e.reads.push_back({reg(name), name});
  }
  return out;
}

void send(Experiment& e, unsigned dest, const std::vector<std::uint64_t>& times) {
  for (std::size_t i = 0; i < times.size(); ++i)
    e.sources.push_back({static_cast<std::uint16_t>(16 * dest + i % 16), {times[i]}});
}

std::vector<std::uint64_t> every(std::uint64_t first, std::uint64_t step, unsigned count) {
  std::vector<std::uint64_t> t;
  for (unsigned i = 0; i < count; ++i) t.push_back(first + step * i);
  return t;
}

// What node `i`'s chip received over the network (its own executor's spikes reach it too).
std::vector<nmtwin::sim::ChipModel::InputEvent> received(System& s, unsigned i) {
  std::vector<nmtwin::sim::ChipModel::InputEvent> out;
  for (const auto& in : s.sim.node(i).chip().input_log())
    if ((in.label >= 100 && in.label < 116) || in.label == 300) out.push_back(in);
  return out;
}

std::uint64_t sum(const System& s, const nmtwin::apps::SystemRunResult& r, Counter c) {
  std::uint64_t n = 0;
  for (unsigned i = 0; i < s.sim.size(); ++i) n += s.counter(r, i, c);
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_spike_crosses_two_switches_and_arrives_exactly_on_its_deadline) {
  System s(NetworkSpec::torus({4, 1, 1}, link(), 16));
  BOOST_TEST(s.sim.network().hops(0, 2) == 4u);  // node - switch - switch - switch - node
  const unsigned delay = 400;
  auto e = experiments(4, delay, 20000);
  send(e[0], 2, {1000});
  const auto r = s.run(e);
  const auto in = received(s, 2);
  BOOST_REQUIRE_EQUAL(in.size(), 1u);
  BOOST_TEST(in[0].label == 100u);
  // Injected on timer 1000, in the bucket 2 cycles later: deadline = start + 1002 + delay.
  BOOST_TEST(in[0].time == r.start_systime[2] + 1000 + 2 + delay + spec::timing::spike_in_latency);
  BOOST_TEST(s.counter(r, 2, delivered) == 1u);
  BOOST_TEST(s.counter(r, 2, expired) == 0u);
  for (unsigned i : {1u, 3u}) BOOST_TEST(received(s, i).empty());
  BOOST_TEST(s.sim.network().switch_at(1).stats().packets_sent == 1u);  // switch 1 is on the way
}

BOOST_AUTO_TEST_CASE(a_delay_below_the_path_latency_expires_and_is_counted) {
  System s(NetworkSpec::torus({4, 1, 1}, link(), 16));
  auto e = experiments(4, 60, 20000);  // 4 links of 32 cycles alone take 128
  send(e[0], 2, every(1000, 200, 5));
  const auto r = s.run(e);
  BOOST_TEST(received(s, 2).empty());
  BOOST_TEST(s.counter(r, 2, decoded) == 5u);
  BOOST_TEST(s.counter(r, 2, expired) == 5u);
}

BOOST_AUTO_TEST_CASE(multicast_reaches_every_member_on_the_same_cycle) {
  NetworkSpec net = NetworkSpec::torus({2, 2, 1}, link(), 16);
  net.groups.push_back({.group = 500, .members = {1, 2, 3}});
  System s(net);
  auto e = experiments(4, 500, 20000);
  // Node 0's bucket 7 goes to group 500; its label 70 uses it.
  e[0].writes.push_back({spec::bus::table_base + 70,
                         static_cast<std::uint32_t>(spec::layout::RouterEntry{.valid = 1, .bucket = 7, .label = 300}.encode()), ""});
  e[0].writes.push_back({spec::fpga_reg::bucket_dest(7),
                         static_cast<std::uint32_t>(spec::layout::BucketDest{.multicast = 1, .dest = 500}.encode()), ""});
  e[0].writes.push_back({spec::fpga_reg::bucket_delay(7), 500, ""});
  e[0].writes.push_back({spec::fpga_reg::bucket_timeout(7), 1, ""});
  e[0].sources.push_back({70, {1000, 3000}});
  const auto r = s.run(e);
  for (unsigned m : {1u, 2u, 3u}) {
    const auto in = received(s, m);
    BOOST_REQUIRE_EQUAL(in.size(), 2u);
    BOOST_TEST(in[0].label == 300u);
    BOOST_TEST(in[0].time == r.start_systime[m] + 1000 + 2 + 500 + spec::timing::spike_in_latency);
    BOOST_TEST(in[1].time == r.start_systime[m] + 3000 + 2 + 500 + spec::timing::spike_in_latency);
  }
  BOOST_TEST(received(s, 0).empty());  // the sender gets no copy of its own
}

BOOST_AUTO_TEST_CASE(systime_sync_makes_every_fpga_of_a_torus_agree) {
  System s(NetworkSpec::torus({2, 2, 2}, link(), 16));
  const auto r = s.run(experiments(8, 400, 3000));
  for (unsigned i = 1; i < 8; ++i) BOOST_TEST(r.start_systime[i] == r.start_systime[0]);
  // And they still agree at the end, on the same cycle.
  for (unsigned i = 1; i < 8; ++i) BOOST_TEST(s.sim.node(i).systime() == s.sim.node(0).systime());
}

BOOST_AUTO_TEST_CASE(the_hardware_bit_error_rate_on_every_link_loses_nothing) {
  // 1e-6 per bit on all 8 links of a ring of 4; every node sends 2500 spikes to the
  // node opposite (4 links each way): some 8 million bits, a few corrupted packets.
  System s(NetworkSpec::torus({4, 1, 1}, link(1e-6), 16));
  const unsigned count = 2500;
  auto e = experiments(4, 1023, 0);
  for (unsigned i = 0; i < 4; ++i) {
    send(e[i], (i + 2) % 4, every(1000 + 9 * i, 37, count));
    e[i].duration = 1000 + 37 * count + 20000;
  }
  const auto r = s.run(e);
  std::uint64_t corrupted = 0, repaired = 0;
  for (std::size_t l = 0; l < s.sim.network().links(); ++l) corrupted += s.sim.link(l).stats().corrupted_words;
  for (std::size_t w = 0; w < s.sim.network().switches(); ++w) {
    const auto& st = s.sim.network().switch_at(w).stats();
    repaired += st.retransmits;
    BOOST_TEST(st.unroutable_packets == 0u);
  }
  repaired += sum(s, r, retransmits);
  for (unsigned i = 0; i < 4; ++i) {
    BOOST_TEST(received(s, i).size() == count);
    BOOST_TEST(s.counter(r, i, delivered) == count);
    BOOST_TEST(s.counter(r, i, expired) == 0u);
  }
  BOOST_TEST_MESSAGE(fmt::format("corrupted words {}, retransmissions {}", corrupted, repaired));
  BOOST_TEST(corrupted > 0u);
  BOOST_TEST(repaired > 0u);  // retransmissions are counted
}

BOOST_AUTO_TEST_CASE(every_event_sent_is_delivered_or_counted_as_dropped) {
  // A high bit-error rate and tight deadlines: retransmissions make some spikes late.
  System s(NetworkSpec::torus({4, 1, 1}, link(2e-3), 16));
  auto e = experiments(4, 330, 0);
  for (unsigned i = 0; i < 4; ++i) {
    send(e[i], (i + 1 + i % 2) % 4, every(1000 + 5 * i, 41, 300));
    e[i].duration = 1000 + 41 * 300 + 20000;
  }
  const auto r = s.run(e);
  std::uint64_t unroutable = 0;
  for (std::size_t w = 0; w < s.sim.network().switches(); ++w)
    unroutable += s.sim.network().switch_at(w).stats().unroutable_events;
  BOOST_TEST(sum(s, r, expired) > 0u);
  BOOST_TEST(sum(s, r, routed) == 4u * 300);
  BOOST_TEST(sum(s, r, routed) == sum(s, r, delivered) + sum(s, r, expired) + sum(s, r, full) + unroutable);
}

BOOST_AUTO_TEST_CASE(a_destination_without_a_route_is_counted_at_the_switch) {
  System s(NetworkSpec::torus({2, 1, 1}, link(), 16));
  auto e = experiments(2, 400, 10000);
  e[0].writes.push_back({spec::fpga_reg::bucket_dest(1),
                         static_cast<std::uint32_t>(spec::layout::BucketDest{.multicast = 0, .dest = 77}.encode()), ""});
  send(e[0], 1, {1000, 1200, 1400});
  s.run(e);
  const auto& st = s.sim.network().switch_at(0).stats();
  BOOST_TEST(st.unroutable_packets == 3u);
  BOOST_TEST(st.unroutable_events == 3u);
  BOOST_TEST(received(s, 1).empty());
}

BOOST_AUTO_TEST_CASE(the_quantum_changes_nothing_on_a_switched_network) {
  const auto scenario = [](std::uint64_t quantum, bool warp = true) {
    auto s = std::make_unique<System>(NetworkSpec::torus({4, 1, 1}, link(1e-4), 16), quantum, warp);
    auto e = experiments(4, 300, 0);
    for (unsigned i = 0; i < 4; ++i) {
      send(e[i], (i + 1) % 4, every(1000 + 3 * i, 29, 60));
      send(e[i], (i + 2) % 4, every(1010 + 7 * i, 31, 60));
      e[i].duration = 1000 + 31 * 60 + 5000;
    }
    auto r = s->run(e);
    return std::pair{std::move(s), std::move(r)};
  };
  // Quantum 1 and 32 with warp (the default), and 32 stepping every cycle: one run.
  const auto [exact, a] = scenario(1);
  for (const bool warp : {true, false}) {
    const auto [coarse, b] = scenario(32, warp);
    BOOST_TEST(coarse->sim.quantum() == 32u);
    BOOST_TEST((coarse->sim.node(0).warped_cycles() > 0) == warp);
    for (unsigned i = 0; i < 4; ++i) {
      const auto& x = exact->sim.node(i).chip().input_log();
      const auto& y = coarse->sim.node(i).chip().input_log();
      BOOST_REQUIRE_EQUAL(x.size(), y.size());
      for (std::size_t k = 0; k < x.size(); ++k) {
        BOOST_TEST(x[k].time == y[k].time);
        BOOST_TEST(x[k].label == y[k].label);
      }
    }
    BOOST_TEST(a.reads == b.reads);
    BOOST_TEST(a.start_systime == b.start_systime);
    for (std::size_t w = 0; w < 4; ++w) {
      const auto& p = exact->sim.network().switch_at(w).stats();
      const auto& q = coarse->sim.network().switch_at(w).stats();
      BOOST_TEST(p.packets_sent == q.packets_sent);
      BOOST_TEST(p.retransmits == q.retransmits);
      BOOST_TEST(p.crc_errors == q.crc_errors);
    }
  }
}

BOOST_AUTO_TEST_CASE(nmtwin_sim_serves_every_fpga_of_a_topology_with_the_in_process_results) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_REQUIRE_MESSAGE(suite.argc >= 3, "usage: test_network -- PATH/TO/nmtwin TOPOLOGY.toml");
  const std::string binary = suite.argv[suite.argc - 2], topology = suite.argv[suite.argc - 1];
  nmtwin::testsupport::ServerProcess server(binary, {"--topology", topology});
  auto c0 = hl::connect(server.node_url(0)), c1 = hl::connect(server.node_url(1));

  System local(nmtwin::apps::simulation_config(nmtwin::apps::find_topology(topology)).network);
  BOOST_TEST(local.sim.network().switches() == 1u);
  auto e = experiments(2, 400, 20000);
  send(e[0], 1, every(1000, 300, 20));
  send(e[1], 0, every(1100, 300, 20));
  std::vector<hl::Connection*> fpgas{c0.get(), c1.get()};
  const auto over_udp = nmtwin::apps::run_system(fpgas, e, local.sim.network().gi_latency(), 0,
                                                         nmtwin::apps::SpikeAccounting::remote(local.sim.network()));
  const auto in_process = local.run(e);
  for (unsigned i = 0; i < 2; ++i) {
    BOOST_TEST(local.counter(over_udp, i, delivered) == 20u);
    BOOST_TEST(local.counter(over_udp, i, expired) == 0u);
  }
  BOOST_TEST(over_udp.reads == in_process.reads);
  const auto [printed, ok] = server.stop();
  BOOST_TEST(ok, printed);
  BOOST_TEST(printed.find("1 switches, 2 links") != std::string::npos, printed);
}

namespace {

using nmtwin::testsupport::read_vcd;

std::vector<std::uint64_t> rising(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& changes) {
  std::vector<std::uint64_t> r;
  std::uint64_t last = 0;
  for (const auto& [t, v] : changes) {
    if (v && !last) r.push_back(t);
    last = v;
  }
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_system_trace_shows_the_packet_and_lines_up_with_the_rtl_trace) {
  namespace fs = std::filesystem;
  const auto dir = fs::temp_directory_path() / "nmtwin_test_system_trace";
  fs::create_directories(dir);
  System s(NetworkSpec::pair(link()));
  s.sim.open_trace(1, {(dir / "node1.fst").string()});
  nmtwin::sim::SystemTrace trace(s.sim, (dir / "system.vcd").string());
  auto e = experiments(2, 300, 4000);
  send(e[0], 1, {1000});
  s.run(e);
  trace.close();
  s.sim.close_trace(1);
  const auto sys = read_vcd((dir / "system.vcd").string());
  const std::string link01 = "system.link0_node0_to_node1.";
  const auto packets = rising(sys.at(link01 + "valid"));
  BOOST_REQUIRE_EQUAL(packets.size(), 1u);
  BOOST_TEST(sys.at(link01 + "words").back().second == 3u);
  BOOST_TEST(sys.at(link01 + "dest").back().second == 1u);
  BOOST_TEST(rising(sys.at(link01 + "retransmit")).empty());
  const auto flushes = rising(sys.at("system.node0.flush"));
  const auto inputs = rising(sys.at("system.node1.spike_in"));
  BOOST_REQUIRE_EQUAL(flushes.size(), 1u);
  BOOST_REQUIRE_EQUAL(inputs.size(), 1u);
  BOOST_TEST(sys.at("system.node1.spike_in_label").back().second == 100u);
  BOOST_TEST(flushes[0] < packets[0]);
  BOOST_TEST(packets[0] < inputs[0]);
  BOOST_TEST(rising(sys.at("system.node1.drop")).empty());
  // The RTL trace of node 1: the chip link's word to the chip rises on the same picosecond.
  const auto vcd = (dir / "node1.vcd").string();
  BOOST_REQUIRE(std::system(("fst2vcd " + (dir / "node1.fst").string() + " > " + vcd + " 2>/dev/null").c_str()) == 0);
  const auto rtl = rising(read_vcd(vcd).at("node1.chip_tx_valid_o"));
  const bool aligned = std::find(rtl.begin(), rtl.end(), inputs[0]) != rtl.end();
  BOOST_TEST(aligned, "no chip_tx_valid_o edge at " << inputs[0] << " ps");
  fs::remove_all(dir);
}
