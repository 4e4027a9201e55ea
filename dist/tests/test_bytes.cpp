// ByteWriter / ByteReader (dist/bytes.hpp): the byte format of messages between ranks.
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include "dist/bytes.hpp"

using nmtwin::dist::ByteReader;
using nmtwin::dist::Bytes;
using nmtwin::dist::ByteWriter;

namespace {

// The message of the std::runtime_error that `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(integers_are_little_endian) {
  ByteWriter w;
  w.u8(0x01);
  w.u16(0x0302);
  w.u32(0x07060504);
  w.u64(0x0f0e0d0c0b0a0908);
  const Bytes expected{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  BOOST_TEST(w.data() == expected, boost::test_tools::per_element());
  BOOST_TEST(w.size() == 15u);
}

BOOST_AUTO_TEST_CASE(what_is_written_reads_back) {
  ByteWriter w;
  w.u8(255);
  w.u16(65535);
  w.u32(0xdeadbeef);
  w.u64(~std::uint64_t{0} - 1);
  const Bytes raw{9, 8, 7};
  w.bytes(raw);
  w.bytes({});
  const Bytes message = w.take();
  ByteReader r(message, "the message from rank 2");
  BOOST_TEST(r.u8() == 255u);
  BOOST_TEST(r.u16() == 65535u);
  BOOST_TEST(r.u32() == 0xdeadbeefu);
  BOOST_TEST(r.u64() == ~std::uint64_t{0} - 1);
  const auto got = r.bytes(3);
  BOOST_TEST(Bytes(got.begin(), got.end()) == raw, boost::test_tools::per_element());
  BOOST_TEST(r.bytes(0).empty());
  BOOST_TEST(r.remaining() == 0u);
  BOOST_TEST(r.position() == message.size());
  r.finish();
}

BOOST_AUTO_TEST_CASE(a_truncated_message_names_its_source_and_field) {
  const Bytes message{1, 0, 0, 0, 7, 0};
  ByteReader r(message, "the message from rank 2");
  BOOST_TEST(r.u32("the number of events") == 1u);
  BOOST_TEST(error_of([&] { r.u32("the time of event 0"); }) ==
             "the message from rank 2: cut short reading the time of event 0 (4 bytes) at byte 4: only 2 of its 6 "
             "bytes are left; the ranks must run the same build");
  BOOST_TEST(r.position() == 4u);  // a failed read takes nothing
  BOOST_TEST(error_of([&] { r.bytes(3); }).find("cut short reading bytes (3 bytes) at byte 4") != std::string::npos);
  BOOST_TEST(error_of([&] { ByteReader(Bytes{}, "an empty message").u8(); }) ==
             "an empty message: cut short reading a u8 (1 byte) at byte 0: only 0 of its 0 bytes are left; the ranks "
             "must run the same build");
}

BOOST_AUTO_TEST_CASE(bytes_left_over_are_an_error) {
  const Bytes message{1, 2, 3};
  ByteReader r(message, "the peer list of rank 1");
  r.u16();
  BOOST_TEST(error_of([&] { r.finish(); }) ==
             "the peer list of rank 1: 1 byte left over at byte 2 of 3 after its last field; the ranks must run the "
             "same build");
  r.u8();
  BOOST_TEST(error_of([&] { r.finish(); }).empty());
}
