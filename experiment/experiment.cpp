#include "experiment/experiment.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "experiment/toml_reader.hpp"
#include "nmtwin/network_config.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace spec = nmtwin::spec;

namespace {

namespace out = spec::chip::neuron::output_fields;
namespace loop = spec::chip::neuron::loopback_fields;
namespace bucket_dest = spec::fpga_reg::bucket_dest_fields;
namespace bucket_timeout = spec::fpga_reg::bucket_timeout_fields;
constexpr std::int64_t last_bucket = spec::net::buckets - 1;

std::uint32_t fpga_or_chip_register(const Reader& r, const toml::node& node) {
  const std::string name = r.string(node, "register");
  if (const auto addr = fpga_register(name)) return *addr;
  if (name.starts_with("chip."))
    if (const auto* reg = spec::chip::find_register(std::string_view(name).substr(5))) return spec::chip::bus_addr(reg->addr);
  std::vector<std::string> names;
  for (const auto& reg : spec::fpga_reg::all) names.emplace_back(reg.name);
  for (const auto& reg : spec::chip::registers) names.push_back(fmt::format("chip.{}", reg.name));
  r.fail(node, fmt::format("unknown register '{}'; known: {}", name, fmt::join(names, ", ")));
}

// A [[write]] or [[read]] names its register by `register` or `address`.
std::pair<std::uint32_t, std::string> register_address(const Reader& r, const toml::table& t,
                                                       std::string_view section) {
  const toml::node* name = t.get("register");
  const toml::node* addr = t.get("address");
  if ((name == nullptr) == (addr == nullptr))
    r.fail(t, fmt::format("{} needs exactly one of 'register' (a name) or 'address' (a bus address)", section));
  if (name) return {fpga_or_chip_register(r, *name), r.string(*name, "register")};
  const auto a = static_cast<std::uint32_t>(r.integer(*addr, "address", 0, spec::instr::Write::addr_max));
  return {a, fmt::format("0x{:08x}", a)};
}

void parse_neuron(const Reader& r, const toml::table& t, Experiment& e) {
  std::vector<std::string_view> allowed{"neurons", "output_label", "loopback_row"};
  for (const auto& f : spec::chip::neuron::fields) allowed.push_back(f.name);
  r.check_keys(t, "[[neuron]]", allowed);
  const auto neurons = r.neurons(r.require(t, "neurons", "[[neuron]]"));
  std::vector<std::pair<std::uint32_t, std::uint32_t>> values;  // offset, value
  std::vector<std::string_view> names;
  for (const auto& f : spec::chip::neuron::fields) {
    if (const toml::node* v = t.get(f.name)) {
      values.emplace_back(f.offset, static_cast<std::uint32_t>(r.integer(*v, f.name, f.min, f.max)));
      names.push_back(f.name);
    }
  }
  if (const toml::node* v = t.get("output_label")) {
    values.emplace_back(spec::chip::neuron::output,
                        out::enable.put(1) | out::label.put(r.integer(*v, "output_label", 0, out::label.max())));
    names.push_back("output");
  }
  if (const toml::node* v = t.get("loopback_row")) {
    values.emplace_back(spec::chip::neuron::loopback,
                        loop::enable.put(1) | loop::row.put(r.integer(*v, "loopback_row", 0, loop::row.max())));
    names.push_back("loopback");
  }
  for (unsigned n : neurons)
    for (std::size_t i = 0; i < values.size(); ++i)
      e.writes.push_back({spec::chip::bus_addr(spec::chip::neuron::addr(n, values[i].first)), values[i].second,
                          fmt::format("neuron {} {}", n, names[i])});
}

void parse_row(const Reader& r, const toml::table& t, Experiment& e) {
  r.check_keys(t, "[[row]]", {"row", "inhibitory"});
  const auto row =
      static_cast<std::uint32_t>(r.integer(r.require(t, "row", "[[row]]"), "row", 0, spec::chip::rows - 1));
  const bool inh = r.boolean(r.require(t, "inhibitory", "[[row]]"), "inhibitory");
  e.writes.push_back({spec::chip::bus_addr(spec::chip::row::addr(row, spec::chip::row::inhibitory)), inh ? 1u : 0u,
                      fmt::format("row {} inhibitory", row)});
}

void parse_synapse(const Reader& r, const toml::table& t, Experiment& e) {
  r.check_keys(t, "[[synapse]]", {"row", "neurons", "weight"});
  const auto row =
      static_cast<std::uint32_t>(r.integer(r.require(t, "row", "[[synapse]]"), "row", 0, spec::chip::rows - 1));
  const auto neurons = r.neurons(r.require(t, "neurons", "[[synapse]]"));
  const std::int64_t max_weight = spec::chip::weight::value_fields::weight.max();
  const auto weight =
      static_cast<std::uint32_t>(r.integer(r.require(t, "weight", "[[synapse]]"), "weight", 0, max_weight));
  for (unsigned n : neurons)
    e.writes.push_back({spec::chip::bus_addr(spec::chip::weight::base + row * spec::chip::neurons + n), weight,
                        fmt::format("synapse row {} neuron {}", row, n)});
}

void parse_source(const Reader& r, const toml::table& t, Experiment& e) {
  r.check_keys(t, "[[source]]", {"label", "times_us", "start_us", "period_us", "count"});
  SpikeSource s;
  s.label = static_cast<std::uint16_t>(
      r.integer(r.require(t, "label", "[[source]]"), "label", 0, spec::instr::Spikes::label0_max));
  const toml::node* times = t.get("times_us");
  const toml::node* start = t.get("start_us");
  if ((times == nullptr) == (start == nullptr))
    r.fail(t, "[[source]] needs either 'times_us' (a list) or 'start_us' with 'period_us' and 'count'");
  if (times) {
    const auto* arr = times->as_array();
    if (!arr || arr->empty()) r.fail(*times, "'times_us' must be a non-empty list of times in microseconds");
    for (const auto& x : *arr) s.times.push_back(r.cycles(x, "times_us"));
  } else {
    const std::uint64_t t0 = r.cycles(*start, "start_us");
    const double period = r.number(r.require(t, "period_us", "[[source]]"), "period_us", 0.008, 1e9);
    const auto count = r.integer(r.require(t, "count", "[[source]]"), "count", 1, 10'000'000);
    for (std::int64_t i = 0; i < count; ++i)
      s.times.push_back(t0 + static_cast<std::uint64_t>(std::llround(static_cast<double>(i) * period * cycles_per_us)));
  }
  std::sort(s.times.begin(), s.times.end());
  e.sources.push_back(std::move(s));
}

void parse_route(const Reader& r, const toml::table& t, Experiment& e) {
  r.check_keys(t, "[[route]]", {"split", "label", "bucket", "dest_label"});
  hostlink::Route route;
  if (const auto* n = t.get("split")) route.split = static_cast<unsigned>(r.integer(*n, "split", 0, spec::net::splits - 1));
  route.source = static_cast<std::uint16_t>(
      r.integer(r.require(t, "label", "[[route]]"), "label", 0, spec::net::router_entries - 1));
  route.bucket = static_cast<unsigned>(r.integer(r.require(t, "bucket", "[[route]]"), "bucket", 0, last_bucket));
  route.dest_label =
      static_cast<std::uint16_t>(r.integer(r.require(t, "dest_label", "[[route]]"), "dest_label", 0,
                                            spec::layout::RouterEntry::label_max));
  const auto w = hostlink::route_write(route);
  e.writes.push_back({w.addr, w.value, fmt::format("route split {} label {}", route.split, route.source)});
}

void parse_bucket(const Reader& r, const toml::table& t, Experiment& e) {
  r.check_keys(t, "[[bucket]]", {"bucket", "dest", "multicast", "delay", "pulse_timeout", "packet_timeout"});
  const auto index = static_cast<unsigned>(r.integer(r.require(t, "bucket", "[[bucket]]"), "bucket", 0, last_bucket));
  hostlink::Bucket b;
  b.dest = static_cast<std::uint16_t>(r.integer(r.require(t, "dest", "[[bucket]]"), "dest", 0, bucket_dest::dest.max()));
  if (const auto* n = t.get("multicast")) b.multicast = r.boolean(*n, "multicast");
  b.delay = static_cast<unsigned>(r.integer(r.require(t, "delay", "[[bucket]]"), "delay", 1,
                                            spec::fpga_reg::bucket_delay_fields::delay.max()));
  if (const auto* n = t.get("pulse_timeout"))
    b.pulse_timeout = static_cast<unsigned>(r.integer(*n, "pulse_timeout", 0, bucket_timeout::pulse_timeout.max()));
  if (const auto* n = t.get("packet_timeout"))
    b.packet_timeout = static_cast<unsigned>(r.integer(*n, "packet_timeout", 0, bucket_timeout::packet_timeout.max()));
  for (const auto& w : hostlink::bucket_writes(index, b)) e.writes.push_back({w.addr, w.value, fmt::format("bucket {}", index)});
}

}  // namespace

