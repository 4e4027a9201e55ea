// Bench for net_rx_path (decoder + delay buffers): every event reaches the chip side
// on its deadline cycle, expired and full drops are counted, simultaneous deadlines
// follow on consecutive cycles, forward-immediately ignores deadlines.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "Vnet_rx_path.h"
#include "extoll/packet.hpp"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::extoll::Event;
using nmtwin::tb::Harness;

namespace {
struct Out {
  unsigned label;
  std::uint64_t cycle;
};
struct Rx {
  explicit Rx(const std::string& name) : h(name) {}
  Harness<Vnet_rx_path> h;
  std::deque<std::pair<std::uint64_t, bool>> words;  // packet words (no CRC), last
  std::vector<Out> out;
  unsigned decoded[2] = {}, released[2] = {}, expired[2] = {}, full[2] = {};
  // Systime = cycle here.
  void send(const std::vector<Event>& events) {
    nmtwin::extoll::Packet p;
    p.events = events;
    auto w = p.encode();
    w.pop_back();  // link_rx passes packets on without their CRC word
    for (std::size_t i = 0; i < w.size(); ++i) words.push_back({w[i], i + 1 == w.size()});
  }
  void step() {
    h->systime_i = static_cast<std::uint16_t>(h.cycle());
    h->pkt_valid_i = !words.empty();
    if (!words.empty()) {
      h->pkt_data_i = words.front().first;
      h->pkt_last_i = words.front().second;
    }
    h->evt_ready_i = 1;
    h.settle();
    if (h->pkt_valid_i && h->pkt_ready_o) words.pop_front();
    if (h->evt_valid_o) out.push_back({h->evt_label_o, h.cycle()});
    for (unsigned s = 0; s < 2; ++s) {
      decoded[s] += (h->decoded_o >> s) & 1;
      released[s] += (h->released_o >> s) & 1;
      expired[s] += (h->expired_o >> s) & 1;
      full[s] += (h->full_o >> s) & 1;
    }
    h.rise();
  }
  void run(int n) {
    for (int i = 0; i < n; ++i) step();
  }
};
std::uint16_t at(std::uint64_t cycle) { return static_cast<std::uint16_t>(cycle); }
}  // namespace

BOOST_AUTO_TEST_CASE(events_leave_on_their_deadline_cycle_with_split_in_the_label) {
  Rx r("deadline");
  r.run(5);
  const std::uint64_t t = r.h.cycle();
  r.send({{100, 0, at(t + 50)}, {200, 1, at(t + 40)}, {300, 0, at(t + 60)}});
  r.run(100);
  BOOST_REQUIRE_EQUAL(r.out.size(), 3u);
  BOOST_TEST(r.out[0].label == (1u << 14 | 200));
  BOOST_TEST(r.out[0].cycle == t + 40);
  BOOST_TEST(r.out[1].label == 100u);
  BOOST_TEST(r.out[1].cycle == t + 50);
  BOOST_TEST(r.out[2].cycle == t + 60);
  BOOST_TEST(r.decoded[0] == 2u);
  BOOST_TEST(r.decoded[1] == 1u);
  BOOST_TEST(r.released[0] + r.released[1] == 3u);
  BOOST_TEST(r.h->idle_o);
}

BOOST_AUTO_TEST_CASE(late_events_are_expired_and_counted_and_wraps_are_handled) {
  Rx r("expired");
  r.run(70000);  // systime past 2^16: deadlines wrap
  const std::uint64_t t = r.h.cycle();
  // Decoded on t + 1 (header first) and t + 2: a deadline of t + 1 is already due, one
  // of t - 5 is past; t + 300 waits.
  r.send({{1, 0, at(t + 1)}, {2, 0, at(t - 5)}, {3, 1, at(t + 300)}});
  r.run(400);
  BOOST_TEST(r.expired[0] == 2u);
  BOOST_REQUIRE_EQUAL(r.out.size(), 1u);
  BOOST_TEST(r.out[0].cycle == t + 300);
}

BOOST_AUTO_TEST_CASE(equal_deadlines_leave_on_consecutive_cycles) {
  Rx r("equal");
  const std::uint64_t t = r.h.cycle();
  r.send({{1, 0, at(t + 30)}, {2, 0, at(t + 30)}, {3, 1, at(t + 30)}, {4, 0, at(t + 30)}});
  r.run(60);
  BOOST_REQUIRE_EQUAL(r.out.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) BOOST_TEST(r.out[i].cycle == t + 30 + i);
}

BOOST_AUTO_TEST_CASE(a_full_buffer_drops_and_counts) {
  Rx r("full");
  const std::uint64_t t = r.h.cycle();
  std::vector<Event> many;
  for (unsigned i = 0; i < spec::net::delay_buffer_depth + 5; ++i)
    many.push_back({static_cast<std::uint16_t>(i), 0, at(t + 1000)});
  r.send({many.begin(), many.begin() + 60});
  r.send({many.begin() + 60, many.end()});
  r.run(1200);
  BOOST_TEST(r.full[0] == 5u);
  BOOST_TEST(r.out.size() == spec::net::delay_buffer_depth);
  BOOST_TEST(r.decoded[0] == spec::net::delay_buffer_depth + 5);
}

BOOST_AUTO_TEST_CASE(forward_immediately_ignores_the_deadline) {
  Rx r("forward");
  r.h->forward_i = 0b10;  // split 1 only
  const std::uint64_t t = r.h.cycle();
  r.send({{7, 1, at(t - 100)}, {8, 0, at(t - 100)}});
  r.run(20);
  BOOST_REQUIRE_EQUAL(r.out.size(), 1u);
  BOOST_TEST(r.out[0].label == (1u << 14 | 7));
  BOOST_TEST(r.expired[0] == 1u);
  BOOST_TEST(r.expired[1] == 0u);
}
