// Bench for link_tx and link_rx joined by a wire with latency and bit errors:
// every packet arrives exactly once and in order, CRC errors lead to NAKs and
// retransmissions, credits hold back the sender, and the CRC is extoll::crc32's.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "Vlink_pair.h"
#include "extoll/packet.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;

namespace {

struct Word {
  std::uint64_t due, data;
  bool last;
};
struct Ctl {
  std::uint64_t due;
  bool nak;
  unsigned seq;
};

struct Link {
  explicit Link(const std::string& name, unsigned latency, double word_error_rate, std::uint64_t seed)
      : h(name), latency(latency), error_rate(word_error_rate), rng(seed) {}
  Harness<Vlink_pair> h;
  unsigned latency;
  double error_rate;
  nmtwin::random::Xoshiro256ss rng;
  std::deque<Word> wire;  // tx -> rx
  std::deque<Ctl> back;   // rx -> tx: ACK / NAK
  std::deque<std::uint64_t> credits;
  std::deque<std::vector<std::uint64_t>> to_send;  // packets (header + payload)
  std::size_t in_word = 0;
  std::vector<std::vector<std::uint64_t>> received;
  std::vector<std::uint64_t> current;
  std::vector<std::vector<std::uint64_t>> on_wire;  // every transmission, with its CRC word
  std::vector<std::uint64_t> wire_packet;
  std::uint64_t corrupted = 0, crc_errors = 0, retransmits = 0, kept = 0, naks = 0;
  bool out_ready = true;

