#pragma once
// What the host-library tests check of an exception: its message names the input.
#include <boost/test/unit_test.hpp>

#include <exception>
#include <string>

namespace nmtwin::hostlink::test {

/// Whether the message of `e` contains `part`; the message goes to the test log.
inline bool message_contains(const std::exception& e, const std::string& part) {
  BOOST_TEST_MESSAGE(e.what());
  return std::string(e.what()).find(part) != std::string::npos;
}

}  // namespace nmtwin::hostlink::test
