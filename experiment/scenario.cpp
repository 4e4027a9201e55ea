#include "experiment/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include "experiment/synfire.hpp"
#include "experiment/topology_file.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> strings(const Reader& r, const toml::node& node, std::string_view key) {
  const auto* arr = node.as_array();
  if (!arr) r.fail(node, fmt::format("'{}' must be a list of strings, e.g. [\"smoke\"]", key));
  std::vector<std::string> out;
  for (const auto& x : *arr) out.push_back(r.string(x, key));
  return out;
}

bool is_fpga_register(const std::string& name) { return fpga_register(name).has_value(); }

void parse_tolerance(const Reader& r, const toml::table& t, Scenario& s) {
  r.check_keys(t, "[tolerance]", {"spike_time_cycles", "counters"});
  if (const auto* n = t.get("spike_time_cycles"))
    s.tolerance.spike_time_cycles = static_cast<std::uint64_t>(r.integer(*n, "spike_time_cycles", 0, 1'000'000));
  if (const auto* n = t.get("counters")) {
    const auto* tab = n->as_table();
    if (!tab) r.fail(*n, "'counters' must be a table of counter = deviation, e.g. { link_retransmits = \"any\" }");
    for (auto&& [key, v] : *tab) {
      const std::string name(key.str());
      if (!is_fpga_register(name)) r.fail(v, fmt::format("tolerance for '{}', which is no FPGA register", name));
      if (v.is_string()) {
        if (r.string(v, name) != "any") r.fail(v, fmt::format("'{}' takes a deviation (0, 1, ...) or \"any\"", name));
        s.tolerance.counters[name] = -1;
      } else {
        s.tolerance.counters[name] = r.integer(v, name, 0, INT64_MAX);
      }
    }
  }
}

void parse_chips(const Reader& r, const toml::node& node, Scenario& s) {
  std::set<unsigned> seen;
  for (const auto& c : r.tables(node, "chip")) {
    const auto& t = *c.as_table();
    std::vector<std::string_view> allowed{"node"};
    allowed.insert(allowed.end(), experiment_sections().begin(), experiment_sections().end());
    r.check_keys(t, "[[chip]]", allowed);
    const auto& n = r.require(t, "node", "[[chip]]");
    const auto node_index = static_cast<unsigned>(r.integer(n, "node", 0, s.nodes - 1));
    if (!seen.insert(node_index).second) r.fail(n, fmt::format("node {} has a second [[chip]]", node_index));
    parse_experiment_sections(r, t, s.chips[node_index]);
  }
}

// The chips of the synfire example file, in one regime ("strong" or "weak").
void load_synfire_chips(const Reader& r, const toml::node& file, const toml::node* regime, Scenario& s) {
  const std::string path = path_beside(s.path, r.string(file, "synfire"));
  std::string text;
  try {
    text = read_input_file(path, "synfire file");
  } catch (const InputError& e) {
    r.fail(file, e.what());
  }
  const auto example = parse_synfire_example(text, path);
  const std::string which = regime ? r.string(*regime, "regime") : "strong";
  if (which != "strong" && which != "weak") r.fail(*regime, "'regime' is \"strong\" or \"weak\" (inhibition)");
  auto params = example.params;
  params.w_inh = which == "strong" ? example.w_inh_strong : example.w_inh_weak;
  s.chips = build_synfire(params).chips;
  s.duration = params.duration;
  s.topology = example.topology.empty() ? "pair" : example.topology;
  s.node_ids = {0, 1};
  s.nodes = 2;
}

}  // namespace

bool Scenario::has_tag(std::string_view tag) const { return std::find(tags.begin(), tags.end(), tag) != tags.end(); }

