// Bench for event_switch: chip output spikes and executor spike labels to the
// router (gated by event_source, one a cycle, chip spikes first, back-pressure; the
// host's copy dropped and reported when the response merger is full),
// the chip input merge of executor instructions and network events, and reset.
#include <boost/test/unit_test.hpp>

#include <array>
#include <vector>

#include "Vevent_switch.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;

namespace {

struct Event {
  unsigned label;
  std::uint64_t cycle;
  friend bool operator==(const Event&, const Event&) = default;
};
std::ostream& operator<<(std::ostream& os, const Event& e) { return os << "{label " << e.label << " @" << e.cycle << "}"; }

// What the chip took: spikes (count, labels) of the executor or a network event, or a sync
// (count and labels 0).
struct ChipIn {
  unsigned count;
  std::uint64_t labels;
  bool sync;
  std::uint64_t cycle;
  friend bool operator==(const ChipIn&, const ChipIn&) = default;
};
std::ostream& operator<<(std::ostream& os, const ChipIn& c) {
  return os << "{count " << c.count << " labels 0x" << std::hex << c.labels << std::dec << " sync " << c.sync << " @"
            << c.cycle << "}";
}

std::uint64_t spike_word(unsigned label) { return spec::resp::Spike{.label = label, .systime = 1234}.encode(); }
std::uint64_t sources(bool chip, bool executor) {
  return spec::layout::EventSource{.chip = chip, .executor = executor}.encode();
}
std::uint64_t pack(const std::array<unsigned, 3>& l) {
  return l[0] | (std::uint64_t{l[1]} << 16) | (std::uint64_t{l[2]} << 32);
}

struct Switch {
  explicit Switch(const std::string& name) : h(name) {
    h->chip_ready_i = 1;
    h->resp_ready_i = 1;
    h->evt_ready_i = 1;
  }
  Harness<Vevent_switch> h;
  std::vector<Event> routed;           // events the router took
  std::vector<std::uint64_t> resps;    // spike responses the merger took
  std::vector<ChipIn> chip;            // what the chip took
  unsigned ex_taken = 0, net_taken = 0;

