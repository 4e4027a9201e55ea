// nmtwin health's report formats: the Prometheus text passes the strict format check
// (tests/support/prometheus_format.hpp) also with awkward label values, the check itself
// refuses each kind of broken exposition, and the JSON carries every check.
#include <boost/test/unit_test.hpp>

#include "experiment/health.hpp"
#include "tests/support/prometheus_format.hpp"

using namespace nmtwin::apps;
using nmtwin::testsupport::prometheus_problems;

namespace {
HealthReport sample() {
  HealthReport r;
  r.target = "udp://127.0.0.1:5000?a=\"b\"\\c\nd";
  r.checks.push_back({0, "register_patterns", HealthStatus::failed, false, "bit 5 stuck at 1", {{"register_stuck_bit", 1}}});
  r.checks.push_back({0, "extoll_link", HealthStatus::healthy, true, "no link", {}});
  r.checks.push_back({1, "register_patterns", HealthStatus::healthy, false, "ok", {{"register_stuck_bit", 0}}});
  r.checks.push_back({1, "arq", HealthStatus::degraded, false, "retransmitted", {{"host_rtt_min_seconds", 1.5e-05}}});
  return r;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_prometheus_text_is_valid_exposition_format) {
  const auto text = health_prometheus(sample());
  const auto problems = prometheus_problems(text);
  BOOST_TEST(problems.empty(), text << (problems.empty() ? "" : problems.front()));
  BOOST_TEST(text.find("nmtwin_health_status{target=\"udp://127.0.0.1:5000?a=\\\"b\\\"\\\\c\\nd\"} 2\n") !=
             std::string::npos, text);
  BOOST_TEST(text.find("nmtwin_health_check_status{node=\"0\",check=\"extoll_link\"} -1\n") != std::string::npos);
  BOOST_TEST(text.find("nmtwin_health_register_stuck_bit{node=\"1\"} 0\n") != std::string::npos);
  BOOST_TEST(text.find("nmtwin_health_host_rtt_min_seconds{node=\"1\"} 1.5e-05\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_format_check_refuses_broken_expositions) {
  const std::string head = "# HELP a_b A.\n# TYPE a_b gauge\n";
  BOOST_TEST(prometheus_problems(head + "a_b 1\n").empty());
  BOOST_TEST(prometheus_problems(head + "a_b{x=\"1\",y=\"a\\\"b\"} 1 1700000000000\n").empty());
  for (const std::string& bad : std::vector<std::string>{
           head + "a_b 1",                                            // no final line feed
           "# HELP a_stuck_bits A.\n# TYPE a_stuck_bits gauge\na_stuck_bits 1\n",  // not a base unit
           "# HELP a_b_total A.\n# TYPE a_b_total gauge\na_b_total 1\n",           // _total on a gauge
           "# HELP a_b_count A.\n# TYPE a_b_count gauge\na_b_count 1\n",           // _count on a gauge
           "# TYPE a_b gauge\na_b 1\n",                               // no HELP
           "# HELP a_b A.\na_b 1\n",                                  // no TYPE
           head + "a_b 1\n# HELP c C.\n# TYPE c gauge\nc 1\na_b{x=\"2\"} 1\n",  // family not contiguous
           head + "a_b{x=\"1\"} 1\na_b{x=\"1\"} 2\n",                // duplicate series
           head + "a_b{x=\"a\\qb\"} 1\n",                             // bad escape
           head + "a_b{x=1} 1\n",                                     // unquoted label value
           head + "a_b{__x=\"1\"} 1\n",                               // reserved label name
           head + "a_b{x=\"1\",x=\"2\"} 1\n",                         // label twice
           head + "a_b one\n",                                        // not a number
           head + "a_b 0x10\n",                                       // hex is not Go's float
           head + "a_b 1 2 3\n",                                      // text after the timestamp
           "# HELP 1a A.\n# TYPE 1a gauge\n1a 1\n",                   // bad metric name
           "# HELP a_b A.\n# TYPE a_b gauge\n# TYPE a_b gauge\na_b 1\n",  // two TYPEs
           "# HELP a A.\n# TYPE a counter\na 1\n",                    // counter without _total
           "# HELP a_b A.\n# TYPE a_b gauges\na_b 1\n",               // unknown type
           "# HELP aB A.\n# TYPE aB gauge\naB 1\n",                   // camelCase
       })
    BOOST_TEST(!prometheus_problems(bad).empty(), bad);
}

BOOST_AUTO_TEST_CASE(the_json_carries_every_check_and_the_exit_status) {
  const auto j = health_json(sample());
  BOOST_TEST(j.find("\"status\": \"failed\"") != std::string::npos, j);
  BOOST_TEST(j.find("\"exit_status\": 2") != std::string::npos);
  BOOST_TEST(j.find("\"target\": \"udp://127.0.0.1:5000?a=\\\"b\\\"\\\\c\\nd\"") != std::string::npos, j);
  BOOST_TEST(j.find("{\"node\": 0, \"check\": \"extoll_link\", \"status\": \"skipped\"") != std::string::npos, j);
  BOOST_TEST(j.find("\"metrics\": {\"host_rtt_min_seconds\": 1.5e-05}") != std::string::npos, j);
}
