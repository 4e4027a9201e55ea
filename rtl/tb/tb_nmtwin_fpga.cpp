// Bench for the control FPGA top level: instruction programs in, responses and
// chip_link words out, with a small scripted chip answering configuration
// accesses and firing spikes.
// The timing of the bench: waits, systime, chip delays, wraps, back pressure and idle;
// reads and errors are in tb_nmtwin_fpga_errors.cpp.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

#include "fpga_bench.hpp"

namespace spec = nmtwin::spec;
using namespace nmtwin::tb::fpga;
using nmtwin::tb::Harness;

BOOST_AUTO_TEST_CASE(wait_until_resumes_on_the_exact_cycle_and_link_latencies_match_spec) {
  Top top("wait_until");
  top.timer_reset();
  top.wait_until(100);  // lets the rest of the program reach the FIFO
  top.add(spec::instr::SystimeSync{}.encode());
  top.timer_reset();
  top.wait_until(500);
  top.add(spec::instr::Spikes{.count = 3, .label2 = 13, .label1 = 12, .label0 = 11}.encode());
  top.wait_until(520);
  top.add(spec::instr::SystimeSync{}.encode());
  top.halt(1);
  top.run_to_halt(1);

  BOOST_REQUIRE_EQUAL(top.chip.syncs.size(), 2u);
  const std::uint64_t x = spec::chip_down::Sync::decode(top.chip.syncs[0].word).systime;
  BOOST_TEST(top.chip.syncs[0].systime == x + spec::timing::sync_latency);
  // timer_reset at x + 1: the timer reads 0 at x + 2.
  const std::uint64_t base = x + 2;
  BOOST_REQUIRE_EQUAL(top.chip.spikes_in.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    BOOST_TEST(top.chip.spikes_in[i].systime == base + 500 + spec::timing::spike_in_latency + i);
    BOOST_TEST(spec::chip_down::SpikeIn::decode(top.chip.spikes_in[i].word).label == 11 + i);
  }
  BOOST_TEST(spec::chip_down::Sync::decode(top.chip.syncs[1].word).systime == base + 520);
  BOOST_TEST(top.read_reg(spec::fpga_reg::timer_base_lo) == base);
  BOOST_TEST(top.read_reg(spec::fpga_reg::timer_base_hi) == 0u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::late_waits) == 0u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::spikes_to_chip) == 3u);
}

BOOST_AUTO_TEST_CASE(late_wait_executes_at_once_and_is_counted) {
  Top top("late_wait");
  top.timer_reset();
  top.wait_until(50);
  top.timer_reset();
  top.wait_until(0);  // the timer already reads 0 here: too late for "next cycle = 0"
  top.add(spec::instr::SystimeSync{}.encode());
  top.halt(2);
  top.run_to_halt(2);
  BOOST_REQUIRE_EQUAL(top.chip.syncs.size(), 1u);
  const std::uint64_t base = top.read_reg(spec::fpga_reg::timer_base_lo);
  // wait_until at base, sync at once on the next cycle.
  BOOST_TEST(spec::chip_down::Sync::decode(top.chip.syncs[0].word).systime == base + 1);
  BOOST_TEST(top.read_reg(spec::fpga_reg::late_waits) == 1u);
}

BOOST_AUTO_TEST_CASE(systime_lo_read_returns_the_systime_of_its_execution_cycle) {
  Top top("systime_read");
  top.timer_reset();
  top.wait_until(100);  // lets the rest of the program reach the FIFO
  top.add(spec::instr::SystimeSync{}.encode());
  top.read(1, spec::fpga_reg::systime_lo);
  top.read(2, spec::fpga_reg::systime_hi);
  top.halt(10);
  top.run_to_halt(10);
  BOOST_REQUIRE_EQUAL(top.chip.syncs.size(), 1u);
  const std::uint64_t sync_at = spec::chip_down::Sync::decode(top.chip.syncs[0].word).systime;
  BOOST_TEST(top.read_data(1) == sync_at + 1);  // executed on the cycle after the sync
  BOOST_TEST(top.read_data(2) == 0u);
  for (const auto& r : top.resp)
    if (spec::resp::selector(r.word) == spec::resp::ResponseType::read_data &&
        spec::resp::ReadData::decode(r.word).tag == 1)
      BOOST_TEST_MESSAGE("FPGA register read: response handed over " << r.systime - (sync_at + 1)
                                                                     << " cycles after the read executed");
}

