// End-to-end: host library -> in-process connection -> Verilated FPGA -> chip model and back.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>

#include "hostlink/arq_transport.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/response.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/simulation.hpp"

namespace spec = nmtwin::spec;
using nmtwin::hostlink::Program;
using nmtwin::hostlink::RunError;
using nmtwin::hostlink::Ticket;
using nmtwin::sim::InProcessConnection;
using nmtwin::sim::Simulation;

namespace {

struct Fixture {
  Simulation simulation;
  InProcessConnection connection{simulation};

  std::uint64_t timer_base() {
    Program p;
    auto lo = p.read(spec::fpga_reg::timer_base_lo);
    auto hi = p.read(spec::fpga_reg::timer_base_hi);
    connection.run(p);
    return (static_cast<std::uint64_t>(hi.value()) << 32) | lo.value();
  }
};

std::uint32_t neuron_reg(unsigned n, std::uint32_t field) {
  return spec::chip::bus_addr(spec::chip::neuron::addr(n, field));
}

// Runs raw words (which a Program cannot produce) over ARQ on the node and returns its responses.
std::vector<std::uint64_t> run_raw(Simulation& sim, const std::vector<std::uint64_t>& words, unsigned halts) {
  nmtwin::sim::MemoryLink link(sim);
  nmtwin::hostlink::ArqTransport arq(link);
  arq.handshake();
  arq.send(words);
  std::vector<std::uint64_t> out;
  const auto halted = [&] {
    return static_cast<unsigned>(std::count_if(out.begin(), out.end(), [](auto w) {
             return spec::resp::selector(w) == spec::resp::ResponseType::halt;
           })) == halts;
  };
  while (!halted())
    BOOST_REQUIRE_MESSAGE(arq.receive(out, std::chrono::steady_clock::now() + std::chrono::seconds(10)),
                          "the node never echoed the halt");
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(reads_return_written_values_matched_by_tag, Fixture) {
  Program p;
  p.write(spec::fpga_reg::scratch, 0xCAFEF00D);
  std::vector<std::pair<Ticket, std::int32_t>> expected;
  for (unsigned n = 0; n < 40; ++n) {
    const std::int32_t v = -40000 - static_cast<std::int32_t>(n) * 17;
    p.write(neuron_reg(n, spec::chip::neuron::threshold_uv), static_cast<std::uint32_t>(v));
    expected.emplace_back(p.read(neuron_reg(n, spec::chip::neuron::threshold_uv)), v);
    // FPGA register reads answer faster than chip reads: answers overtake each other.
    expected.emplace_back(p.read(spec::fpga_reg::scratch), static_cast<std::int32_t>(0xCAFEF00D));
  }
  auto id = p.read(spec::fpga_reg::id);
  auto version = p.read(spec::fpga_reg::version);
  connection.run(p);
  for (auto& [ticket, value] : expected) BOOST_TEST(static_cast<std::int32_t>(ticket.value()) == value);
  BOOST_TEST(id.value() == 0x4E4D5457u);
  BOOST_TEST(version.value() == spec::version_word);
}

BOOST_FIXTURE_TEST_CASE(wait_until_resumes_on_the_exact_cycle_and_spikes_reach_the_chip_on_time, Fixture) {
  Program p;
  p.timer_reset();
  p.wait_until(100);
  p.spike(5);
  p.wait_until(1100);
  p.spike(6);
  p.wait_until(1107);
  const std::uint16_t three[] = {7, 8, 9};
  p.spikes(three);
  connection.run(p);
  const std::uint64_t base = timer_base();

  const auto& log = simulation.node(0).chip().input_log();
  BOOST_REQUIRE_EQUAL(log.size(), 5u);
  const std::uint64_t lat = spec::timing::spike_in_latency;
  BOOST_TEST(log[0].label == 5);
  BOOST_TEST(log[0].time == base + 100 + lat);
  BOOST_TEST(log[1].label == 6);
  BOOST_TEST(log[1].time == base + 1100 + lat);
  // Three labels of one instruction follow each other cycle by cycle.
  for (unsigned i = 0; i < 3; ++i) {
    BOOST_TEST(log[2 + i].label == 7 + i);
    BOOST_TEST(log[2 + i].time == base + 1107 + lat + i);
  }
}

BOOST_FIXTURE_TEST_CASE(output_spikes_come_back_with_the_exact_systime, Fixture) {
  Program p;
  p.write(neuron_reg(7, spec::chip::neuron::bias_uv), 20000);
  p.write(neuron_reg(7, spec::chip::neuron::output), 0x80000000u | 777);
  p.timer_reset();
  p.wait_until(200000);  // 1.6 ms hardware: well past one 16-bit timestamp wrap (65536 cycles)
  connection.run(p);

  const auto& fired = simulation.node(0).chip().spike_log();
  const auto& got = p.received_spikes();
  BOOST_REQUIRE_GT(got.size(), 10u);
  std::vector<std::uint64_t> chip_times;
  for (const auto& s : fired)
    if (s.neuron == 7) chip_times.push_back(s.time);
  std::vector<std::uint64_t> host_times;
  for (const auto& s : got) {
    BOOST_TEST(s.label == 777);
    host_times.push_back(s.systime);
  }
  // Every spike fired before the halt came back, each with the chip's own firing time.
  chip_times.resize(host_times.size());
  BOOST_TEST(host_times == chip_times, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(unmapped_address_gives_an_error_response_and_the_executor_continues, Fixture) {
  Program p;
  p.write(spec::fpga_reg::scratch, 1);
  auto bad = p.read(0x7FFF0000);
  auto good = p.read(spec::fpga_reg::scratch);
  try {
    connection.run(p);
    BOOST_FAIL("run() should have thrown");
  } catch (const RunError& e) {
    BOOST_TEST(e.index() == 1u);
    BOOST_TEST(static_cast<int>(e.reason()) == static_cast<int>(spec::ErrorReason::unmapped_address));
    BOOST_TEST(std::string(e.what()).find("0x7fff0000") != std::string::npos);
  }
  BOOST_TEST(good.value() == 1u);
  BOOST_CHECK_THROW(bad.value(), std::exception);

  Program again;
  auto t = again.read(spec::fpga_reg::scratch);
  connection.run(again);
  BOOST_TEST(t.value() == 1u);
}

BOOST_FIXTURE_TEST_CASE(unknown_opcode_gives_an_error_response_without_hanging, Fixture) {
  const std::uint64_t bogus = std::uint64_t{0xEE} << spec::instr::selector_lsb;
  const std::vector<std::uint64_t> words{spec::instr::Nop{}.encode(), bogus,
                                         spec::instr::Read{.tag = 9, .addr = spec::fpga_reg::id}.encode(),
                                         spec::instr::Halt{.cookie = 42}.encode()};
  const auto out = run_raw(simulation, words, 1);
  std::map<spec::resp::ResponseType, std::vector<std::uint64_t>> by_type;
  for (auto w : out) by_type[spec::resp::selector(w)].push_back(w);
  BOOST_REQUIRE_EQUAL(by_type[spec::resp::ResponseType::error].size(), 1u);
  const auto err = spec::resp::Error::decode(by_type[spec::resp::ResponseType::error][0]);
  BOOST_TEST(err.reason == static_cast<std::uint64_t>(spec::ErrorReason::unknown_opcode));
  BOOST_TEST(err.index == 1u);
  BOOST_TEST(err.detail == 0xEEu);
  BOOST_REQUIRE_EQUAL(by_type[spec::resp::ResponseType::read_data].size(), 1u);
  const auto rd = spec::resp::ReadData::decode(by_type[spec::resp::ResponseType::read_data][0]);
  BOOST_TEST(rd.tag == 9u);
  BOOST_TEST(rd.data == 0x4E4D5457u);
  BOOST_TEST((spec::resp::selector(out.back()) == spec::resp::ResponseType::halt));
}

BOOST_FIXTURE_TEST_CASE(chip_rejects_an_unknown_chip_register, Fixture) {
  Program p;
  p.write(spec::chip::bus_addr(0xFFFFF0), 1);
  try {
    connection.run(p);
    BOOST_FAIL("run() should have thrown");
  } catch (const RunError& e) {
    BOOST_TEST(e.index() == 0u);
    BOOST_TEST(static_cast<int>(e.reason()) == static_cast<int>(spec::ErrorReason::chip_rejected));
  }
}

BOOST_FIXTURE_TEST_CASE(counters_count_what_happened, Fixture) {
  Program p;
  p.write(spec::fpga_reg::counter_clear, 1);
  const std::uint16_t labels[] = {1, 2, 3, 4};
  p.spikes(labels);
  p.barrier();
  auto to_chip = p.read(spec::fpga_reg::spikes_to_chip);
  connection.run(p);
  BOOST_TEST(to_chip.value() == 4u);
}

BOOST_FIXTURE_TEST_CASE(a_long_wait_is_not_a_timeout_while_the_fpga_works, Fixture) {
  connection.set_timeout(std::chrono::milliseconds(20));
  Program p;
  p.timer_reset();
  p.wait_until(2'000'000);  // far longer than 20 ms of simulation
  auto t = p.read(spec::fpga_reg::id);
  connection.run(p);
  BOOST_TEST(t.value() == 0x4E4D5457u);
  BOOST_TEST(simulation.cycle() >= 2'000'000u);
}

namespace {

// Late waits of 16 timed events `spacing` cycles apart, `labels` input spikes at each,
// as an experiment builds them (wait_until, spikes); the instruction FIFO is full
// before the first, so this is what the executor can play, not what the host sends.
std::uint32_t late_waits_at(Fixture& f, std::uint64_t spacing, unsigned labels) {
  Program p;
  p.write(spec::fpga_reg::counter_clear, 1);
  p.timer_reset();
  std::vector<std::uint16_t> l(labels);
  for (unsigned i = 0; i < labels; ++i) l[i] = static_cast<std::uint16_t>(i + 1);
  constexpr std::uint64_t first = 2000;
  for (std::uint64_t k = 0; k < 16; ++k) {
    p.wait_until(first + k * spacing);
    p.spikes(l);
  }
  p.wait_until(first + 16 * spacing + 100);
  auto late = p.read(spec::fpga_reg::late_waits);
  f.connection.run(p);
  return late.value();
}

}  // namespace

// The minimum spacing of timed spikes that docs/experiments.md ("Timing") states,
// measured here: a `spikes` instruction carries up to 3 labels and the next one starts
// 3 cycles after it; the wait for the next time executes max(1, L - 1) cycles after
// the last one (L: its labels), and must come before that time.  N labels at one time
// thus need 3 * floor((N - 1) / 3) + max(2, L) cycles: 2, 2, 3, 5, 5, 6, 8 for N = 1..7.
BOOST_FIXTURE_TEST_CASE(timed_spikes_closer_than_the_minimum_spacing_are_played_late, Fixture) {
  const std::uint64_t expected[] = {2, 2, 3, 5, 5, 6, 8};
  for (unsigned labels = 1; labels <= 7; ++labels) {
    const unsigned before_last = 3 * ((labels - 1) / 3);
    const std::uint64_t minimum = before_last + std::max(2u, labels - before_last);
    BOOST_TEST(minimum == expected[labels - 1]);
    BOOST_TEST(late_waits_at(*this, minimum, labels) == 0u, labels << " labels at the minimum spacing");
    BOOST_TEST(late_waits_at(*this, minimum - 1, labels) > 0u, labels << " labels one cycle closer: played late");
  }
}

// A host that leaves while the chip still fires (the demo's pacemaker neuron, found by
// scripts/soak) fills the FPGA's ARQ window with spikes nobody acknowledges. The FPGA then
// drops the host's copy of each further spike and counts it in spikes_to_host_dropped;
// before, the spikes waited in the chip link, the chip's output queue grew without bound
// (a megabyte a minute in `nmtwin sim`), and every register answer waited behind them, so
// the next host's chip accesses failed with bus_timeout.
BOOST_AUTO_TEST_CASE(a_host_that_leaves_a_firing_chip_costs_the_next_host_nothing) {
  Simulation simulation;
  {
    InProcessConnection first(simulation);
    Program p;
    for (unsigned n = 0; n < 64; ++n) {
      p.write(neuron_reg(n, spec::chip::neuron::bias_uv), 40000);
      p.write(neuron_reg(n, spec::chip::neuron::refractory_ns), 0);
      p.write(neuron_reg(n, spec::chip::neuron::output), 0x80000000u | n);
    }
    first.run(p);
  }  // gone without a word: nobody acknowledges the FPGA's frames any more
  std::uint64_t fired_before = simulation.node(0).chip().counters().spikes;
  simulation.run(2'000'000);
  const auto fired = simulation.node(0).chip().counters().spikes - fired_before;
  BOOST_TEST_MESSAGE("the chip fired " << fired << " spikes without a host");
  BOOST_REQUIRE_GT(fired, 100'000u);  // far more than the ARQ window holds (128 frames of 180 words)
  BOOST_TEST(simulation.node(0).chip().output_queued() < 16u);

  InProcessConnection next(simulation);
  Program p;
  std::vector<Ticket> reads;
  for (unsigned n = 0; n < 64; ++n) reads.push_back(p.read(neuron_reg(n, spec::chip::neuron::output)));
  auto dropped = p.read(spec::fpga_reg::spikes_to_host_dropped);
  auto from_chip = p.read(spec::fpga_reg::spikes_from_chip);
  auto timeouts = p.read(spec::fpga_reg::bus_timeouts);
  next.run(p);  // throws RunError on a bus_timeout
  for (unsigned n = 0; n < 64; ++n) BOOST_TEST(reads[n].value() == (0x80000000u | n));
  BOOST_TEST(timeouts.value() == 0u);
  BOOST_TEST(dropped.value() > 90'000u);
  BOOST_TEST(dropped.value() <= from_chip.value());
}

