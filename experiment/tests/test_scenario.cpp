// Scenario and golden files: what a broken golden file says, and the late-wait rule.
#include <boost/test/unit_test.hpp>

#include "experiment/scenario.hpp"

using namespace nmtwin::apps;
using namespace std::string_literals;

namespace {

// parse_golden fails with a message that contains `part`.
void golden_fails_with(const std::string& text, const std::string& part) {
  try {
    parse_golden(text, "g.golden");
    BOOST_ERROR("no error; expected: " << part);
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, "got: " << e.what() << "\nexpected: " << part);
  }
}

const char* scenario = "[scenario]\ntags = [\"x\"]\nduration_us = 5\n";

}  // namespace

BOOST_AUTO_TEST_CASE(a_golden_file_reads_back) {
  const auto o = parse_golden("# comment\nread 0 scratch 7\ncounter 1 late_waits 0  # é\nspike 2 200 933\n", "g");
  BOOST_REQUIRE_EQUAL(o.reads.size(), 1u);
  BOOST_TEST(o.reads[0].value == 7u);
  BOOST_REQUIRE_EQUAL(o.counters.size(), 1u);
  BOOST_TEST(o.counters[0].node == 1u);
  BOOST_REQUIRE_EQUAL(o.spikes.size(), 1u);
  BOOST_TEST(o.spikes[0].time == 933);
}

// A binary or damaged line is named by file, line and byte, never printed raw; a
// repeated read or counter is named with both lines (it compared as "expected 0, not
// measured" before).
BOOST_AUTO_TEST_CASE(binary_and_duplicated_golden_lines_name_file_line_and_fix) {
  golden_fails_with("read 0 scratch 7\nspike 0 1 \0\x01\x02"s,
                    "g.golden:2: byte 0x00 at column 11 is not text; a golden file is text");
  golden_fails_with("\x89PNG\r\n\x1a\n", "g.golden:1: byte 0x89 at column 1 is not text");
  golden_fails_with("read 0 scratch 7\r\nread 0 scratch \x7f\n", "g.golden:2: byte 0x7f at column 16");
  golden_fails_with("counter 0 late_waits 0\nspike 0 1 5\ncounter 0 late_waits 0\n",
                    "g.golden:3: counter late_waits of node 0 is given twice (also on line 1); keep one line");
  golden_fails_with("read 1 scratch 7\nread 1 scratch 8\n", "g.golden:2: read scratch of node 1 is given twice");
  // The same name on two nodes, or as a read and a counter, is no repetition.
  BOOST_TEST(parse_golden("counter 0 late_waits 0\ncounter 1 late_waits 0\nread 0 late_waits 0\n", "g")
                 .counters.size() == 2u);
  golden_fails_with("spike 0 1\n", "g.golden:1: 'spike 0 1' is no golden line");
  // Found by fuzz_files: a value above 2^64 - 1 escaped as std::out_of_range from std::stoull.
  golden_fails_with("read 0 scratch 18446744073709551616\n",
                    "g.golden:1: read scratch of node 0: 18446744073709551616 does not fit in 64 bits");
  BOOST_TEST(parse_golden("read 0 scratch 18446744073709551615\n", "g").reads[0].value == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(late_waits_are_an_error_unless_the_scenario_allows_them) {
  const auto strict = parse_scenario(scenario, "s.toml");
  BOOST_TEST(!strict.allow_late_waits);
  Outcome o;
  o.late_waits = {0, 0};
  BOOST_TEST(late_wait_error(strict, o).empty());
  o.late_waits = {0, 3};
  const auto message = late_wait_error(strict, o);
  BOOST_TEST(message.find("node 1: 3 late waits") != std::string::npos, message);
  BOOST_TEST(message.find("allow_late_waits = true") != std::string::npos, message);
  const auto allowing = parse_scenario(std::string(scenario) + "allow_late_waits = true\n", "s.toml");
  BOOST_TEST(late_wait_error(allowing, o).empty());
  try {
    parse_scenario(std::string(scenario) + "allow_late_waits = 1\n", "s.toml");
    BOOST_ERROR("a number was taken for allow_late_waits");
  } catch (const InputError& e) {
    BOOST_TEST(std::string(e.what()).find("s.toml:4: 'allow_late_waits' must be true or false") != std::string::npos,
               e.what());
  }
}
