#include <boost/test/unit_test.hpp>

#include "extoll/packet.hpp"

using namespace nmtwin;

BOOST_AUTO_TEST_CASE(crc_is_the_ieee_crc32_of_the_bytes_least_significant_first) {
  // "12345678" as one word, least significant byte first: the check value of
  // CRC-32/ISO-HDLC for that string.
  const std::uint64_t word = 0x3837363534333231ull;
  BOOST_TEST(extoll::crc32(std::span(&word, 1)) == 0x9AE0DAAFu);
  BOOST_TEST(extoll::crc32({}) == 0u);
}

BOOST_AUTO_TEST_CASE(a_packet_round_trips_and_any_flipped_bit_is_caught) {
  extoll::Packet p;
  p.header.dest = 7;
  p.header.source = 3;
  p.header.seq = 200;
  for (unsigned i = 0; i < 5; ++i)
    p.events.push_back({static_cast<std::uint16_t>(100 + i), static_cast<std::uint8_t>(i % 2),
                        static_cast<std::uint16_t>(65530 + i)});
  const auto words = p.encode();
  BOOST_REQUIRE_EQUAL(words.size(), 1u + 3u + 1u);
  const auto back = extoll::decode(words);
  BOOST_REQUIRE_MESSAGE(back.packet, back.error);
  BOOST_TEST(back.packet->events == p.events, boost::test_tools::per_element());
  BOOST_TEST(back.packet->header.events == 5u);
  BOOST_TEST(back.packet->header.words == 3u);
  for (std::size_t w = 0; w < words.size(); ++w)
    for (unsigned b = 0; b < 64; ++b) {
      auto bad = words;
      bad[w] ^= std::uint64_t{1} << b;
      BOOST_TEST(!extoll::decode(bad).packet, "flipped bit " << b << " of word " << w);
    }
}

BOOST_AUTO_TEST_CASE(sizes_are_checked) {
  extoll::Packet p;
  BOOST_CHECK_THROW(p.encode(), std::invalid_argument);
  p.events.resize(extoll::max_events);
  BOOST_TEST(p.encode().size() == spec::net::max_packet_words);
  p.events.resize(extoll::max_events + 1);
  BOOST_CHECK_THROW(p.encode(), std::invalid_argument);
  const std::uint64_t two[] = {1, 2};
  BOOST_TEST(extoll::decode(two).error.find("too short") != std::string::npos);
}