Scenario parse_scenario(std::string_view text, const std::string& path) {
  const toml::table doc = parse_toml(text, path);
  const Reader r(path);
  r.check_keys(doc, "the scenario file", {"scenario", "tolerance", "chip"});
  const auto* head = doc.get_as<toml::table>("scenario");
  if (!head) r.fail(doc, "a scenario needs a [scenario] table with at least 'duration_us' and 'tags'");
  r.check_keys(*head, "[scenario]",
               {"name", "description", "tags", "topology", "duration_us", "seed", "impair", "counters", "synfire",
                "regime", "allow_late_waits"});
  Scenario s;
  s.path = path;
  s.name = head->get("name") ? r.string(*head->get("name"), "name") : fs::path(path).stem().string();
  if (const auto* n = head->get("description")) s.description = r.string(*n, "description");
  s.tags = strings(r, r.require(*head, "tags", "[scenario]"), "tags");
  const toml::node* synfire = head->get("synfire");
  if (synfire) {
    if (head->get("duration_us") || head->get("topology") || doc.get("chip"))
      r.fail(*synfire, "a synfire scenario takes its chips, duration and topology from the synfire file; remove "
                       "duration_us, topology and [[chip]]");
    load_synfire_chips(r, *synfire, head->get("regime"), s);
  } else {
    s.duration = r.cycles(r.require(*head, "duration_us", "[scenario]"), "duration_us");
    if (s.duration == 0) r.fail(*head->get("duration_us"), "'duration_us' must be positive");
  }
  if (const auto* n = head->get("seed")) s.seed = static_cast<std::uint64_t>(r.integer(*n, "seed", 0, INT64_MAX));
  if (const auto* n = head->get("impair")) s.impair = r.string(*n, "impair");
  if (const auto* n = head->get("allow_late_waits")) s.allow_late_waits = r.boolean(*n, "allow_late_waits");
  if (const auto* n = head->get("counters")) {
    s.counters = strings(r, *n, "counters");
    for (const auto& c : s.counters)
      if (!is_fpga_register(c)) r.fail(*n, fmt::format("counter '{}' is no FPGA register (spec/nmtwin.toml)", c));
  }
  if (const auto* n = synfire ? nullptr : head->get("topology"); n && r.string(*n, "topology") != "single") {
    s.topology = r.string(*n, "topology");
    s.topology = path_beside(path, s.topology);
    try {
      s.node_ids = simulation_config(find_topology(s.topology)).network.node_ids;
    } catch (const InputError& e) {
      r.fail(*n, e.what());
    }
    s.nodes = static_cast<unsigned>(s.node_ids.size());
  }
  if (!synfire) s.chips.resize(s.nodes);
  if (const auto* t = doc.get_as<toml::table>("tolerance")) parse_tolerance(r, *t, s);
  if (const auto* c = doc.get("chip")) parse_chips(r, *c, s);
  for (auto& chip : s.chips) {
    chip.name = s.name;
    chip.duration = s.duration;
    check_sources_fit(chip, path);
  }
  s.golden = (fs::path(path).parent_path() / "golden" / (s.name + ".golden")).string();
  return s;
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(read_input_file(path, "scenario file"), path);
}

std::vector<Scenario> load_scenarios(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& e : fs::directory_iterator(p))
        if (e.path().extension() == ".toml") in_dir.push_back(e.path().string());
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      throw InputError(fmt::format("'{}': no such scenario file or directory", p));
    }
  }
  std::vector<Scenario> out;
  std::map<std::string, std::string> names;
  for (const auto& f : files) {
    try {
      out.push_back(load_scenario(f));
    } catch (const InputError& e) {
      Scenario broken;
      broken.name = fs::path(f).stem().string();
      broken.path = f;
      broken.load_error = e.what();
      out.push_back(std::move(broken));
    }
    const auto [it, fresh] = names.emplace(out.back().name, f);
    if (!fresh)
      throw InputError(fmt::format("{}: scenario name '{}' is taken by {}; give each scenario its own name", f,
                                   out.back().name, it->second));
  }
  return out;
}

