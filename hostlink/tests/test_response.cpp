#include <boost/test/unit_test.hpp>
#include <string>

#include "nmtwin/errors.hpp"
#include "nmtwin/response.hpp"

namespace resp = nmtwin::spec::resp;
using nmtwin::hostlink::decode_response;
using nmtwin::hostlink::ProtocolError;
using nmtwin::hostlink::sample_systime;

namespace {

bool names_word(const ProtocolError& e, const std::string& hex) {
  BOOST_TEST_MESSAGE(e.what());
  return std::string(e.what()).find(hex) != std::string::npos && e.protocol_errors().size() == 1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(response)

BOOST_AUTO_TEST_CASE(every_response_kind_decodes_to_its_alternative) {
  const resp::ReadData read{.tag = 3, .data = 0xcafe};
  const resp::Spike spike{.label = 0xffff, .systime = resp::Spike::systime_max};
  const resp::Halt halt{.cookie = 9, .systime = 1234};
  const resp::Error error{.reason = 3, .detail = 2, .index = 17};
  BOOST_TEST((std::get<resp::ReadData>(decode_response(read.encode())) == read));
  BOOST_TEST((std::get<resp::Spike>(decode_response(spike.encode())) == spike));
  BOOST_TEST((std::get<resp::Halt>(decode_response(halt.encode())) == halt));
  BOOST_TEST((std::get<resp::Error>(decode_response(error.encode())) == error));
  const resp::Sample sample{.neuron = 511, .value = 0x8000, .systime = resp::Sample::systime_max};
  BOOST_TEST((std::get<resp::Sample>(decode_response(sample.encode())) == sample));
  BOOST_TEST((resp::Sample{.neuron = 1, .value = 2, .systime = 3}.encode() == 0x5008001000000003u));
}

// docs/protocol.md "Samples": the newest systime not after the halt with the same bits 34:0.
BOOST_AUTO_TEST_CASE(a_sample_systime_is_the_newest_before_the_halt_with_its_low_bits) {
  constexpr std::uint64_t span = std::uint64_t{1} << 35;
  BOOST_TEST(sample_systime(3, 5) == 3u);
  BOOST_TEST(sample_systime(5, 5) == 5u);
  BOOST_TEST(sample_systime(span - 5, span + 10) == span - 5);  // taken before the wrap, halt after it
  BOOST_TEST(sample_systime(10, span + 10) == span + 10);
  BOOST_TEST(sample_systime(11, 7 * span + 10) == 6 * span + 11);
  BOOST_TEST(sample_systime(200, 100) == 200u);  // no older wrap before systime 2^35
  const std::uint64_t max = resp::Halt::systime_max;
  BOOST_TEST(sample_systime(max & (span - 1), max) == max);
}

BOOST_AUTO_TEST_CASE(an_unknown_type_names_the_word) {
  BOOST_CHECK_EXCEPTION(decode_response(0xf000000000000001), ProtocolError,
                        [](const auto& e) { return names_word(e, "0xf000000000000001"); });
  BOOST_CHECK_EXCEPTION(decode_response(0), ProtocolError,
                        [](const auto& e) { return names_word(e, "0x0000000000000000"); });
}

BOOST_AUTO_TEST_CASE(reserved_bits_make_a_word_malformed) {
  const std::uint64_t word = resp::ReadData{.tag = 1, .data = 2}.encode() | (1ull << 50);
  BOOST_CHECK_EXCEPTION(decode_response(word), ProtocolError,
                        [](const auto& e) { return names_word(e, "0x1004000100000002"); });
  const std::uint64_t spike = resp::Spike{.label = 1, .systime = 2}.encode() | (1ull << 59);
  BOOST_CHECK_THROW(decode_response(spike), ProtocolError);
}

BOOST_AUTO_TEST_CASE(an_error_reason_outside_the_spec_is_malformed) {
  for (std::uint64_t reason : {0, 7, 15})
    BOOST_CHECK_THROW(decode_response(resp::Error{.reason = reason, .detail = 1, .index = 0}.encode()), ProtocolError);
}

BOOST_AUTO_TEST_SUITE_END()