std::optional<std::uint32_t> fpga_register(std::string_view name) {
  if (const auto* reg = spec::fpga_reg::find(name)) return reg->addr;
  return std::nullopt;
}

const std::vector<std::string_view>& experiment_sections() {
  static const std::vector<std::string_view> keys{"neuron", "row",   "synapse", "write",   "read",
                                                  "source", "route", "bucket",  "firmware"};
  return keys;
}

void parse_experiment_sections(const Reader& r, const toml::table& doc, Experiment& e) {
  const std::map<std::string_view, void (*)(const Reader&, const toml::table&, Experiment&)> sections{
      {"neuron", parse_neuron}, {"row", parse_row},     {"synapse", parse_synapse},
      {"source", parse_source}, {"route", parse_route}, {"bucket", parse_bucket}};
  for (auto&& [key, node] : doc) {
    const auto it = sections.find(key.str());
    if (it == sections.end()) continue;
    for (const auto& t : r.tables(node, key.str())) it->second(r, *t.as_table(), e);
  }
  if (const auto* writes = doc.get("write")) {
    for (const auto& t : r.tables(*writes, "write")) {
      const auto& tab = *t.as_table();
      r.check_keys(tab, "[[write]]", {"register", "address", "value"});
      auto [addr, what] = register_address(r, tab, "[[write]]");
      const auto value =
          static_cast<std::uint32_t>(r.integer(r.require(tab, "value", "[[write]]"), "value", 0, 0xFFFFFFFF));
      e.writes.push_back({addr, value, what});
    }
  }
  if (const auto* reads = doc.get("read")) {
    for (const auto& t : r.tables(*reads, "read")) {
      const auto& tab = *t.as_table();
      r.check_keys(tab, "[[read]]", {"register", "address"});
      auto [addr, what] = register_address(r, tab, "[[read]]");
      e.reads.push_back({addr, what});
    }
  }
  if (const auto* f = doc.get("firmware")) {
    e.firmware = parse_firmware(r, *f);
    // Read at the end like any [[read]]: into the summary and a scenario's golden file.
    e.reads.push_back({spec::chip::bus_addr(spec::chip::ppu_exit_code), "firmware.exit_code"});
    for (const std::uint32_t w : e.firmware->read_mailbox)
      e.reads.push_back({spec::chip::bus_addr(spec::chip::ppu_mailbox::addr(w, 0)), fmt::format("firmware.mailbox[{}]", w)});
  }
}