  void step() {
    const std::uint64_t now = h.cycle();
    auto& d = h.dut();
    d.pkt_valid_i = !to_send.empty();
    if (!to_send.empty()) {
      d.pkt_data_i = to_send.front()[in_word];
      d.pkt_last_i = in_word + 1 == to_send.front().size();
    }
    d.tx_ready_i = 1;
    d.rx_valid_i = !wire.empty() && wire.front().due <= now;
    if (d.rx_valid_i) {
      d.rx_data_i = wire.front().data;
      d.rx_last_i = wire.front().last;
    }
    d.tx_ctl_valid_i = !back.empty() && back.front().due <= now;
    if (d.tx_ctl_valid_i) {
      d.tx_ctl_nak_i = back.front().nak;
      d.tx_ctl_seq_i = back.front().seq;
    }
    d.tx_credit_i = !credits.empty() && credits.front() <= now;
    d.out_ready_i = out_ready;
    h.settle();
    if (d.pkt_valid_i && d.pkt_ready_o && ++in_word == to_send.front().size()) {
      to_send.pop_front();
      in_word = 0;
    }
    if (d.rx_valid_i) wire.pop_front();
    if (d.tx_ctl_valid_i) back.pop_front();
    if (d.tx_credit_i) credits.pop_front();
    if (d.tx_valid_o) {
      std::uint64_t w = d.tx_data_o;
      wire_packet.push_back(w);
      if (nmtwin::random::bernoulli(rng, error_rate)) {
        w ^= std::uint64_t{1} << nmtwin::random::uniform_int(rng, 0, 63);
        ++corrupted;
      }
      wire.push_back({now + latency, w, bool(d.tx_last_o)});
      if (d.tx_last_o) on_wire.push_back(std::exchange(wire_packet, {}));
    }
    if (d.rx_ctl_valid_o) {
      back.push_back({now + latency, bool(d.rx_ctl_nak_o), d.rx_ctl_seq_o});
      naks += d.rx_ctl_nak_o;
    }
    if (d.rx_credit_o) credits.push_back(now + latency);
    if (d.out_valid_o && out_ready) {
      current.push_back(d.out_data_o);
      if (d.out_last_o) received.push_back(std::exchange(current, {}));
    }
    crc_errors += d.crc_error_o;
    retransmits += d.retransmit_o;
    kept += d.received_o;
    h.rise();
  }
};

// A packet of `n` payload words for the link: header (seq 0) + payload.
std::vector<std::uint64_t> make_packet(unsigned id, unsigned n) {
  std::vector<std::uint64_t> p{
      spec::layout::NetHeader{.dest = id & 0xFFFF, .source = 1, .words = n, .events = 2 * n}.encode()};
  for (unsigned i = 0; i < n; ++i) p.push_back((std::uint64_t{id} << 32) | i);
  return p;
}

std::uint64_t without_seq(std::uint64_t header) {
  auto h = spec::layout::NetHeader::decode(header);
  h.seq = 0;
  return h.encode();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_packet_crosses_with_seq_and_crc_and_exact_timing) {
  Link l("single", 5, 0, 1);
  l.to_send.push_back(make_packet(7, 2));
  const std::uint64_t t0 = l.h.cycle();
  std::uint64_t first_tx = 0;
  for (int c = 0; c < 60; ++c) {
    if (!first_tx && l.h->tx_valid_o) first_tx = l.h.cycle();
    l.step();
  }
  // Words in on t0 .. t0 + 2, CRC stored on t0 + 3, sending starts on t0 + 4, the
  // header is on the wire on t0 + 6.
  BOOST_TEST(first_tx == t0 + 6);
  BOOST_REQUIRE_EQUAL(l.on_wire.size(), 1u);
  const auto decoded = nmtwin::extoll::decode(l.on_wire[0]);
  BOOST_TEST(decoded.error.empty(), decoded.error);
  BOOST_TEST(decoded.packet->header.seq == 0u);
  BOOST_REQUIRE_EQUAL(l.received.size(), 1u);
  BOOST_TEST(l.received[0] == make_packet(7, 2), boost::test_tools::per_element());
  BOOST_TEST(l.kept == 1u);
  BOOST_TEST(l.h->tx_idle_o);
  BOOST_TEST(l.h->rx_idle_o);
}

// Three seeds, three different error patterns.
void lossy_run(std::uint64_t seed) {
  BOOST_TEST_MESSAGE("seed " << seed);
  Link l("errors" + std::to_string(seed), 20, 0.02, seed);
  nmtwin::random::Xoshiro256ss r(7);
  std::vector<std::vector<std::uint64_t>> sent;
  for (unsigned i = 0; i < 400; ++i) {
    sent.push_back(make_packet(i, nmtwin::random::uniform_int(r, 1u, 8u)));
    l.to_send.push_back(sent.back());
  }
  for (int c = 0; c < 200000 && l.received.size() < sent.size(); ++c) {
    l.out_ready = (c % 7) != 0;
    l.step();
  }
  for (int c = 0; c < 200; ++c) l.step();
  BOOST_REQUIRE_EQUAL(l.received.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto got = l.received[i];
    got[0] = without_seq(got[0]);
    BOOST_TEST(got == sent[i], "packet " << i);
    BOOST_TEST(spec::layout::NetHeader::decode(l.received[i][0]).seq == i % 256);
  }
  BOOST_TEST(l.corrupted > 0u);
  BOOST_TEST(l.crc_errors > 0u);
  BOOST_TEST(l.crc_errors <= l.corrupted);  // two flips in one packet are one error
  BOOST_TEST(l.retransmits >= l.crc_errors);
  BOOST_TEST(l.naks > 0u);
  BOOST_TEST(l.kept == sent.size());
  BOOST_TEST(l.h->tx_idle_o);
  BOOST_TEST(l.h->rx_idle_o);
}

BOOST_AUTO_TEST_CASE(bit_errors_are_retransmitted_and_every_packet_arrives_once_in_order) {
  for (std::uint64_t seed : {42, 43, 44}) lossy_run(seed);
}

BOOST_AUTO_TEST_CASE(credits_hold_the_sender_back_when_the_receiver_is_not_drained) {
  Link l("credits", 3, 0, 1);
  for (unsigned i = 0; i < 12; ++i) l.to_send.push_back(make_packet(i, 1));
  l.out_ready = false;  // nothing leaves the receiver: its 8 buffers fill
  std::uint64_t stalls = 0;
  for (int c = 0; c < 400; ++c) {
    stalls += l.h->credit_stall_o;
    l.step();
  }
  BOOST_TEST(l.on_wire.size() == spec::net::link_credits);  // no more than the credits
  BOOST_TEST(stalls > 0u);
  BOOST_TEST(l.crc_errors == 0u);
  l.out_ready = true;
  for (int c = 0; c < 400; ++c) l.step();
  BOOST_TEST(l.received.size() == 12u);
  BOOST_TEST(l.retransmits == 0u);
}
