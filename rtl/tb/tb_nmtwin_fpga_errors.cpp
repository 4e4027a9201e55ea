// Bench for the control FPGA top level: reads matched by tag, error responses, late
// and missing chip answers, unknown chip words.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

#include "fpga_bench.hpp"

namespace spec = nmtwin::spec;
using namespace nmtwin::tb::fpga;

BOOST_AUTO_TEST_CASE(reads_return_written_values_matched_by_tag) {
  Top top("reads_by_tag");
  const auto chip = [](std::uint32_t a) { return spec::chip::bus_addr(a); };
  top.chip.regs = {{0x10, 0x1111}, {0x20, 0x2222}, {0x30, 0x3333}};
  top.chip.delay = {{0x10, 40}, {0x20, 25}, {0x30, 10}};  // answers come back in reverse order
  top.write(spec::fpga_reg::scratch, 0xCAFEF00D);
  top.write(spec::fpga_reg::scratch, 0x000000AA, 0x1);  // byte enables honoured
  top.write(chip(0x40), 77);
  top.read(1, spec::fpga_reg::scratch);
  top.read(2, spec::fpga_reg::id);
  top.read(3, spec::fpga_reg::version);
  top.read(4, chip(0x10));
  top.read(5, chip(0x20));
  top.read(6, chip(0x30));
  top.read(7, chip(0x40));
  top.barrier();
  top.add(spec::instr::SystimeSync{}.encode());
  top.halt(3);
  top.run_to_halt(3);

  BOOST_TEST(top.read_data(1) == 0xCAFEF0AAu);
  BOOST_TEST(top.read_data(2) == 0x4E4D5457u);
  BOOST_TEST(top.read_data(3) == spec::version_word);
  BOOST_TEST(top.read_data(4) == 0x1111u);
  BOOST_TEST(top.read_data(5) == 0x2222u);
  BOOST_TEST(top.read_data(6) == 0x3333u);
  BOOST_TEST(top.read_data(7) == 77u);
  BOOST_TEST(top.errors().empty());
  // The barrier held the sync back until the last chip answer was in.
  std::uint64_t last_ack = 0;
  for (const auto& r : top.rx_taken) last_ack = std::max(last_ack, r.systime);
  BOOST_REQUIRE_EQUAL(top.chip.syncs.size(), 1u);
  BOOST_TEST(spec::chip_down::Sync::decode(top.chip.syncs[0].word).systime > last_ack);
  // The three chip reads answered in reverse order.
  BOOST_REQUIRE(top.rx_taken.size() >= 4u);
}

BOOST_AUTO_TEST_CASE(errors_name_reason_index_and_detail_and_the_executor_keeps_going) {
  Top top("errors");
  const auto chip = [](std::uint32_t a) { return spec::chip::bus_addr(a); };
  top.chip.reject = {0x99};
  top.chip.silent = {0x77};
  top.read(21, 0x1000);                                                                      // 0 unmapped
  top.add(std::uint64_t{0xEE} << spec::instr::selector_lsb);                                 // 1 unknown opcode
  top.write(spec::fpga_reg::id, 5);                                                          // 2 read only
  top.write(chip(0x99), 1);                                                                  // 3 chip rejects
  top.read(24, chip(0x99));                                                                  // 4 chip rejects
  top.add(spec::instr::Spikes{.count = 0, .label2 = 0, .label1 = 0, .label0 = 1}.encode());  // 5
  top.add(spec::instr::Barrier{.reads = 1}.encode() | (1u << 3));                            // 6 unknown barrier bit
  top.write(chip(0x55), 1, 0x3);                                                             // 7 partial chip write
  top.write(spec::fpga_reg::bus_timeout, 40);                                                // 8
  top.read(29, chip(0x77));                                                                  // 9 timeout
  top.write(chip(0x77), 3);                                                                  // 10 timeout
  top.read(31, spec::fpga_reg::scratch);                                                     // 11 still works
  top.read(32, 0x00FFFFFF);                                   // 12 unmapped inside no window
  top.read(33, spec::fpga_reg::bus_timeout + 0x40);           // 13 unmapped inside the FPGA window
  top.halt(4);                                                // 14
  top.add(std::uint64_t{0xEF} << spec::instr::selector_lsb);  // index restarts at 0
  top.halt(5);
  top.run_to_halt(5);

  using R = spec::ErrorReason;
  using O = spec::instr::Opcode;
  struct Want {
    std::uint64_t index, reason, detail;
  };
  const std::vector<Want> want = {
      {0, reason(R::unmapped_address), 21},
      {1, reason(R::unknown_opcode), 0xEE},
      {2, reason(R::read_only), opcode(O::write)},
      {3, reason(R::chip_rejected), opcode(O::write)},
      {4, reason(R::chip_rejected), 24},
      {5, reason(R::bad_operand), opcode(O::spikes)},
      {6, reason(R::bad_operand), opcode(O::barrier)},
      {7, reason(R::bad_operand), opcode(O::write)},
      {9, reason(R::bus_timeout), 29},
      {10, reason(R::bus_timeout), opcode(O::write)},
      {12, reason(R::unmapped_address), 32},
      {13, reason(R::unmapped_address), 33},
      {0, reason(R::unknown_opcode), 0xEF},
  };
  auto got = top.errors();
  BOOST_REQUIRE_EQUAL(got.size(), want.size());
  // Errors of different sources may interleave; compare as sets keyed by index and detail.
  for (const auto& w : want) {
    const bool found = std::any_of(got.begin(), got.end(), [&](const spec::resp::Error& e) {
      return e.index == w.index && e.reason == w.reason && e.detail == w.detail;
    });
    BOOST_TEST(found, "error index " << w.index << " reason " << w.reason << " detail " << w.detail);
  }
  BOOST_TEST(top.read_data(31) == 0u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::errors) == want.size());
  BOOST_TEST(top.read_reg(spec::fpga_reg::bus_timeouts) == 2u);
}