std::string golden_text(const Scenario& s, const Outcome& o) {
  std::string t = fmt::format(
      "# Golden results of scenario {} ({}), written by `nmtwin regress --update-golden`.\n"
      "# read|counter NODE NAME VALUE; spike NODE LABEL TIME (FPGA cycles from the synchronised start)\n",
      s.name, fs::path(s.path).filename().string());
  for (const auto& v : o.reads) t += fmt::format("read {} {} {}\n", v.node, v.name, v.value);
  for (const auto& v : o.counters) t += fmt::format("counter {} {} {}\n", v.node, v.name, v.value);
  for (const auto& x : o.spikes) t += fmt::format("spike {} {} {}\n", x.node, x.label, x.time);
  return t;
}

Outcome parse_golden(std::string_view text, const std::string& origin) {
  Outcome o;
  std::istringstream in{std::string(text)};
  std::string line;
  std::map<std::tuple<std::string, unsigned, std::string>, int> first_line;  // of each read and counter
  for (int number = 1; std::getline(in, line); ++number) {
    // A golden file is text, ASCII outside comments: any other byte means a binary or
    // damaged file, named by its position rather than printed.
    const auto not_text = [&](std::size_t end, bool ascii) {
      const auto bad = std::find_if(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(end), [&](unsigned char c) {
        return (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f || (ascii && c >= 0x80);
      });
      if (bad != line.begin() + static_cast<std::ptrdiff_t>(end))
        throw InputError(fmt::format("{}:{}: byte 0x{:02x} at column {} is not text; a golden file is text written by "
                                     "nmtwin regress --update-golden: restore it from version control or rewrite it "
                                     "from a run you have checked",
                                     origin, number, static_cast<unsigned char>(*bad), bad - line.begin() + 1));
    };
    not_text(line.size(), false);
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);  // comments
    not_text(line.size(), true);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    bool ok = false;
    if (kind == "read" || kind == "counter") {
      Outcome::Value v;
      std::string value;
      ok = static_cast<bool>(words >> v.node >> v.name >> value) && !value.empty() &&
           value.find_first_not_of("0123456789") == std::string::npos;
      if (ok && std::from_chars(value.data(), value.data() + value.size(), v.value).ec != std::errc{})
        throw InputError(
            fmt::format("{}:{}: {} {} of node {}: {} does not fit in 64 bits (at most {}); fix that "
                        "line, or rewrite the file with nmtwin regress --update-golden",
                        origin, number, kind, v.name, v.node, value, UINT64_MAX));
      if (ok) {
        const auto [it, fresh] = first_line.emplace(std::tuple{kind, v.node, v.name}, number);
        if (!fresh)
          throw InputError(fmt::format("{}:{}: {} {} of node {} is given twice (also on line {}); keep one line per "
                                       "{}, or rewrite the file with nmtwin regress --update-golden",
                                       origin, number, kind, v.name, v.node, it->second, kind));
      }
      (kind == "read" ? o.reads : o.counters).push_back(v);
    } else if (kind == "spike") {
      Outcome::Spike x;
      ok = static_cast<bool>(words >> x.node >> x.label >> x.time);
      o.spikes.push_back(x);
    }
    std::string rest;
    if (!ok || (words >> rest))
      throw InputError(fmt::format("{}:{}: '{}' is no golden line: write read|counter NODE NAME VALUE (VALUE 0 or "
                                   "more) or spike NODE LABEL TIME; fix that line, or rewrite the whole file from a "
                                   "run you have checked with nmtwin regress --update-golden",
                                   origin, number, line));
  }
  return o;
}

