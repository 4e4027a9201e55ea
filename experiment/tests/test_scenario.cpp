// Scenario files: the late-wait rule.
#include <boost/test/unit_test.hpp>

#include "experiment/scenario.hpp"

using namespace nmtwin::apps;

namespace {

const char* scenario = "[scenario]\ntags = [\"x\"]\nduration_us = 5\n";

}  // namespace

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