BOOST_AUTO_TEST_CASE(late_answer_is_discarded_counted_and_never_matches_a_newer_read) {
  Top top("stale_ack");
  const auto chip = [](std::uint32_t a) { return spec::chip::bus_addr(a); };
  top.chip.regs = {{0xA, 0xAAAA}, {0xB, 0xBBBB}};
  top.chip.delay = {{0xA, 80}, {0xB, 40}};
  top.write(spec::fpga_reg::bus_timeout, 50);
  top.timer_reset();
  top.read(1, chip(0xA));  // times out after 50 cycles, answered after 80
  top.wait_until(60);
  top.read(2, chip(0xB));  // in flight when the late answer to tag 1 arrives
  top.barrier();
  top.halt(6);
  top.run_to_halt(6);
  const auto errs = top.errors();
  BOOST_REQUIRE_EQUAL(errs.size(), 1u);
  BOOST_TEST(errs[0].reason == reason(spec::ErrorReason::bus_timeout));
  BOOST_TEST(errs[0].detail == 1u);
  BOOST_TEST(errs[0].index == 2u);
  BOOST_TEST(top.read_data(2) == 0xBBBBu);
  BOOST_TEST(top.read_reg(spec::fpga_reg::stale_acks) == 1u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::bus_timeouts) == 1u);
}

BOOST_AUTO_TEST_CASE(silent_chip_never_hangs_the_executor) {
  Top top("silent_chip");
  const auto chip = [](std::uint32_t a) { return spec::chip::bus_addr(a); };
  top.chip.silent = {0x1};
  top.write(spec::fpga_reg::bus_timeout, 20);
  for (std::uint64_t i = 0; i < spec::timing::bus_slots + 4; ++i) top.read(100 + i, chip(0x1));
  top.read(1, spec::fpga_reg::scratch);
  top.halt(7);
  top.run_to_halt(7, 20000);
  BOOST_TEST(top.errors().size() == spec::timing::bus_slots + 4);
  for (const auto& e : top.errors()) BOOST_TEST(e.reason == reason(spec::ErrorReason::bus_timeout));
  BOOST_TEST(top.read_data(1) == 0u);
}

BOOST_AUTO_TEST_CASE(unknown_chip_words_are_dropped_and_counted) {
  Top top("chip_link_drops");
  const std::uint64_t unknown = std::uint64_t{0xF} << spec::chip_up::selector_lsb;
  top.chip.up.emplace(10, unknown);
  top.chip.up.emplace(11, unknown | 0x1234);
  top.chip.up.emplace(12, spec::chip_up::SpikeOut{.label = 7, .timestamp = 12}.encode());
  top.run_until([&] { return top.resp.size() == 1; });
  BOOST_TEST((spec::resp::selector(top.resp[0].word) == spec::resp::ResponseType::spike));
  BOOST_TEST(top.read_reg(spec::fpga_reg::chip_link_drops) == 2u);
  BOOST_TEST(top.read_reg(spec::fpga_reg::spikes_from_chip) == 1u);
}