void check_sources_fit(const Experiment& e, const std::string& origin) {
  for (std::size_t i = 0; i < e.sources.size(); ++i) {
    if (e.sources[i].times.back() >= e.duration)
      throw ExperimentError(fmt::format(
          "{}: source {} (label {}) has a spike at {:.3f} us, not before the end of the experiment ({:.3f} us); "
          "raise [experiment] duration_us",
          origin, i, e.sources[i].label, e.sources[i].times.back() / cycles_per_us, e.duration / cycles_per_us));
  }
  if (e.firmware) check_firmware_fits(*e.firmware, e.duration, origin);
}

std::size_t Experiment::input_spike_count() const {
  std::size_t n = 0;
  for (const auto& s : sources) n += s.times.size();
  return n;
}

Experiment parse_experiment(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  const Reader r(origin);
  std::vector<std::string_view> top{"experiment"};
  top.insert(top.end(), experiment_sections().begin(), experiment_sections().end());
  r.check_keys(doc, "the experiment file", top);
  Experiment e;
  const auto* head = doc.get_as<toml::table>("experiment");
  if (!head) r.fail(doc, "the file needs an [experiment] table with at least 'duration_us'");
  r.check_keys(*head, "[experiment]", {"name", "duration_us", "output"});
  if (const auto* n = head->get("name")) e.name = r.string(*n, "name");
  e.duration = r.cycles(r.require(*head, "duration_us", "[experiment]"), "duration_us");
  if (e.duration == 0) r.fail(*head->get("duration_us"), "'duration_us' must be positive");
  e.output = head->get("output") ? r.string(*head->get("output"), "output") : e.name + "_spikes.csv";

  parse_experiment_sections(r, doc, e);
  check_sources_fit(e, origin);
  return e;
}

