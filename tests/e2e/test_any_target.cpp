// One test binary, any target: everything here goes through hostlink::connect_from_env,
// so it runs against the in-process simulator (default, `sim:`), a `nmtwin sim` on
// loopback or an FPGA:
//   NMTWIN_TARGET=udp://127.0.0.1:5000 test_any_target
//   test_any_target -- --spawn PATH/TO/nmtwin   (starts `nmtwin sim` and targets it)
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>
#include <string>

#include "nmtwin/connect.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "tests/support/server_process.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;

namespace {

std::uint32_t neuron_reg(unsigned n, std::uint32_t field) {
  return spec::chip::bus_addr(spec::chip::neuron::addr(n, field));
}

// Registers sim:, and with `--spawn NMTWIN` starts a server and points NMTWIN_TARGET at it.
struct Target {
  std::unique_ptr<nmtwin::testsupport::ServerProcess> server;
  Target() {
    nmtwin::sim::register_sim_scheme();
    const auto& suite = boost::unit_test::framework::master_test_suite();
    for (int i = 1; i + 1 < suite.argc; ++i)
      if (std::string(suite.argv[i]) == "--spawn") {
        server = std::make_unique<nmtwin::testsupport::ServerProcess>(suite.argv[i + 1]);
        ::setenv(hl::target_variable, server->url().c_str(), 1);
      }
    const char* target = std::getenv(hl::target_variable);
    BOOST_TEST_MESSAGE("target: " << (target && *target ? target : "sim: (default)"));
  }
};
BOOST_TEST_GLOBAL_FIXTURE(Target);

struct Fixture {
  std::unique_ptr<hl::Connection> connection = hl::connect_from_env("sim:");
  Fixture() {
    hl::Program p;  // a target may have run before: start from known neuron state and counters
    p.write(spec::chip::bus_addr(spec::chip::neuron_reset), 1);
    p.write(spec::fpga_reg::counter_clear, 1);
    connection->run(p);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(reads_return_written_values_matched_by_tag, Fixture) {
  hl::Program p;
  std::vector<std::pair<hl::Ticket, std::uint32_t>> expected;
  for (unsigned n = 0; n < 50; ++n) {
    const auto v = static_cast<std::uint32_t>(-40000 - static_cast<std::int32_t>(n) * 13);
    p.write(spec::fpga_reg::scratch, n * 0x01010101u);
    p.write(neuron_reg(n, spec::chip::neuron::threshold_uv), v);
    expected.emplace_back(p.read(neuron_reg(n, spec::chip::neuron::threshold_uv)), v);
    expected.emplace_back(p.read(spec::fpga_reg::scratch), n * 0x01010101u);  // overtakes the chip read
  }
  auto id = p.read(spec::fpga_reg::id);
  connection->run(p);
  for (auto& [ticket, value] : expected) BOOST_TEST(ticket.value() == value);
  BOOST_TEST(id.value() == 0x4E4D5457u);
}

// A neuron that fires on every input spike: equal input spacing gives equal output spacing,
// cycle for cycle, whatever the target's absolute systime.
BOOST_FIXTURE_TEST_CASE(timed_input_spikes_come_back_with_exact_spacing, Fixture) {
  constexpr unsigned neuron = 3, row = 9, spacing = 5000, count = 20;
  hl::Program p;
  // Every parameter is written: on a shared target an earlier test may have changed it.
  namespace nrn = spec::chip::neuron;
  for (const auto& f : nrn::fields) p.write(neuron_reg(neuron, f.offset), static_cast<std::uint32_t>(f.reset));
  p.write(neuron_reg(neuron, nrn::weight_scale_uv), 40000);
  p.write(neuron_reg(neuron, nrn::tau_syn_ns), 100);  // a short kick: one spike per input
  p.write(neuron_reg(neuron, spec::chip::neuron::output), 0x80000000u | 4321);
  p.write(spec::chip::bus_addr(spec::chip::weight::addr(row * spec::chip::neurons + neuron, spec::chip::weight::value)),
          63);
  p.barrier();
  p.timer_reset();
  for (unsigned i = 0; i < count; ++i) {
    p.wait_until(1000 + i * spacing);
    p.spike(row);
  }
  p.wait_until(1000 + count * spacing);
  auto to_chip = p.read(spec::fpga_reg::spikes_to_chip);
  connection->run(p);
  BOOST_TEST(to_chip.value() == count);
  std::vector<std::uint64_t> times;
  for (const auto& s : p.received_spikes())
    if (s.label == 4321) times.push_back(s.systime);
  BOOST_REQUIRE_EQUAL(times.size(), count);
  for (unsigned i = 1; i < count; ++i) BOOST_TEST(times[i] - times[i - 1] == spacing);
}

BOOST_FIXTURE_TEST_CASE(an_unmapped_address_fails_the_run_and_the_next_run_works, Fixture) {
  hl::Program p;
  p.write(spec::fpga_reg::scratch, 5);
  auto bad = p.read(0x7FFF0000);
  auto good = p.read(spec::fpga_reg::scratch);
  try {
    connection->run(p);
    BOOST_FAIL("run() should have thrown");
  } catch (const hl::RunError& e) {
    BOOST_TEST(e.index() == 1u);
    BOOST_TEST(std::string(e.what()).find("0x7fff0000") != std::string::npos, e.what());
  }
  BOOST_TEST(good.value() == 5u);
  BOOST_CHECK_THROW(bad.value(), std::exception);
  hl::Program again;
  auto t = again.read(spec::fpga_reg::scratch);
  connection->run(again);
  BOOST_TEST(t.value() == 5u);
}

BOOST_FIXTURE_TEST_CASE(a_write_to_a_read_only_register_is_refused, Fixture) {
  hl::Program p;
  p.write(spec::fpga_reg::id, 1);
  BOOST_CHECK_THROW(connection->run(p), hl::RunError);
}

BOOST_FIXTURE_TEST_CASE(a_new_connection_takes_over_from_an_old_one, Fixture) {
  hl::Program p;
  p.write(spec::fpga_reg::scratch, 0xABCD);
  connection->run(p);
  const char* target = std::getenv(hl::target_variable);
  if (!target || !*target) return;  // each sim: connection has its own simulator
  auto second = hl::connect_from_env("sim:");
  hl::Program q;
  auto t = q.read(spec::fpga_reg::scratch);
  second->run(q);
  BOOST_TEST(t.value() == 0xABCDu);
}
