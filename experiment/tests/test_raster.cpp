#include <boost/test/unit_test.hpp>

#include "experiment/raster.hpp"

using namespace nmtwin::apps;

namespace {
std::size_t count(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (auto i = s.find(part); i != std::string::npos; i = s.find(part, i + 1)) ++n;
  return n;
}
RasterOptions two_groups() {
  return {.title = "a <test>",
          .start_us = 0,
          .end_us = 100,
          .groups = {{.name = "chip 0 exc", .node = 0, .first = 10, .last = 19},
                     {.name = "chip 1 exc", .node = 1, .first = 10, .last = 19, .color = "#b22222"}}};
}
}  // namespace

BOOST_AUTO_TEST_CASE(one_dot_per_spike_in_range_and_in_a_group) {
  const std::vector<RasterSpike> spikes = {
      {0, 10, 5.0}, {0, 19, 50.0}, {1, 12, 99.5},   // drawn
      {0, 9, 5.0},  {2, 10, 5.0},  {1, 12, 100.5},  // no group, no group, out of range
  };
  const auto svg = raster_svg(spikes, two_groups());
  BOOST_TEST(count(svg, "class=\"spike\"") == 3u);
  BOOST_TEST(count(svg, "fill=\"#b22222\"") == 1u);
  BOOST_TEST(svg.find("a &lt;test&gt;") != std::string::npos);
  BOOST_TEST(svg.find("chip 1 exc") != std::string::npos);
  BOOST_TEST(svg.rfind("</svg>\n") == svg.size() - 7);
  BOOST_TEST(raster_svg(spikes, two_groups()) == svg);  // deterministic
}

BOOST_AUTO_TEST_CASE(dots_sit_in_their_row_and_at_their_time) {
  const auto svg = raster_svg({{1, 10, 50.0}}, two_groups());
  // x: left 170 + 50 % of 700; y: top 50 + 10 rows of group 0 + half a row, 4 px each.
  BOOST_TEST(svg.find("cx=\"520.00\" cy=\"92.0\"") != std::string::npos, svg);
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused) {
  auto o = two_groups();
  o.end_us = 0;
  BOOST_CHECK_THROW(raster_svg({}, o), std::invalid_argument);
  o = two_groups();
  o.groups[0].last = 5;
  BOOST_CHECK_THROW(raster_svg({}, o), std::invalid_argument);
  BOOST_CHECK_THROW(write_raster_svg("/nonexistent-dir/x.svg", {}, two_groups()), std::runtime_error);
}
