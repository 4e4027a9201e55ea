#include <boost/test/unit_test.hpp>
#include <string>

#include "nmtwin/errors.hpp"
#include "nmtwin/response.hpp"

namespace resp = nmtwin::spec::resp;
using nmtwin::hostlink::decode_response;
using nmtwin::hostlink::ProtocolError;

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
