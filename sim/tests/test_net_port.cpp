#include <boost/test/unit_test.hpp>

#include "sim/net_port.hpp"

using nmtwin::sim::LinkSymbol;
using nmtwin::sim::NetPort;
using nmtwin::sim::NetPortSample;
using Kind = LinkSymbol::Kind;

BOOST_AUTO_TEST_CASE(words_arrive_on_their_cycle_and_wait_for_ready) {
  NetPort port;
  port.deliver({10, Kind::word, 0xA, false});
  port.deliver({10, Kind::word, 0xB, true});
  BOOST_TEST(port.next_arrival() == 10u);
  BOOST_TEST(!port.drive(9).rx_valid);
  auto d = port.drive(10);
  BOOST_TEST(d.rx_valid);
  BOOST_TEST(d.rx_data == 0xAu);
  port.sample(10, d, NetPortSample{.rx_ready = false});  // not taken: stays
  BOOST_TEST(port.rx_stalls() == 1u);
  d = port.drive(11);
  BOOST_TEST(d.rx_data == 0xAu);
  port.sample(11, d, NetPortSample{.rx_ready = true});
  d = port.drive(12);
  BOOST_TEST(d.rx_data == 0xBu);
  BOOST_TEST(d.rx_last);
  port.sample(12, d, NetPortSample{.rx_ready = true});
  BOOST_TEST(!port.drive(13).rx_valid);
  BOOST_TEST(port.idle());
}

BOOST_AUTO_TEST_CASE(control_symbols_one_per_cycle_credits_beside_them) {
  NetPort port;
  port.deliver({5, Kind::ack, 0, false, 7});
  port.deliver({5, Kind::nak, 0, false, 8});
  port.deliver({5, Kind::credit});
  port.deliver({6, Kind::gi});
  auto d = port.drive(5);
  BOOST_TEST(d.tx_ctl_valid);
  BOOST_TEST(!d.tx_ctl_nak);
  BOOST_TEST(d.tx_ctl_seq == 7u);
  BOOST_TEST(d.tx_credit);
  BOOST_TEST(!d.gi);
  port.sample(5, d, {});
  d = port.drive(6);
  BOOST_TEST(d.tx_ctl_valid);
  BOOST_TEST(d.tx_ctl_nak);
  BOOST_TEST(d.tx_ctl_seq == 8u);
  BOOST_TEST(!d.tx_credit);
  BOOST_TEST(d.gi);
  port.sample(6, d, {});
  d = port.drive(7);
  BOOST_TEST(!d.tx_ctl_valid);
  BOOST_TEST(!d.gi);
}

BOOST_AUTO_TEST_CASE(sending_is_paced_to_the_bandwidth_and_stamped) {
  NetPort port(32);  // a 64-bit word every 2 cycles
  std::vector<std::uint64_t> sent_at;
  for (std::uint64_t c = 0; c < 8; ++c) {
    const auto d = port.drive(c);
    if (d.tx_ready) sent_at.push_back(c);
    port.sample(c, d, NetPortSample{.tx_valid = true, .tx_data = c, .rx_ctl_valid = c == 3, .rx_ctl_seq = 9});
  }
  BOOST_TEST(sent_at == (std::vector<std::uint64_t>{0, 2, 4, 6}), boost::test_tools::per_element());
  std::vector<LinkSymbol> out;
  port.take_sent(out);
  BOOST_REQUIRE_EQUAL(out.size(), 5u);
  BOOST_TEST((out[2] == LinkSymbol{3, Kind::ack, 0, false, 9}));
  BOOST_TEST(out[4].word == 6u);
  BOOST_TEST(port.idle());

  NetPort fractional(50);  // 1.28 cycles a word: word n starts at 1.28 n, in cycle floor(1.28 n)
  std::uint64_t words = 0;
  for (std::uint64_t c = 0; c < 100; ++c) {
    const auto d = fractional.drive(c);
    words += d.tx_ready;
    fractional.sample(c, d, NetPortSample{.tx_valid = true});
  }
  BOOST_TEST(words == 79u);  // words 0..78 start before cycle 100
}
