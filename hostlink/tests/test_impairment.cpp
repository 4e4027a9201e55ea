// Impairment: seeded, deterministic, rates as configured; parsing errors name the item.
#include <boost/test/unit_test.hpp>
#include <set>

#include "hostlink/impairment.hpp"

using namespace nmtwin::hostlink;
using namespace std::chrono_literals;

namespace {

bool message_is(const std::exception& e, const std::string& expected) {
  BOOST_TEST_MESSAGE(e.what());
  return e.what() == expected;
}

Datagram numbered(std::uint32_t n) {
  return {static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}
std::uint32_t number(const Datagram& d) { return std::uint32_t{d[0]} << 16 | std::uint32_t{d[1]} << 8 | d[2]; }

// Pushes n numbered datagrams, one a microsecond, then waits out every delay.
std::vector<std::uint32_t> pass(const ImpairmentConfig& config, std::uint32_t n) {
  Impairment impairment(config);
  std::vector<Datagram> out;
  const Clock::time_point t0{};
  for (std::uint32_t i = 0; i < n; ++i) impairment.push(numbered(i), t0 + std::chrono::microseconds(i), out);
  impairment.release_due(Clock::time_point::max(), out);
  std::vector<std::uint32_t> numbers;
  for (const Datagram& d : out) numbers.push_back(number(d));
  return numbers;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(impairment)

BOOST_AUTO_TEST_CASE(parses_every_item_and_prints_the_same_syntax) {
  const auto c = ImpairmentConfig::parse("loss=0.05,dup=0.02,reorder=0.02,delay=0.001,seed=7");
  BOOST_TEST(c.loss == 0.05);
  BOOST_TEST(c.dup == 0.02);
  BOOST_TEST(c.reorder == 0.02);
  BOOST_TEST(c.delay == 0.001);
  BOOST_TEST(c.seed == 7u);
  BOOST_TEST(c.active());
  const auto d = ImpairmentConfig::parse("depth=5,delay_ms=2.5");
  BOOST_TEST(d.depth == 5u);
  BOOST_TEST(d.delay_time.count() == 2500);
  BOOST_TEST(!d.active());
  BOOST_TEST(ImpairmentConfig::parse(c.to_string()).to_string() == c.to_string());
  BOOST_TEST(!ImpairmentConfig::parse("").active());
}

BOOST_AUTO_TEST_CASE(errors_name_the_bad_item) {
  auto fails = [](const char* text, const std::string& expected) {
    BOOST_CHECK_EXCEPTION(ImpairmentConfig::parse(text), std::invalid_argument,
                          [&](const auto& e) { return message_is(e, expected); });
  };
  fails("loss=0.05,dup=2", "impairment item 'dup=2': a rate is a probability from 0 to 1");
  fails("loss=5%", "impairment item 'loss=5%': '5%' is not a number");
  fails("los=0.1",
        "impairment item 'los=0.1': unknown name 'los'; accepted: loss, dup, reorder, depth, delay, "
        "delay_ms, seed");
  fails("seed",
        "impairment item 'seed': expected NAME=VALUE with NAME one of loss, dup, reorder, depth, delay, "
        "delay_ms, seed");
  fails("depth=0", "impairment item 'depth=0': depth is at least 1 datagram");
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_stream_and_another_seed_another) {
  const auto config = ImpairmentConfig::parse("loss=0.05,dup=0.02,reorder=0.02,delay=0.01,seed=7");
  const auto a = pass(config, 10'000), b = pass(config, 10'000);
  BOOST_TEST(a == b, boost::test_tools::per_element());
  auto other = config;
  other.seed = 8;
  BOOST_TEST(pass(other, 10'000) != a);
  BOOST_TEST(pass(config.reverse(), 10'000) != a);
}

BOOST_AUTO_TEST_CASE(rates_come_out_as_configured) {
  Impairment impairment(ImpairmentConfig::parse("loss=0.05,dup=0.02,reorder=0.03,delay=0.01,seed=3"));
  std::vector<Datagram> out;
  for (std::uint32_t i = 0; i < 100'000; ++i) impairment.push(numbered(i), Clock::time_point{}, out);
  const ImpairmentStats& s = impairment.stats();
  BOOST_TEST(s.datagrams == 100'000u);
  BOOST_TEST(double(s.lost) == 5000.0, boost::test_tools::tolerance(0.06));
  // Rates apply to the datagrams that survived loss; delay to those not reordered.
  BOOST_TEST(double(s.duplicated) == 1900.0, boost::test_tools::tolerance(0.1));
  BOOST_TEST(double(s.reordered) == 2850.0, boost::test_tools::tolerance(0.1));
  BOOST_TEST(double(s.delayed) == 950.0 * 0.97, boost::test_tools::tolerance(0.15));
}

BOOST_AUTO_TEST_CASE(a_reordered_datagram_leaves_behind_the_next_ones_and_nothing_is_lost) {
  const auto numbers = pass(ImpairmentConfig::parse("reorder=0.2,depth=3,dup=0.1,seed=11"), 1000);
  std::multiset<std::uint32_t> seen(numbers.begin(), numbers.end());
  std::size_t late = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) BOOST_REQUIRE(seen.count(i) >= 1);
  for (std::size_t i = 1; i < numbers.size(); ++i) late += numbers[i] < numbers[i - 1];
  BOOST_TEST(late > 100u);
}

BOOST_AUTO_TEST_CASE(a_delayed_datagram_leaves_when_its_time_has_come) {
  auto config = ImpairmentConfig::parse("delay=1,delay_ms=5");
  Impairment impairment(config);
  std::vector<Datagram> out;
  const Clock::time_point t0 = Clock::now();
  impairment.push(numbered(1), t0, out);
  BOOST_TEST(out.empty());
  BOOST_TEST((impairment.next_due() == t0 + 5ms));
  impairment.release_due(t0 + 4ms, out);
  BOOST_TEST(out.empty());
  impairment.release_due(t0 + 5ms, out);
  BOOST_TEST(out.size() == 1u);
  BOOST_TEST((impairment.next_due() == Clock::time_point::max()));
}

BOOST_AUTO_TEST_SUITE_END()
