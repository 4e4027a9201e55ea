// Frame codec, CFG codec, RTO estimator and statistics: the ARQ building blocks.
#include <boost/test/unit_test.hpp>
#include <variant>

#include "hostlink/arq_frame.hpp"
#include "hostlink/rto_estimator.hpp"
#include "nmtwin/connection_stats.hpp"

using namespace nmtwin::hostlink;
using namespace std::chrono_literals;
namespace arq = nmtwin::spec::arq;

BOOST_AUTO_TEST_SUITE(arq_frame)

BOOST_AUTO_TEST_CASE(a_frame_is_big_endian_header_then_words) {
  const std::uint64_t words[] = {0x0102030405060708, 0xA0B0C0D0E0F00010};
  const Datagram d = encode_frame(0x11, 0x22, arq::Ptype::stream, words);
  const Datagram expected = {0, 0, 0, 0x11, 0, 0, 0,    0x22, 0,    1,    0,    2,    1,    2,
                             3, 4, 5, 6,    7, 8, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0x00, 0x10};
  BOOST_TEST(d == expected, boost::test_tools::per_element());
  const auto decoded = decode_datagram(d);
  const auto& frame = std::get<ArqFrame>(decoded);
  BOOST_TEST(frame.ack == 0x11u);
  BOOST_TEST(frame.seq == 0x22u);
  BOOST_TEST(frame.ptype == 1u);
  BOOST_TEST(frame.words == std::vector<std::uint64_t>(std::begin(words), std::end(words)),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(four_bytes_are_a_standalone_ack_and_the_reset_word_is_recognised) {
  BOOST_TEST(std::get<StandaloneAck>(decode_datagram(encode_ack(200))).ack == 200u);
  BOOST_TEST(encode_reset() == (Datagram{0xAB, 0xAB, 0xAB, 0xAB}), boost::test_tools::per_element());
  BOOST_TEST(is_reset(encode_reset()));
  BOOST_TEST(!is_reset(encode_ack(1)));
}

BOOST_AUTO_TEST_CASE(short_or_inconsistent_datagrams_are_malformed) {
  BOOST_TEST(std::get<MalformedFrame>(decode_datagram(Datagram(7))).why == "7 bytes: shorter than the 12-byte header");
  Datagram d = encode_frame(0, 0, arq::Ptype::stream, std::vector<std::uint64_t>{1, 2});
  d.pop_back();
  BOOST_TEST(std::get<MalformedFrame>(decode_datagram(d)).why == "27 bytes, but LEN 2 means 28");
  BOOST_TEST(std::holds_alternative<MalformedFrame>(decode_datagram(Datagram{})));
}

BOOST_AUTO_TEST_CASE(cfg_round_trips_with_the_version_string_packed_big_endian) {
  const ArqCfg cfg{.window = 64, .seq_space = 256, .max_payload_words = 90, .version = "1.22.333/1.0.0"};
  const auto words = encode_cfg(cfg);
  BOOST_TEST_REQUIRE(words.size() == 3u);  // head + 14 bytes in 2 words
  BOOST_TEST(words[0] == 0x0040'0100'005A'000Eu);
  BOOST_TEST(words[1] == 0x312E32322E333333u);  // "1.22.333"
  BOOST_TEST((decode_cfg(words) == cfg));
  BOOST_CHECK_EXCEPTION(decode_cfg(std::span(words).first(2)), std::invalid_argument, [](const auto& e) {
    return std::string(e.what()) == "CFG frame announces a 14-byte version string but carries only 2 words";
  });
  BOOST_TEST(ArqCfg{}.version == std::string(arq::version_string));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rto_estimator)

BOOST_AUTO_TEST_CASE(first_sample_sets_srtt_and_half_of_it_as_variation) {
  RtoEstimator rto({.initial = 200ms, .min = 1ms, .max = 2s});
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(200ms)));
  rto.sample(10ms);
  BOOST_TEST((rto.srtt() == RtoEstimator::Duration(10ms)));
  BOOST_TEST((rto.rttvar() == RtoEstimator::Duration(5ms)));
  BOOST_TEST(rto.rto() == RtoEstimator::Duration(30ms));  // srtt + 4 rttvar
}

BOOST_AUTO_TEST_CASE(samples_are_smoothed_by_jacobson_karels_gains) {
  RtoEstimator rto({.initial = 200ms, .min = 1ms, .max = 2s});
  rto.sample(8ms);   // srtt 8, rttvar 4
  rto.sample(16ms);  // rttvar = 3/4 * 4 + 1/4 * 8 = 5; srtt = 7/8 * 8 + 2 = 9
  BOOST_TEST((rto.rttvar() == RtoEstimator::Duration(5ms)));
  BOOST_TEST((rto.srtt() == RtoEstimator::Duration(9ms)));
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(29ms)));
}

BOOST_AUTO_TEST_CASE(rto_follows_a_slower_round_trip_upwards_and_back) {
  RtoEstimator rto;
  for (int i = 0; i < 50; ++i) rto.sample(100us);
  const auto fast = rto.rto();
  for (int i = 0; i < 50; ++i) rto.sample(40ms);
  BOOST_TEST((rto.rto() > 40 * fast));
  BOOST_TEST((rto.rto() >= RtoEstimator::Duration(40ms)));
  for (int i = 0; i < 100; ++i) rto.sample(100us);
  BOOST_TEST((rto.rto() < RtoEstimator::Duration(2ms)));
}

BOOST_AUTO_TEST_CASE(back_off_doubles_up_to_the_maximum_until_the_next_sample) {
  RtoEstimator rto({.initial = 200ms, .min = 1ms, .max = 1s});
  rto.sample(10ms);
  rto.back_off();
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(60ms)));
  for (int i = 0; i < 10; ++i) rto.back_off();
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(1s)));
  rto.sample(10ms);
  BOOST_TEST((rto.rto() < RtoEstimator::Duration(40ms)));
}

BOOST_AUTO_TEST_CASE(a_back_off_is_forgotten_when_the_timeouts_turn_out_to_be_losses) {
  RtoEstimator rto({.initial = 200ms, .min = 1ms, .max = 1s});
  rto.forget_back_off();  // no sample yet: the initial RTO stays
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(200ms)));
  rto.sample(10ms);
  rto.back_off();
  rto.back_off();
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(120ms)));
  rto.forget_back_off();
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(30ms)));
}

BOOST_AUTO_TEST_CASE(rto_stays_within_its_bounds) {
  RtoEstimator rto({.initial = 200ms, .min = 2ms, .max = 50ms});
  rto.sample(1us);
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(2ms)));
  rto.sample(10s);
  BOOST_TEST((rto.rto() == RtoEstimator::Duration(50ms)));
  BOOST_CHECK_THROW(RtoEstimator({.initial = 1ms, .min = 5ms, .max = 1ms}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(arq_stats)

BOOST_AUTO_TEST_CASE(rtt_quantiles_and_summary) {
  ConnectionStats stats;
  BOOST_TEST((stats.rtt_quantile(0.5).count() == 0));
  for (int i = 1; i <= 100; ++i) stats.add_rtt(std::chrono::microseconds(i));
  BOOST_TEST(stats.rtt_samples() == 100u);
  BOOST_TEST((stats.rtt_min() == ConnectionStats::Duration(1us)));
  BOOST_TEST((stats.rtt_quantile(0.5) == ConnectionStats::Duration(50us)));
  BOOST_TEST((stats.rtt_quantile(0.99) == ConnectionStats::Duration(99us)));
  const std::string text = stats.summary();
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(text.find("100 samples: min 1.0 us, median 50.0 us, p99 99.0 us") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