  // One cycle: records every handshake that completes, then the clock edge.
  void step() {
    h.settle();
    if (h->evt_valid_o && h->evt_ready_i) routed.push_back({h->evt_label_o, h.cycle()});
    if (h->resp_valid_o && h->resp_ready_i) {
      resps.push_back(h->resp_data_o);
      BOOST_TEST(h->spike_ready_o);  // the response is the spike's handshake
    }
    BOOST_TEST(static_cast<bool>(h->host_drop_o) == (h->resp_valid_o && !h->resp_ready_i));
    if (h->chip_spikes_valid_o && h->chip_ready_i)
      chip.push_back({h->chip_spikes_count_o, h->chip_spikes_labels_o, false, h.cycle()});
    if (h->chip_sync_valid_o && h->chip_ready_i) chip.push_back({0, 0, true, h.cycle()});
    ex_taken += (h->ex_spikes_valid_i || h->ex_sync_valid_i) && h->ex_ready_o;
    net_taken += h->net_valid_i && h->net_ready_o;
    h.rise();
  }
  // Offers the executor instruction set up on the inputs until the switch takes it
  // (at most 10 cycles); returns the cycle it was taken.
  std::uint64_t offer() {
    for (int i = 0; i < 10; ++i) {
      h.settle();
      const bool take = h->ex_ready_o;
      const std::uint64_t at = h.cycle();
      step();
      if (take) {
        h->ex_spikes_valid_i = 0;
        h->ex_sync_valid_i = 0;
        return at;
      }
    }
    BOOST_FAIL("the executor instruction was not taken within 10 cycles");
    return 0;
  }
  std::uint64_t execute(unsigned count, const std::array<unsigned, 3>& labels) {
    h->ex_spikes_valid_i = 1;
    h->ex_spikes_count_i = count;
    h->ex_spikes_labels_i = pack(labels);
    return offer();
  }
  void idle(int cycles) {
    for (int i = 0; i < cycles; ++i) step();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(chip_spikes_pass_with_the_chip_bit_and_wait_for_the_router) {
  Switch s("chip");
  s.h->event_source_i = sources(true, false);
  s.h->spike_valid_i = 1;
  s.h->spike_data_i = spike_word(0x8000 | 0x4123);  // bit 15 is not routed
  s.h->evt_ready_i = 0;
  s.idle(3);  // the router cannot take it: the response waits with it
  BOOST_TEST(s.routed.empty());
  BOOST_TEST(s.resps.empty());
  s.h.settle();
  BOOST_TEST(!s.h->spike_ready_o);
  BOOST_TEST(!s.h->evt_valid_o);
  s.h->evt_ready_i = 1;
  const std::uint64_t t = s.h.cycle();
  s.step();
  s.h->spike_valid_i = 0;
  s.idle(2);
  BOOST_TEST(s.routed == (std::vector<Event>{{0x4123, t}}), boost::test_tools::per_element());
  BOOST_TEST(s.resps == (std::vector<std::uint64_t>{spike_word(0x8000 | 0x4123)}), boost::test_tools::per_element());

  // A spike the merger cannot take (its queue full: the host takes no responses) is
  // still routed; only the host's copy is dropped, and reported.
  s.h->spike_valid_i = 1;
  s.h->resp_ready_i = 0;
  s.h.settle();
  BOOST_TEST(s.h->spike_ready_o);
  BOOST_TEST(s.h->host_drop_o);
  s.idle(2);
  BOOST_TEST(s.routed.size() == 3u);
  BOOST_TEST(s.resps.size() == 1u);
  s.h->resp_ready_i = 1;
  s.h.settle();
  BOOST_TEST(!s.h->host_drop_o);
  s.step();
  s.h->spike_valid_i = 0;
  BOOST_TEST(s.routed.size() == 4u);
  BOOST_TEST(s.resps.size() == 2u);
}

BOOST_AUTO_TEST_CASE(without_the_chip_bit_responses_ignore_the_router) {
  Switch s("chip_off");
  s.h->event_source_i = sources(false, true);
  s.h->evt_ready_i = 0;
  s.h->spike_valid_i = 1;
  s.h->spike_data_i = spike_word(77);
  s.idle(3);
  s.h->spike_valid_i = 0;
  s.step();
  BOOST_TEST(s.resps.size() == 3u);
  s.h->evt_ready_i = 1;
  s.idle(2);
  BOOST_TEST(s.routed.empty());
}

BOOST_AUTO_TEST_CASE(executor_labels_are_routed_one_a_cycle_in_order) {
  const std::array<unsigned, 3> labels = {0x8000 | 0x0011, 0x4022, 0x8000 | 0x7033};
  for (unsigned count = 1; count <= 3; ++count) {
    BOOST_TEST_CONTEXT("count " << count) {
      Switch s("executor_" + std::to_string(count));
      s.h->event_source_i = sources(false, true);
      const std::uint64_t t = s.execute(count, labels);
      // The next instruction waits until the last label has gone to the router.
      s.h->ex_sync_valid_i = 1;
      const std::uint64_t sync = s.offer();
      s.idle(2);
      std::vector<Event> want;
      for (unsigned i = 0; i < count; ++i) want.push_back({labels[i] & 0x7FFF, t + 1 + i});
      BOOST_TEST(s.routed == want, boost::test_tools::per_element());
      BOOST_TEST(sync == t + 1 + count);
      const std::vector<ChipIn> chip = {{count, pack(labels), false, t}, {0, 0, true, sync}};
      BOOST_TEST(s.chip == chip, boost::test_tools::per_element());
      s.h.settle();
      BOOST_TEST(s.h->idle_o);
    }
  }
}

BOOST_AUTO_TEST_CASE(without_the_executor_bit_labels_only_go_to_the_chip) {
  Switch s("executor_off");
  s.h->event_source_i = sources(true, false);
  const std::uint64_t t = s.execute(3, {1, 2, 3});
  s.h.settle();
  BOOST_TEST(s.h->ex_ready_o);  // nothing queued: the next instruction goes at once
  BOOST_TEST(s.h->idle_o);
  s.idle(4);
  BOOST_TEST(s.routed.empty());
  BOOST_TEST(s.chip == (std::vector<ChipIn>{{3, pack({1, 2, 3}), false, t}}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(chip_spikes_go_first_and_the_router_holds_the_labels) {
  Switch s("precedence");
  s.h->event_source_i = sources(true, true);
  s.h->spike_data_i = spike_word(500);
  // A chip spike in the cycle the instruction is taken, and two after it.
  s.h->spike_valid_i = 1;
  const std::uint64_t t = s.execute(3, {10, 20, 30});
  s.idle(2);
  s.h->spike_valid_i = 0;
  s.h->evt_ready_i = 0;  // the router stalls one cycle: no label is lost or repeated
  s.step();
  s.h->evt_ready_i = 1;
  s.idle(5);
  const std::vector<Event> want = {{500, t}, {500, t + 1}, {500, t + 2}, {10, t + 4}, {20, t + 5}, {30, t + 6}};
  BOOST_TEST(s.routed == want, boost::test_tools::per_element());
  BOOST_TEST(s.resps.size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_chip_takes_executor_instructions_first_then_network_events) {
  Switch s("chip_input");
  s.h->event_source_i = sources(false, true);
  s.h->net_valid_i = 1;
  s.h->net_label_i = 0xBEEF;
  s.h->evt_ready_i = 0;  // labels stay queued: the executor waits, network events go
  const std::uint64_t t = s.execute(2, {4, 5, 6});
  s.h->ex_spikes_valid_i = 1;
  s.h->ex_spikes_count_i = 1;
  s.h->ex_spikes_labels_i = 9;
  s.idle(2);
  s.h->chip_ready_i = 0;  // a chip that is not ready takes nothing
  s.idle(2);
  s.h->chip_ready_i = 1;
  s.h->evt_ready_i = 1;
  s.idle(2);  // labels 4 and 5 drain; the instruction goes in the cycle after
  s.h->net_valid_i = 0;
  s.step();
  s.h->ex_spikes_valid_i = 0;
  const std::vector<ChipIn> want = {{2, pack({4, 5, 6}), false, t},
                                    {1, 0xBEEF, false, t + 1},
                                    {1, 0xBEEF, false, t + 2},
                                    {1, 0xBEEF, false, t + 5},
                                    {1, 0xBEEF, false, t + 6},
                                    {1, 9, false, t + 7}};
  BOOST_TEST(s.chip == want, boost::test_tools::per_element());
  BOOST_TEST(s.ex_taken == 2u);
  BOOST_TEST(s.net_taken == 4u);
}

BOOST_AUTO_TEST_CASE(reset_clears_the_queued_labels) {
  Switch s("reset");
  s.h->event_source_i = sources(false, true);
  s.h->evt_ready_i = 0;
  s.execute(3, {1, 2, 3});
  s.h.settle();
  BOOST_TEST(s.h->evt_valid_o);
  BOOST_TEST(!s.h->ex_ready_o);
  BOOST_TEST(!s.h->idle_o);
  s.h->rst_ni = 0;
  s.step();
  s.h->rst_ni = 1;
  s.h->evt_ready_i = 1;
  s.idle(4);
  BOOST_TEST(s.routed.empty());
  s.h.settle();
  BOOST_TEST(s.h->idle_o);
  BOOST_TEST(s.h->ex_ready_o);
}
