// The points of a latency study: the built-in one, or the product of --sweep lists
// over a base point changed by --set, every value checked.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "experiment/toml_reader.hpp"
#include "study/study_traffic.hpp"

namespace nmtwin::apps {

namespace {

using study_detail::destinations;
using study_detail::max_delay;
using study_detail::max_nodes;
using study_detail::too_many_nodes;
namespace timeouts = spec::fpga_reg::bucket_timeout_fields;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);) out.push_back(item);
  return out;
}

double number(const std::string& name, const std::string& v) {
  try {
    std::size_t used = 0;
    const double x = std::stod(v, &used);
    if (used == v.size() && std::isfinite(x)) return x;
  } catch (const std::exception&) {
  }
  throw InputError(fmt::format("{}={}: '{}' is not a number", name, v, v));
}

void set(StudyPoint& p, const std::string& name, const std::string& v) {
  const auto whole = [&](double lo, double hi) {
    const double x = number(name, v);
    if (x != std::floor(x) || x < lo || x > hi)
      throw InputError(fmt::format("{}={}: use a whole number from {} to {}", name, v, lo, hi));
    return static_cast<std::uint64_t>(x);
  };
  const auto in_range = [&](double lo, double hi, bool open_lo) {
    const double x = number(name, v);
    if (x < lo || x > hi || (open_lo && x == lo))
      throw InputError(open_lo ? fmt::format("{}={}: use a value above {} and at most {}", name, v, lo, hi)
                               : fmt::format("{}={}: use a value from {} to {}", name, v, lo, hi));
    return x;
  };
  if (name == "rate") p.rate_per_us = in_range(0, 125, true);  // at most one spike a cycle
  else if (name == "pattern") {
    // A trace is read now, so that a missing or malformed file is an error before any point runs.
    if (v.starts_with("trace:")) parse_golden(read_input_file(v.substr(6), "traffic trace"), v.substr(6));
    else destinations(v, 0, 2);
    p.pattern = v;
  }
  else if (name == "topology") p.topology = v;
  else if (name == "nodes") {
    const double n = number(name, v);
    if (n == std::floor(n) && n > max_nodes) throw InputError(too_many_nodes(name + "=" + v));
    p.topology = fmt::format("ring{}", whole(2, max_nodes));
  }
  else if (name == "pulse_timeout") p.pulse_timeout = static_cast<unsigned>(whole(0, timeouts::pulse_timeout.max()));
  else if (name == "packet_timeout") p.packet_timeout = static_cast<unsigned>(whole(0, timeouts::packet_timeout.max()));
  else if (name == "destination_delay") p.destination_delay = static_cast<unsigned>(whole(0, max_delay));
  else if (name == "link_latency") p.link_latency = whole(1, static_cast<double>(max_link_latency_cycles));
  else if (name == "switch_latency") p.switch_latency = whole(1, 100000);
  else if (name == "bandwidth") p.bandwidth = in_range(0, 1e6, true);
  else if (name == "bit_error_rate") p.bit_error_rate = in_range(0, 0.01, false);
  else if (name == "seed") p.seed = whole(0, 1e15);
  else if (name == "warmup_us") p.warmup_us = in_range(0, 1e6, false);
  else if (name == "sample_us") p.sample_us = in_range(0, 1e6, true);
  else if (name == "drain_us") p.drain_us = in_range(0, 1e6, true);
  else
    throw InputError(fmt::format("'{}' is no study parameter; use rate, pattern, topology, nodes, pulse_timeout, "
                                 "packet_timeout, destination_delay, link_latency, switch_latency, bandwidth, "
                                 "bit_error_rate, seed, warmup_us, sample_us or drain_us",
                                 name));
}

std::pair<std::string, std::string> key_value(const std::string& item, std::string_view option) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
    throw InputError(fmt::format("{} '{}': write NAME=VALUE{}", option, item, option == "--sweep" ? ",VALUE..." : ""));
  return {item.substr(0, eq), item.substr(eq + 1)};
}

}  // namespace

std::vector<StudyPoint> study_points(const StudyOptions& o) {
  StudyPoint base = o.base;
  for (const auto& s : o.sets) {
    const auto [k, v] = key_value(s, "--set");
    if (o.sweeps.empty() && (k == "rate" || k == "destination_delay"))
      throw InputError(fmt::format("--set {}: the built-in study sweeps rate and destination_delay itself; give "
                                   "--sweep for your own points",
                                   s));
    set(base, k, v);
  }
  std::vector<StudyPoint> points;
  if (o.sweeps.empty()) {
    // The built-in study: latency against load on a ring of 8, then the deadline.
    for (const char* rate : {"0.25", "2", "4", "6", "7", "8", "10", "16", "32"}) {
      StudyPoint p = base;
      set(p, "rate", rate);
      points.push_back(p);
    }
    for (const char* delay : {"100", "150", "200", "250", "300", "350", "400"}) {
      StudyPoint p = base;
      set(p, "rate", "2");
      set(p, "destination_delay", delay);
      points.push_back(p);
    }
    return points;
  }
  points.push_back(base);
  std::vector<std::string> swept;
  for (const auto& sweep : o.sweeps) {
    const auto [name, values] = key_value(sweep, "--sweep");
    if (std::find(swept.begin(), swept.end(), name) != swept.end())
      throw InputError(fmt::format("--sweep {} is given twice; list all values in one: --sweep {}=V1,V2,...", name, name));
    swept.push_back(name);
    const auto list = split(values, ',');
    if (values.back() == ',' || std::find(list.begin(), list.end(), "") != list.end())
      throw InputError(fmt::format("--sweep {}: an empty value in '{}'", sweep, values));
    std::vector<StudyPoint> next;
    for (const auto& p : points)
      for (const auto& v : list) {
        StudyPoint q = p;
        set(q, name, v);
        next.push_back(q);
      }
    points = std::move(next);
  }
  return points;
}

}  // namespace nmtwin::apps
