// nmtwin health's checks (experiment/health) on in-process twins: a healthy one passes
// every check, each injected fault (sim/fault.hpp) is named by the check it breaks with
// the right status, the firmware health kernel runs where given, and the Prometheus text
// is valid exposition format (tests/support/prometheus_format.hpp, checked strictly
// against the format's specification).
//
// usage: test_health_checks -- FIRMWARE_DIR
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "experiment/health.hpp"
#include "experiment/spike_ledger.hpp"
#include "tests/support/prometheus_format.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/simulation.hpp"

using namespace nmtwin::apps;
using nmtwin::extoll::NetworkSpec;
using nmtwin::sim::parse_fault;

namespace {

HealthReport health(const NetworkSpec& network, const std::vector<std::string>& faults, std::string elf = {}) {
  nmtwin::sim::SimulationConfig config{.network = network};
  for (const auto& f : faults) config.faults.push_back(parse_fault(f));
  nmtwin::sim::Simulation sim(config);
  std::vector<std::unique_ptr<nmtwin::sim::InProcessConnection>> c;
  std::vector<nmtwin::hostlink::Connection*> fpgas;
  for (unsigned i = 0; i < sim.size(); ++i) {
    c.push_back(std::make_unique<nmtwin::sim::InProcessConnection>(sim, i));
    fpgas.push_back(c.back().get());
  }
  HealthOptions o;
  o.network = network;
  o.unroutable = [&sim] { return sim.unroutable_events(); };
  o.firmware_elf = std::move(elf);
  return run_health(fpgas, o);
}

const HealthCheck& find(const HealthReport& r, unsigned node, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.node == node && c.name == name) return c;
  BOOST_FAIL("no check " + name + " for node " + std::to_string(node));
  throw std::logic_error("unreachable");
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string firmware_dir() {
  const auto& args = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(args.argc == 2, "usage: test_health_checks -- FIRMWARE_DIR");
  return args.argv[1];
}

void valid_prometheus(const HealthReport& r) {
  const auto text = health_prometheus(r);
  const auto problems = nmtwin::testsupport::prometheus_problems(text);
  BOOST_TEST(problems.empty(), text << "\n" << (problems.empty() ? "" : problems.front()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_healthy_pair_passes_every_check) {
  const auto r = health(NetworkSpec::pair({}), {});
  for (const auto& c : r.checks) {
    BOOST_TEST_INFO("node " << c.node << " " << c.name << ": " << c.summary);
    BOOST_TEST((c.status == HealthStatus::healthy));
    BOOST_TEST(c.skipped == (c.name == "firmware"));
  }
  for (unsigned node : {0u, 1u})
    for (const char* name : {"register_patterns", "counters", "systime", "chip_link", "extoll_link", "arq"})
      BOOST_TEST(!find(r, node, name).skipped);
  BOOST_TEST(has(find(r, 1, "extoll_link").summary, "32 packets sent, 32 received"));
  BOOST_TEST((r.status() == HealthStatus::healthy));
  valid_prometheus(r);
}

BOOST_AUTO_TEST_CASE(a_single_node_has_no_link_to_check) {
  const auto r = health(NetworkSpec::unlinked(1), {});
  BOOST_TEST(find(r, 0, "extoll_link").skipped);
  BOOST_TEST((r.status() == HealthStatus::healthy));
}

BOOST_AUTO_TEST_CASE(a_stuck_register_bit_is_named_and_fails) {
  // neuron[0].output is chip word 0x010008: bit 5 stuck at 1 on node 1.
  const auto r = health(NetworkSpec::pair({}), {"stuck_bit:addr=0x010008,bit=5,value=1,node=1"});
  const auto& c = find(r, 1, "register_patterns");
  BOOST_TEST_INFO(c.summary);
  BOOST_TEST((c.status == HealthStatus::failed));
  BOOST_TEST(has(c.summary, "chip neuron[0].output (0x80010008): bit(s) 5 stuck at 1"));
  BOOST_TEST((find(r, 0, "register_patterns").status == HealthStatus::healthy));
  BOOST_TEST((r.status() == HealthStatus::failed));
  const auto r0 = health(NetworkSpec::unlinked(1), {"stuck_bit:addr=0x010008,bit=30,value=0"});
  BOOST_TEST(has(find(r0, 0, "register_patterns").summary, "bit(s) 30 stuck at 0"));
  valid_prometheus(r);
}

BOOST_AUTO_TEST_CASE(a_dead_link_is_named_and_fails) {
  const auto r = health(NetworkSpec::pair({}), {"dead_link:link=0"});
  for (unsigned node : {0u, 1u}) {
    const auto& c = find(r, node, "extoll_link");
    BOOST_TEST_INFO(c.summary);
    BOOST_TEST((c.status == HealthStatus::failed));
    BOOST_TEST(has(c.summary, "link down: no packet received"));
  }
  BOOST_TEST((find(r, 0, "register_patterns").status == HealthStatus::healthy));
  BOOST_TEST((r.status() == HealthStatus::failed));
  valid_prometheus(r);
}

BOOST_AUTO_TEST_CASE(a_dead_link_on_a_ring_names_only_its_node) {
  const auto net = NetworkSpec::torus({4, 1, 1}, {}, 16);
  const auto r = health(net, {"dead_link:node=2"});
  BOOST_TEST((find(r, 2, "extoll_link").status == HealthStatus::failed));
  for (unsigned node : {0u, 1u, 3u}) BOOST_TEST((find(r, node, "extoll_link").status == HealthStatus::healthy));
}

BOOST_AUTO_TEST_CASE(a_lossy_link_is_named_and_degrades) {
  const auto r = health(NetworkSpec::pair({}), {"lossy_link:link=0,ber=2e-3"});
  bool named = false;
  for (unsigned node : {0u, 1u}) {
    const auto& c = find(r, node, "extoll_link");
    BOOST_TEST_INFO(c.summary);
    BOOST_TEST((c.status != HealthStatus::failed));
    named = named || (c.status == HealthStatus::degraded && has(c.summary, "lossy link:"));
  }
  BOOST_TEST(named);
  BOOST_TEST((r.status() == HealthStatus::degraded));  // lossless after retransmission: degraded, not failed
  valid_prometheus(r);
}

BOOST_AUTO_TEST_CASE(the_firmware_health_kernel_runs_where_given) {
  const auto r = health(NetworkSpec::unlinked(1), {}, firmware_dir() + "/health.elf");
  const auto& c = find(r, 0, "firmware");
  BOOST_TEST_INFO(c.summary);
  BOOST_TEST(!c.skipped);
  BOOST_TEST((c.status == HealthStatus::healthy));
  BOOST_TEST(has(c.summary, "health kernel: healthy"));
}

BOOST_AUTO_TEST_CASE(bad_fault_specs_are_refused_with_the_spec_named) {
  for (const std::string bad : {"stuck_bit", "stuck_bit:addr=0x10008", "stuck_bit:addr=zz,bit=1", "stuck_bit:addr=8,bit=40",
                                "dead_link", "dead_link:link=0,node=1", "lossy_link:link=0,ber=2", "melted:link=0",
                                "lossy_link:link=0,speed=3", "dead_link:link"}) {
    try {
      parse_fault(bad);
      BOOST_ERROR("accepted: " + bad);
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(has(e.what(), "--fault '" + bad + "'"), e.what());
      BOOST_TEST(has(e.what(), "the forms are"), e.what());
    }
  }
  // Parsed, but not in this system: named when the simulation is built.
  BOOST_CHECK_THROW(health(NetworkSpec::pair({}), {"dead_link:link=3"}), std::invalid_argument);
  BOOST_CHECK_THROW(health(NetworkSpec::unlinked(1), {"dead_link:node=0"}), std::invalid_argument);
  BOOST_CHECK_THROW(health(NetworkSpec::unlinked(1), {"stuck_bit:addr=0,bit=1"}), std::invalid_argument);  // chip_id is ro
}