Experiment load_experiment(const std::string& path) {
  return parse_experiment(read_input_file(path, "experiment file"), path);
}

void append_configuration(hostlink::Program& p, const Experiment& e) {
  for (const auto& w : e.writes) p.write(w.addr, w.value);
  if (const auto& f = e.firmware) {
    fw::load(p, *f->image);
    for (const auto& [word, value] : f->mailbox) fw::write_mailbox(p, word, std::span(&value, 1));
    fw::set_watchdog(p, f->watchdog);
  }
  // Every run starts from the same neuron state and zero counters, also on a target
  // that ran before.
  p.write(spec::chip::bus_addr(spec::chip::neuron_reset), 1);
  p.barrier();
  p.write(spec::fpga_reg::counter_clear, 1);
}

void append_timed_part(ExperimentProgram& out, const Experiment& e) {
  auto& p = out.program;
  // The timeline: spikes (label >= 0), firmware starts (fw_start), its max_cycles check
  // (fw_deadline) and console drains (fw_drain), in time order; at equal times in that order.
  constexpr int fw_start = -1, fw_deadline = -2, fw_drain = -3;
  std::vector<std::pair<std::uint64_t, int>> events;
  for (const auto& s : e.sources)
    for (auto t : s.times) events.emplace_back(t, s.label);
  if (const auto& f = e.firmware) {
    for (const auto t : f->starts()) events.emplace_back(t, fw_start);
    if (f->max_cycles) events.emplace_back(f->at + f->max_cycles, fw_deadline);
    for (const auto t : f->drains(e.duration)) events.emplace_back(t, fw_drain);
    out.firmware.emplace();
    out.firmware->periodic = {.first = f->at, .period = f->period, .before_start = {}, .starts = 0};
  }
  std::stable_sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::uint16_t> labels;
  for (std::size_t i = 0; i < events.size();) {
    const std::uint64_t t = events[i].first;
    p.wait_until(t);
    labels.clear();
    for (; i < events.size() && events[i].first == t && events[i].second >= 0; ++i)
      labels.push_back(static_cast<std::uint16_t>(events[i].second));
    if (!labels.empty()) p.spikes(labels);
    for (; i < events.size() && events[i].first == t && events[i].second < 0; ++i) {
      auto& f = *out.firmware;
      if (events[i].second == fw_start) {
        f.periodic.start_next(p);
      } else if (events[i].second == fw_deadline) {
        f.deadline = fw::read_outcome(p, 0, 0);
      } else {
        const auto pops = fw::read_console(p);
        f.drains.insert(f.drains.end(), pops.begin(), pops.end());
      }
    }
  }
  p.wait_until(e.duration);
  out.late_waits = p.read(spec::fpga_reg::late_waits);
  out.start_lo = p.read(spec::fpga_reg::timer_base_lo);
  out.start_hi = p.read(spec::fpga_reg::timer_base_hi);
  if (out.firmware) out.firmware->end = fw::read_outcome(p, 0, 0);
  for (const auto& r : e.reads) out.reads.push_back(p.read(r.addr));
  if (out.firmware) fw::hold(p);  // the experiment owns the core for its duration
}

ExperimentProgram build_program(const Experiment& e) {
  ExperimentProgram out;
  out.program.systime_sync();
  append_configuration(out.program, e);
  out.program.timer_reset();
  append_timed_part(out, e);
  return out;
}

}  // namespace nmtwin::apps
