// The switch as a link-layer peer on each port (ACK, NAK, credits, go-back-N,
// timeout), its store-and-forward timing, and the network's routing tables.
#include <boost/test/unit_test.hpp>

#include "extoll/network.hpp"
#include "extoll/packet.hpp"
#include "extoll/switch.hpp"
#include "nmtwin/spec.hpp"

namespace spec = nmtwin::spec;
using namespace nmtwin::extoll;

namespace {

constexpr unsigned in = 0, out = 6;

SwitchConfig config() {
  SwitchConfig c;
  c.latency_cycles = 16;
  c.connected[in] = c.connected[out] = true;
  c.bits_per_cycle[in] = c.bits_per_cycle[out] = 64;  // one word a cycle
  c.routes[7] = out;
  return c;
}

std::vector<std::uint64_t> packet(std::uint8_t seq, std::uint16_t dest = 7) {
  Packet p;
  p.header.dest = dest;
  p.header.seq = seq;
  p.events = {{.label = 5, .split = 0, .deadline = 1000}};
  return p.encode();
}

// Delivers the words on consecutive cycles from `first`; returns the cycle of the last.
std::uint64_t put(Switch& s, const std::vector<std::uint64_t>& words, std::uint64_t first) {
  for (std::size_t i = 0; i < words.size(); ++i)
    s.deliver(in, {first + i, Symbol::Kind::word, words[i], i + 1 == words.size(), 0});
  return first + words.size() - 1;
}

std::vector<Symbol> sent(Switch& s, unsigned port) {
  std::vector<Symbol> v;
  s.take_sent(port, v);
  return v;
}

std::vector<Symbol> of_kind(const std::vector<Symbol>& v, Symbol::Kind k) {
  std::vector<Symbol> r;
  for (const auto& x : v)
    if (x.kind == k) r.push_back(x);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_packet_is_acknowledged_stored_and_forwarded_with_the_next_links_sequence) {
  Switch s(config());
  const auto last = put(s, packet(0), 100);
  s.advance(1000);
  const auto back = sent(s, in);
  BOOST_REQUIRE_EQUAL(of_kind(back, Symbol::Kind::ack).size(), 1u);
  BOOST_TEST(of_kind(back, Symbol::Kind::ack)[0].cycle == last + 1);
  const auto fwd = of_kind(sent(s, out), Symbol::Kind::word);
  BOOST_REQUIRE_EQUAL(fwd.size(), 3u);
  BOOST_TEST(fwd[0].cycle == last + 16);  // store and forward: the switch latency after the last word
  BOOST_TEST(fwd[2].last);
  std::vector<std::uint64_t> words;
  for (const auto& w : fwd) words.push_back(w.word);
  const auto d = decode(words);
  BOOST_REQUIRE(d.packet.has_value());
  BOOST_TEST(d.packet->header.seq == 0u);
  BOOST_TEST(d.packet->events[0].label == 5u);
  // Its buffer is free once it left: the credit goes back upstream.
  BOOST_REQUIRE_EQUAL(of_kind(back, Symbol::Kind::credit).size(), 1u);
  BOOST_TEST(of_kind(back, Symbol::Kind::credit)[0].cycle == last + 17);
  BOOST_TEST(s.stats().packets_received == 1u);
  BOOST_TEST(s.stats().packets_sent == 1u);
  BOOST_TEST(!s.idle());  // waits for the ACK of the next hop
  s.deliver(out, {1100, Symbol::Kind::ack, 0, false, 0});
  s.advance(1200);
  BOOST_TEST(s.idle());
}

BOOST_AUTO_TEST_CASE(a_bad_crc_is_naked_counted_and_its_buffer_given_back) {
  Switch s(config());
  auto p = packet(0);
  p[1] ^= 1u << 9;
  const auto last = put(s, p, 10);
  s.advance(500);
  const auto back = sent(s, in);
  BOOST_REQUIRE_EQUAL(of_kind(back, Symbol::Kind::nak).size(), 1u);
  BOOST_TEST(of_kind(back, Symbol::Kind::nak)[0].seq == 0u);
  BOOST_TEST(of_kind(back, Symbol::Kind::credit)[0].cycle == last + 1);
  BOOST_TEST(s.stats().crc_errors == 1u);
  BOOST_TEST(sent(s, out).empty());
  // The good copy that follows goes through.
  put(s, packet(0), 600);
  s.advance(1000);
  BOOST_TEST(of_kind(sent(s, out), Symbol::Kind::word).size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_gap_is_naked_once_and_a_repeat_acknowledged_again) {
  Switch s(config());
  put(s, packet(1), 10);  // packet 0 was lost
  put(s, packet(2), 20);
  s.advance(100);
  auto back = sent(s, in);
  BOOST_TEST(of_kind(back, Symbol::Kind::nak).size() == 1u);
  BOOST_TEST(of_kind(back, Symbol::Kind::credit).size() == 2u);
  BOOST_TEST(s.stats().sequence_drops == 2u);
  put(s, packet(0), 200);
  put(s, packet(0), 210);  // a repeat
  s.advance(300);
  back = sent(s, in);
  const auto acks = of_kind(back, Symbol::Kind::ack);
  BOOST_REQUIRE_EQUAL(acks.size(), 2u);
  BOOST_TEST(acks[0].seq == 0u);
  BOOST_TEST(acks[1].seq == 0u);
}

BOOST_AUTO_TEST_CASE(a_nak_or_a_timeout_sends_again_and_counts_it) {
  Switch s(config());
  put(s, packet(0), 10);
  s.advance(100);
  sent(s, out);
  s.deliver(out, {200, Symbol::Kind::nak, 0, false, 0});  // the next hop lost it
  s.advance(300);
  auto again = of_kind(sent(s, out), Symbol::Kind::word);
  BOOST_REQUIRE_EQUAL(again.size(), 3u);
  BOOST_TEST(again[0].cycle == 200u);
  BOOST_TEST(s.stats().retransmits == 1u);
  // No answer at all: after link_timeout_cycles it goes again from the oldest.
  s.advance(200 + spec::net::link_timeout_cycles + 10);
  again = of_kind(sent(s, out), Symbol::Kind::word);
  BOOST_REQUIRE_EQUAL(again.size(), 3u);
  BOOST_TEST(again[0].cycle == 200u + spec::net::link_timeout_cycles);
  BOOST_TEST(s.stats().retransmits == 2u);
}

BOOST_AUTO_TEST_CASE(without_credits_nothing_is_sent_and_a_credit_releases_it) {
  Switch s(config());
  for (unsigned k = 0; k < spec::net::link_credits + 1; ++k) put(s, packet(static_cast<std::uint8_t>(k)), 10 + 10 * k);
  s.advance(400);
  BOOST_TEST(of_kind(sent(s, out), Symbol::Kind::word).size() == 3u * spec::net::link_credits);
  s.deliver(out, {500, Symbol::Kind::credit, 0, false, 0});
  s.advance(600);
  const auto w = of_kind(sent(s, out), Symbol::Kind::word);
  BOOST_REQUIRE_EQUAL(w.size(), 3u);
  BOOST_TEST(w[0].cycle == 500u);
}

BOOST_AUTO_TEST_CASE(no_route_is_counted) {
  Switch s(config());
  put(s, packet(0, 99), 10);
  s.advance(100);
  BOOST_TEST(s.stats().unroutable_packets == 1u);
  BOOST_TEST(s.stats().unroutable_events == 1u);
  BOOST_TEST(sent(s, out).empty());
}

BOOST_AUTO_TEST_CASE(a_torus_routes_in_dimension_order_and_its_interrupt_tree_reaches_every_node) {
  const Network n(NetworkSpec::torus({4, 2, 1}, {.latency_cycles = 10}, 16));
  // Switch 0 at (0,0): to node 5 at (1,1) first +x, to node 3 at (3,0) -x (shorter), to node 4 at (0,1) +y.
  const auto& r = n.switch_at(0).config().routes;
  BOOST_TEST(r.at(5) == 0u);
  BOOST_TEST(r.at(3) == 1u);
  BOOST_TEST(r.at(4) == 2u);
  BOOST_TEST(r.at(0) == 6u);
  BOOST_TEST(r.at(2) == 0u);  // a tie goes the + way
  BOOST_TEST(n.hops(0, 6) == 2u + 2 + 1);
  // node -> switch 0 -> switch 1 -> node 1: 10 + 1 + 10 + 1 + 10.
  BOOST_TEST(n.gi_latency()[0] == 0u);
  BOOST_TEST(n.gi_latency()[1] == 32u);
  for (auto l : n.gi_latency()) BOOST_TEST(l != unreachable);
}

BOOST_AUTO_TEST_CASE(broken_networks_are_refused_with_the_item_named) {
  NetworkSpec two_links = NetworkSpec::pair({});
  two_links.links.push_back({LinkEnd::node(0), LinkEnd::node(1), {}});
  BOOST_CHECK_EXCEPTION(Network{two_links}, std::invalid_argument, [](const auto& e) {
    return std::string(e.what()).find("node 0 has a second link") != std::string::npos;
  });
  NetworkSpec bad_port = NetworkSpec::unlinked(1);
  bad_port.switch_ids = {9};
  bad_port.links.push_back({LinkEnd::node(0), LinkEnd::switch_port(0, 7), {}});
  BOOST_CHECK_EXCEPTION(Network{bad_port}, std::invalid_argument, [](const auto& e) {
    return std::string(e.what()).find("ports 0 to 6, not 7") != std::string::npos;
  });
  NetworkSpec zero = NetworkSpec::pair({.latency_cycles = 0});
  BOOST_CHECK_THROW(Network{zero}, std::invalid_argument);
}