namespace {

std::string us(std::int64_t cycles) { return fmt::format("{:.3f} us", static_cast<double>(cycles) * spec::cycle_ns / 1000.0); }

void compare_values(std::string_view kind, const std::vector<Outcome::Value>& expected,
                    const std::vector<Outcome::Value>& got, const std::map<std::string, std::int64_t>& tolerance,
                    std::vector<std::string>& out) {
  std::map<std::pair<unsigned, std::string>, std::uint64_t> have;
  for (const auto& v : got) have[{v.node, v.name}] = v.value;
  for (const auto& e : expected) {
    const auto it = have.find({e.node, e.name});
    if (it == have.end()) {
      out.push_back(fmt::format("{} {} of node {}: expected {}, not measured", kind, e.name, e.node, e.value));
      continue;
    }
    const auto tol = tolerance.find(e.name);
    const std::int64_t allowed = tol == tolerance.end() ? 0 : tol->second;
    const auto diff = static_cast<std::int64_t>(it->second) - static_cast<std::int64_t>(e.value);
    if (allowed >= 0 && std::abs(diff) > allowed)
      out.push_back(fmt::format("{} {} of node {}: expected {}{}, got {}", kind, e.name, e.node, e.value,
                                allowed > 0 ? fmt::format(" ± {}", allowed) : "", it->second));
    have.erase(it);
  }
  for (const auto& [key, value] : have)
    out.push_back(fmt::format("{} {} of node {}: got {}, which the golden file does not have", kind, key.second,
                              key.first, value));
}

}  // namespace

std::vector<std::string> compare(const Scenario& s, const Outcome& expected, const Outcome& got) {
  std::vector<std::string> out;
  compare_values("read-back", expected.reads, got.reads, {}, out);
  compare_values("counter", expected.counters, got.counters, s.tolerance.counters, out);
  // Spikes per (node, label) stream, in order: within the tolerance they may swap
  // places with other nodes' spikes; the earliest divergence is reported.
  const auto tol = static_cast<std::int64_t>(s.tolerance.spike_time_cycles);
  using Key = std::pair<unsigned, std::uint16_t>;
  std::map<Key, std::vector<std::int64_t>> want, have;
  for (const auto& x : expected.spikes) want[{x.node, x.label}].push_back(x.time);
  for (const auto& x : got.spikes) have[{x.node, x.label}].push_back(x.time);
  struct Divergence {
    std::int64_t at = INT64_MAX;
    std::string text;
  } first;
  const auto note = [&](std::int64_t at, std::string text) {
    if (at < first.at) first = {at, std::move(text)};
  };
  for (const auto& [key, times] : want) {
    const auto& other = have[key];
    const std::size_t n = std::min(times.size(), other.size());
    for (std::size_t i = 0; i < n; ++i)
      if (std::abs(times[i] - other[i]) > tol) {
        note(std::min(times[i], other[i]),
             fmt::format("first divergent spike: node {} label {} (its #{}): expected at systime start + {} ({}), got "
                         "start + {} ({}, {:+} cycles)",
                         key.first, key.second, i, times[i], us(times[i]), other[i], us(other[i]), other[i] - times[i]));
        break;
      }
    if (times.size() > other.size())
      note(times[n], fmt::format("node {} label {}: expected {} spikes, got {}; the first missing one at start + {} ({})",
                                 key.first, key.second, times.size(), other.size(), times[n], us(times[n])));
  }
  for (const auto& [key, times] : have) {
    const auto it = want.find(key);
    const std::size_t n = it == want.end() ? 0 : it->second.size();
    if (times.size() > n)
      note(times[n], fmt::format("node {} label {}: {} spikes, {} expected; the first extra one at start + {} ({})",
                                 key.first, key.second, times.size(), n, times[n], us(times[n])));
  }
  if (!first.text.empty()) out.push_back(first.text);
  if (expected.spikes.size() != got.spikes.size())
    out.push_back(fmt::format("expected {} spikes in all, got {}", expected.spikes.size(), got.spikes.size()));
  return out;
}

std::string late_wait_error(const Scenario& s, const Outcome& o) {
  if (s.allow_late_waits) return {};
  for (unsigned i = 0; i < o.late_waits.size(); ++i)
    if (o.late_waits[i] > 0)
      return fmt::format("node {}: {} late waits (counter late_waits): timed spikes or instructions came closer "
                         "together than the FPGA plays them and went out late; space them further apart "
                         "(docs/experiments.md, \"Timing\"), or set allow_late_waits = true in [scenario] if the "
                         "scenario means it",
                         i, o.late_waits[i]);
  return {};
}

}  // namespace nmtwin::apps