BOOST_AUTO_TEST_CASE(chip_read_reaches_the_chip_and_returns_with_the_documented_delays) {
  Top top("chip_read_timing");
  top.chip.regs = {{0x42, 0x4242}};
  top.chip.default_delay = 10;
  top.timer_reset();
  top.wait_until(100);
  top.add(spec::instr::SystimeSync{}.encode());
  top.read(1, spec::chip::bus_addr(0x42));
  top.halt(11);
  top.run_to_halt(11);
  const std::uint64_t read_at = spec::chip_down::Sync::decode(top.chip.syncs.at(0).word).systime + 1;
  // The chip stub answers `default_delay` cycles after it received the cfg_read.
  BOOST_REQUIRE_EQUAL(top.rx_taken.size(), 1u);
  BOOST_TEST(top.rx_taken[0].systime == read_at + 3 + top.chip.default_delay);
  for (const auto& r : top.resp)
    if (spec::resp::selector(r.word) == spec::resp::ResponseType::read_data)
      BOOST_TEST(r.systime == top.rx_taken[0].systime + 4);
  BOOST_TEST(top.read_data(1) == 0x4242u);
}

BOOST_AUTO_TEST_CASE(spike_out_systime_is_rebuilt_across_a_16_bit_wrap) {
  Top top("spike_out");
  struct Case {
    std::uint64_t arrive, fired;
  };
  const std::vector<Case> cases = {
      {100, 100},         {200, 150},         {0xFFF0, 0xFFEE},   {0x10000, 0xFFFF},  {0x10002, 0xFFF0},
      {0x10003, 0x10003}, {0x1FFFF, 0x10000}, {0x20005, 0x10006}, {0x2000A, 0x1FFFF},
  };
  for (std::size_t i = 0; i < cases.size(); ++i)
    top.chip.up.emplace(cases[i].arrive,
                        spec::chip_up::SpikeOut{.label = 0x100 + i, .timestamp = cases[i].fired & 0xFFFF}.encode());
  top.run_until([&] { return top.resp.size() == cases.size(); }, 0x30000);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    BOOST_TEST(top.rx_taken[i].systime == cases[i].arrive);
    BOOST_REQUIRE(spec::resp::selector(top.resp[i].word) == spec::resp::ResponseType::spike);
    const auto s = spec::resp::Spike::decode(top.resp[i].word);
    BOOST_TEST(s.label == 0x100 + i);
    BOOST_TEST(s.systime == cases[i].fired, "case " << i << ": got 0x" << std::hex << s.systime);
  }
  BOOST_TEST(top.read_reg(spec::fpga_reg::spikes_from_chip) == cases.size());
}

BOOST_AUTO_TEST_CASE(halt_comes_after_earlier_reads_and_spikes_under_back_pressure) {
  Top top("halt_order");
  const auto chip = [](std::uint32_t a) { return spec::chip::bus_addr(a); };
  top.resp_ready_p = 0.3;
  top.chip.regs = {{0x5, 55}};
  top.chip.delay = {{0x5, 100}};
  for (std::uint64_t t = 20; t < 200; t += 7)
    top.chip.up.emplace(t, spec::chip_up::SpikeOut{.label = t, .timestamp = t}.encode());
  top.read(1, chip(0x5));
  top.read(2, spec::fpga_reg::id);
  top.halt(8);
  const Seen halt = top.run_to_halt(8);
  const std::uint64_t halt_at = spec::resp::Halt::decode(halt.word).systime;
  BOOST_TEST(top.read_data(1) == 55u);
  bool seen_halt = false;
  for (const auto& r : top.resp) {
    const auto type = spec::resp::selector(r.word);
    if (type == spec::resp::ResponseType::halt) seen_halt = true;
    if (type == spec::resp::ResponseType::read_data) BOOST_TEST(!seen_halt);
    if (type == spec::resp::ResponseType::spike && spec::resp::Spike::decode(r.word).systime < halt_at)
      BOOST_TEST(!seen_halt, "spike fired at " << spec::resp::Spike::decode(r.word).systime << " after the halt");
  }
}

BOOST_AUTO_TEST_CASE(idle_flag_and_idle_speed) {
  Top top("idle");
  top.run(4);
  BOOST_TEST(top.dut().idle_o);
  top.timer_reset();
  top.wait_until(100);
  top.halt(9);
  top.run(10);
  BOOST_TEST(!top.dut().idle_o);  // waiting
  top.run_to_halt(9);
  top.run(5);
  BOOST_TEST(top.dut().idle_o);

  // Raw model speed with nothing to do, as the node wrapper drives it.
  Harness<Vnmtwin_fpga> h("idle_speed");
  h->resp_ready_i = 1;
  h->chip_tx_ready_i = 1;
  const std::uint64_t n = 2'000'000;
  nmtwin::tb::run_idle_and_report_speed(h, n);
  BOOST_TEST(h->systime_o == n);
}
