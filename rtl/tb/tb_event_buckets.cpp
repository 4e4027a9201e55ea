// Bench for event_buckets: flush when full, by pulse and packet timeout on the
// exact cycle, deadline stamping (with the 16-bit wrap), packet format, several
// buckets at once, back-pressure without loss.
#include <boost/test/unit_test.hpp>

#include "Vevent_buckets.h"
#include "extoll/packet.hpp"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;

namespace {

struct Packet {
  std::vector<std::uint64_t> words;
  std::uint64_t header_cycle;
};

struct Buckets {
  explicit Buckets(const std::string& name) : h(name) { h->node_id_i = 0x0042; }
  Harness<Vevent_buckets> h;
  std::uint64_t systime = 0;
  bool pkt_ready = true;
  std::vector<Packet> packets;
  std::vector<std::uint64_t> current;
  std::uint64_t sent[8] = {}, entered[16] = {};

  static void set(auto& wide, unsigned lsb, unsigned width, std::uint64_t v) {
    for (unsigned b = 0; b < width; ++b) {
      auto& w = wide[(lsb + b) / 32];
      w = (w & ~(1u << ((lsb + b) % 32))) | (static_cast<std::uint32_t>((v >> b) & 1) << ((lsb + b) % 32));
    }
  }
  void configure(unsigned b, unsigned dest, bool multicast, unsigned delay, unsigned pulse, unsigned packet) {
    set(h->dest_i, 17 * b, 17, dest | (multicast ? 1u << 16 : 0));
    set(h->delay_i, 10 * b, 10, delay);
    set(h->timeout_i, 16 * b, 16, pulse | (packet << 8));
  }
  // One cycle; returns whether the event offered (if any) was taken.
  bool step() {
    h->systime_i = static_cast<std::uint16_t>(systime);
    h->pkt_ready_i = pkt_ready;
    h.settle();
    const bool took = h->evt_valid_i && h->evt_ready_o;
    for (unsigned b = 0; b < 8; ++b) sent[b] += (h->packet_sent_o >> b) & 1;
    for (unsigned i = 0; i < 16; ++i) entered[i] += (h->event_in_o >> i) & 1;
    if (h->pkt_valid_o && pkt_ready) {
      if (current.empty()) packets.push_back({{}, h.cycle()});
      current.push_back(h->pkt_data_o);
      if (h->pkt_last_o) {
        packets.back().words = current;
        current.clear();
      }
    }
    h.rise();
    ++systime;
    return took;
  }
  bool offer(unsigned bucket, unsigned split, unsigned label) {
    h->evt_valid_i = 1;
    h->evt_bucket_i = bucket;
    h->evt_split_i = split;
    h->evt_label_i = label;
    const bool took = step();
    h->evt_valid_i = 0;
    return took;
  }
  void run(unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) step();
  }
  // The packet as the link layer will send it: with the CRC word appended.
  static nmtwin::extoll::Packet decode(const Packet& p) {
    auto words = p.words;
    words.push_back(spec::layout::NetCrc{.crc = nmtwin::extoll::crc32(words)}.encode());
    auto d = nmtwin::extoll::decode(words);
    BOOST_REQUIRE_MESSAGE(d.packet, d.error);
    return *d.packet;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_bucket_flushes_with_stamped_deadlines) {
  Buckets b("full");
  b.configure(3, 7, false, 100, 0, 0);
  b.run(5);
  const std::uint64_t t_first = b.h.cycle(), sys_first = b.systime;
  for (unsigned i = 0; i < 16; ++i) BOOST_TEST(b.offer(3, i % 2, 500 + i));
  const std::uint64_t t_last = t_first + 15;
  b.run(20);
  BOOST_REQUIRE_EQUAL(b.packets.size(), 1u);
  // The 16th event entered on t_last and flushed the bucket; the header leaves 2 cycles later.
  BOOST_TEST(b.packets[0].header_cycle == t_last + 2);
  const auto p = Buckets::decode(b.packets[0]);
  BOOST_TEST(p.header.dest == 7u);
  BOOST_TEST(p.header.source == 0x42u);
  BOOST_TEST(p.header.multicast == 0u);
  BOOST_TEST(p.header.seq == 0u);
  BOOST_TEST(p.header.events == 16u);
  BOOST_REQUIRE_EQUAL(p.events.size(), 16u);
  for (unsigned i = 0; i < 16; ++i) {
    BOOST_TEST(p.events[i].label == 500 + i);
    BOOST_TEST(p.events[i].split == i % 2);
    BOOST_TEST(p.events[i].deadline == (sys_first + i + 100) % 65536);
  }
  BOOST_TEST(b.sent[3] == 1u);
  BOOST_TEST(b.entered[3 * 2 + 0] == 8u);
  BOOST_TEST(b.entered[3 * 2 + 1] == 8u);
}

BOOST_AUTO_TEST_CASE(pulse_timeout_flushes_p_cycles_after_the_last_event) {
  Buckets b("pulse");
  b.configure(1, 2, true, 0, 5, 0);
  const std::uint64_t t0 = b.h.cycle();
  for (unsigned i = 0; i < 3; ++i) b.offer(1, 0, i);  // cycles t0, t0 + 1, t0 + 2
  b.run(20);
  BOOST_REQUIRE_EQUAL(b.packets.size(), 1u);
  // Flush decided on t_last + P = t0 + 7; header on the output 2 cycles after that.
  BOOST_TEST(b.packets[0].header_cycle == t0 + 2 + 5 + 2);
  const auto p = Buckets::decode(b.packets[0]);
  BOOST_TEST(p.header.multicast == 1u);
  BOOST_TEST(p.events.size() == 3u);
}

BOOST_AUTO_TEST_CASE(packet_timeout_flushes_q_cycles_after_the_first_event) {
  Buckets b("packet");
  b.configure(0, 9, false, 0, 0, 4);
  const std::uint64_t t0 = b.h.cycle();
  for (unsigned i = 0; i < 10; ++i) b.offer(0, 0, i);  // one every cycle: no pulse gap
  b.run(20);
  BOOST_REQUIRE_GE(b.packets.size(), 2u);
  // First event on t0: flush on t0 + 4 with the events of t0 .. t0 + 4 (the one of
  // t0 + 4 still joins), header on t0 + 6; the next bank starts on t0 + 5.
  BOOST_TEST(b.packets[0].header_cycle == t0 + 4 + 2);
  BOOST_TEST(Buckets::decode(b.packets[0]).events.size() == 5u);
  BOOST_TEST(Buckets::decode(b.packets[1]).events.size() == 5u);
  BOOST_TEST(b.packets[1].header_cycle >= t0 + 9 + 2);
}

BOOST_AUTO_TEST_CASE(deadlines_wrap_at_16_bits) {
  Buckets b("wrap");
  b.configure(2, 1, false, 1023, 1, 0);
  b.systime = 65535 - 500;
  b.offer(2, 1, 77);
  b.run(10);
  BOOST_REQUIRE_EQUAL(b.packets.size(), 1u);
  BOOST_TEST(Buckets::decode(b.packets[0]).events.at(0).deadline == (65535 - 500 + 1023) % 65536);
}

BOOST_AUTO_TEST_CASE(flushes_queue_in_time_order_and_bucket_order_within_a_cycle) {
  Buckets b("order");
  for (unsigned k = 0; k < 8; ++k) b.configure(k, 100 + k, false, 0, 3, 0);
  b.offer(6, 0, 1);  // t: flush on t + 3
  b.offer(2, 0, 2);  // t + 1: flush on t + 4
  b.offer(5, 0, 3);  // t + 2: flush on t + 5
  b.run(30);
  std::vector<unsigned> dests;
  for (const auto& p : b.packets) dests.push_back(Buckets::decode(p).header.dest);
  BOOST_TEST(dests == (std::vector<unsigned>{106, 102, 105}), boost::test_tools::per_element());

  Buckets c("same_cycle");
  c.configure(4, 204, false, 0, 4, 0);
  c.configure(1, 201, false, 0, 3, 0);
  c.offer(4, 0, 1);  // t: flush on t + 4
  c.offer(1, 0, 2);  // t + 1: flush on t + 4 as well
  c.run(30);
  dests.clear();
  for (const auto& p : c.packets) dests.push_back(Buckets::decode(p).header.dest);
  BOOST_TEST(dests == (std::vector<unsigned>{201, 204}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(back_pressure_stops_the_router_and_loses_nothing) {
  Buckets b("backpressure");
  b.configure(0, 1, false, 0, 0, 0);  // only full flushes
  b.pkt_ready = false;
  unsigned offered = 0, taken = 0;
  for (int c = 0; c < 200; ++c) {
    if (c == 100) b.pkt_ready = true;
    b.h->evt_valid_i = offered < 64;
    b.h->evt_bucket_i = 0;
    b.h->evt_split_i = 0;
    b.h->evt_label_i = taken;
    const bool took = b.step();
    taken += took;
    offered = taken;
  }
  BOOST_TEST(taken == 64u);
  b.h->evt_valid_i = 0;
  b.run(50);
  unsigned events = 0, next = 0;
  for (const auto& p : b.packets)
    for (const auto& e : Buckets::decode(p).events) {
      BOOST_TEST(e.label == next++);
      ++events;
    }
  BOOST_TEST(events == 64u);
  BOOST_TEST(b.packets.size() == 4u);
}
