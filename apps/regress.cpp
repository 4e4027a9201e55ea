#include "apps/regress.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <sstream>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "apps/process_pool.hpp"
#include "apps/system_runner.hpp"
#include "apps/topology_file.hpp"
#include "nmtwin/connect.hpp"
#include "hostlink/arq_connection.hpp"
#include "hostlink/impaired_link.hpp"
#include "nmtwin/spec.hpp"
#include "sim/memory_link.hpp"
#include "sim/system_trace.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Each chip's experiment as it runs: its node id first, the scenario's counters last.
std::vector<Experiment> experiments(const Scenario& s) {
  std::vector<Experiment> out = s.chips;
  for (unsigned i = 0; i < s.nodes; ++i) {
    auto& e = out[i];
    e.writes.insert(e.writes.begin(), {spec::fpga_reg::node_id, s.node_ids[i], "node_id"});
    for (const auto& c : s.counters) e.reads.push_back({fpga_register(c).value(), c});  // checked when parsed
  }
  return out;
}

sim::SimulationConfig system_of(const Scenario& s, const ScenarioRun& how) {
  sim::SimulationConfig config;
  if (!s.topology.empty()) config = simulation_config(find_topology(s.topology));
  for (std::size_t i = 0; i < config.network.links.size(); ++i) config.network.links[i].config.seed = how.seed * 7919 + i;
  config.threads = how.threads;
  return config;
}

std::string impairment_for(const Scenario& s, std::uint64_t seed, unsigned node) {
  if (s.impair.empty() || s.impair.find("seed=") != std::string::npos) return s.impair;
  return fmt::format("{},seed={}", s.impair, seed * 31 + node);
}

Outcome outcome_of(const Scenario& s, const std::vector<Experiment>& exps, const SystemRunResult& r) {
  Outcome o;
  for (const auto& x : r.spikes)
    o.spikes.push_back({x.node, x.label, static_cast<std::int64_t>(std::llround(x.time_us * 1000.0 / spec::cycle_ns))});
  for (unsigned i = 0; i < s.nodes; ++i)
    for (std::size_t k = 0; k < exps[i].reads.size(); ++k)
      (k < s.chips[i].reads.size() ? o.reads : o.counters).push_back({i, exps[i].reads[k].what, r.reads[i][k]});
  return o;
}

struct UdpTarget {
  std::string host;
  unsigned port = 0;
};

UdpTarget parse_udp_target(const std::string& target) {
  static const std::regex form(R"(udp://([^:/?]+):([0-9]+))");
  std::smatch m;
  if (!std::regex_match(target, m, form) || std::stoul(m[2]) > 65535)
    throw InputError(fmt::format("--target '{}': use sim (in-process) or udp://HOST:PORT (a running nmtwin sim or "
                                 "hardware; node i at PORT + 2i)",
                                 target));
  return {m[1], static_cast<unsigned>(std::stoul(m[2]))};
}

}  // namespace

Outcome run_scenario(const Scenario& s, const ScenarioRun& how, std::uint64_t* first) {
  sim::TraceOptions window{.path = {}, .start_cycle = how.start, .end_cycle = how.end, .systime_window = false};
  if (!how.waves_dir.empty() && how.trigger != sim::TraceTrigger::none) {
    // Deterministic: a first run finds the trigger, the traced run records around it.
    ScenarioRun probe = how;
    probe.waves_dir.clear();
    std::uint64_t t = UINT64_MAX;
    try {
      run_scenario(s, probe, &t);
    } catch (const std::exception&) {
      // A failing run fails the same way again: the trigger found up to there counts.
    }
    if (t == UINT64_MAX)
      throw std::runtime_error(fmt::format("the waveform trigger (the first {}) never fired in scenario {}; no "
                                           "waveform written",
                                           sim::trace_trigger_name(how.trigger), s.name));
    window.around(t, how.pre, how.post);
  }
  const auto config = system_of(s, how);
  const auto exps = experiments(s);
  std::vector<std::unique_ptr<hostlink::Connection>> connections;
  std::vector<hostlink::Connection*> fpgas;
  const auto keep = [&](std::unique_ptr<hostlink::Connection> c) {
    fpgas.push_back(c.get());
    connections.push_back(std::move(c));
  };
  SystemRunResult result;
  if (how.target == "sim") {
    sim::Simulation simulation(config);
    std::unique_ptr<sim::SystemTrace> system_trace;  // from the first cycle: the handshakes too
    if (!how.waves_dir.empty()) {
      fs::create_directories(how.waves_dir);
      for (unsigned i = 0; i < s.nodes; ++i) {
        window.path = (fs::path(how.waves_dir) / fmt::format("node{}.{}", i, how.vcd ? "vcd" : "fst")).string();
        simulation.open_trace(i, window);
      }
      system_trace = std::make_unique<sim::SystemTrace>(simulation, (fs::path(how.waves_dir) / "system.vcd").string());
    }
    for (unsigned i = 0; i < s.nodes; ++i) {
      std::unique_ptr<hostlink::DatagramLink> link = std::make_unique<sim::MemoryLink>(simulation, i);
      if (const auto spec = impairment_for(s, how.seed, i); !spec.empty())
        link = std::make_unique<hostlink::ImpairedLink>(std::move(link), hostlink::ImpairmentConfig::parse(spec));
      keep(std::make_unique<hostlink::ArqConnection>(std::move(link)));
    }
    if (first)
      for (unsigned i = 0; i < s.nodes; ++i) simulation.node(i).observe(true);
    // What was observed and traced is kept also when the run fails (that is when it matters).
    const auto finish = [&] {
      connections.clear();
      if (first) *first = sim::first_trigger(simulation, how.trigger);
      if (system_trace) {
        system_trace->close();
        sim::write_gtkw((fs::path(how.waves_dir) / (s.name + ".gtkw")).string(), simulation, how.waves_dir);
      }
      for (unsigned i = 0; !how.waves_dir.empty() && i < s.nodes; ++i) simulation.close_trace(i);
    };
    try {
      result = run_system(fpgas, exps, simulation.network().gi_latency(), simulation.network().spec().gi_root);
    } catch (...) {
      finish();
      throw;
    }
    finish();
  } else {
    const auto udp = parse_udp_target(how.target);
    for (unsigned i = 0; i < s.nodes; ++i) {
      const auto impair = impairment_for(s, how.seed, i);
      keep(hostlink::connect(fmt::format("udp://{}:{}?reset_port={}{}", udp.host, udp.port + 2 * i, udp.port + 2 * i + 1,
                                         impair.empty() ? "" : "&impair=" + impair)));
    }
    const extoll::Network layout(config.network);
    result = run_system(fpgas, exps, layout.gi_latency(), layout.spec().gi_root);
  }
  return outcome_of(s, exps, result);
}

namespace {

enum class Status { pass, fail, error, updated };

const char* status_name(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "FAIL";
    case Status::error: return "ERROR";
    case Status::updated: return "updated";
  }
  return "?";
}

struct Result {
  Status status = Status::pass;
  std::vector<std::string> messages;
  std::size_t spikes = 0;
  double seconds = 0;
};

std::string xml(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? std::string(sep) : "") + v[i];
  return out;
}

void write_junit(const std::string& path, const std::vector<const Scenario*>& scenarios,
                 const std::vector<Result>& results) {
  std::size_t failures = 0, errors = 0;
  double total = 0;
  for (const auto& r : results) {
    failures += r.status == Status::fail;
    errors += r.status == Status::error;
    total += r.seconds;
  }
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += fmt::format("<testsuites name=\"nmtwin regress\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                   results.size(), failures, errors, total);
  x += fmt::format("  <testsuite name=\"nmtwin regress\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" "
                   "time=\"{:.3f}\">\n",
                   results.size(), failures, errors, total);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& s = *scenarios[i];
    const auto& r = results[i];
    x += fmt::format("    <testcase classname=\"regressions.{}\" name=\"{}\" file=\"{}\" time=\"{:.3f}\"",
                     xml(join(s.tags, ".")), xml(s.name), xml(s.path), r.seconds);
    if (r.status == Status::fail || r.status == Status::error) {
      const char* tag = r.status == Status::fail ? "failure" : "error";
      x += fmt::format(">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", tag,
                       xml(r.messages.empty() ? "" : r.messages.front()), tag, xml(join(r.messages, "\n")), tag);
    } else {
      x += "/>\n";
    }
  }
  x += "  </testsuite>\n</testsuites>\n";
  std::ofstream f(path);
  f << x;
  if (!f) throw std::runtime_error(fmt::format("cannot write JUnit file '{}': check the directory", path));
}

Result run_one(const Scenario& s, const RegressOptions& o, unsigned threads) {
  Result r;
  ScenarioRun how{.target = o.target,
                  .seed = o.seed.value_or(s.seed),
                  .threads = threads,
                  .waves_dir = {},
                  .trigger = o.waves_trigger,
                  .vcd = o.waves_vcd,
                  .start = o.waves_start,
                  .end = o.waves_end,
                  .pre = o.waves_pre,
                  .post = o.waves_post};
  const auto t0 = Clock::now();
  if (!s.load_error.empty()) {
    r.status = Status::error;
    r.messages.push_back(s.load_error);
    return r;
  }
  try {
    const Outcome got = run_scenario(s, how);
    r.spikes = got.spikes.size();
    if (o.update_golden) {
      fs::create_directories(fs::path(s.golden).parent_path());
      std::ofstream f(s.golden);
      f << golden_text(s, got);
      if (!f) throw std::runtime_error(fmt::format("cannot write golden file '{}'", s.golden));
      r.status = Status::updated;
      r.messages.push_back("golden file written: " + s.golden);
    } else if (!fs::exists(s.golden)) {
      r.status = Status::fail;
      r.messages.push_back(fmt::format("no golden file {}; check the results, then run nmtwin regress "
                                       "--update-golden {}",
                                       s.golden, s.path));
    } else {
      r.messages = compare(s, parse_golden(read_input_file(s.golden, "golden file"), s.golden), got);
      r.status = r.messages.empty() ? Status::pass : Status::fail;
    }
  } catch (const std::exception& e) {
    r.status = Status::error;
    r.messages.push_back(e.what());
  }
  if ((r.status == Status::fail || r.status == Status::error) && !o.waves_dir.empty()) {
    how.waves_dir = (fs::path(o.waves_dir) / s.name).string();
    if (o.target != "sim") {
      r.messages.push_back("no waveforms: --waves-on-fail needs --target sim (the waveforms come from the simulator)");
    } else {
      try {
        run_scenario(s, how);  // deterministic: the same run again, traced
        r.messages.push_back(fmt::format("waveforms in {} (node*.{}{}, system.vcd; gtkwave -a {}/{}.gtkw)",
                                         how.waves_dir, how.vcd ? "vcd" : "fst",
                                         how.trigger == sim::TraceTrigger::none
                                             ? ""
                                             : fmt::format(" from {} cycles before the first {} to {} after", how.pre,
                                                           sim::trace_trigger_name(how.trigger), how.post),
                                         how.waves_dir, s.name));
      } catch (const std::exception& e) {
        if (fs::exists(fs::path(how.waves_dir) / "system.vcd"))
          r.messages.push_back(fmt::format("waveforms in {}, up to where the run stopped again (gtkwave -a {}/{}.gtkw)",
                                           how.waves_dir, how.waves_dir, s.name));
        else
          r.messages.push_back(fmt::format("no waveforms: {}", e.what()));
      }
    }
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

// A result through a pipe: "STATUS SPIKES SECONDS COUNT\n", then each message as
// "LENGTH\n" and its bytes.
std::string serialize(const Result& r) {
  std::string s = fmt::format("{} {} {} {}\n", static_cast<int>(r.status), r.spikes, r.seconds, r.messages.size());
  for (const auto& m : r.messages) s += fmt::format("{}\n{}", m.size(), m);
  return s;
}

Result deserialize(const std::string& text) {
  Result r;
  std::istringstream in(text);
  int status = 0;
  std::size_t count = 0;
  if (!(in >> status >> r.spikes >> r.seconds >> count)) {
    r.status = Status::error;
    r.messages.push_back("the process running this scenario died without a result (crashed?)");
    return r;
  }
  r.status = static_cast<Status>(status);
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t n = 0;
    in >> n;
    in.get();
    std::string m(n, '\0');
    in.read(m.data(), static_cast<std::streamsize>(n));
    r.messages.push_back(std::move(m));
  }
  return r;
}

}  // namespace

std::string topology_name(const Scenario& s) { return s.topology.empty() ? "single" : s.topology; }

int run_regressions(const RegressOptions& o, std::ostream& out, std::ostream& progress) {
  const auto all = load_scenarios(o.paths);
  std::vector<const Scenario*> selected;
  for (const auto& s : all)
    if (!s.load_error.empty() ||
        ((o.tags.empty() || std::any_of(o.tags.begin(), o.tags.end(), [&](const auto& t) { return s.has_tag(t); })) &&
         (!o.topology || topology_name(s) == *o.topology)))
      selected.push_back(&s);
  if (selected.empty())
    throw InputError(fmt::format("no scenario in {}{}{}; nmtwin regress --list shows them", join(o.paths, ", "),
                                 o.tags.empty() ? "" : fmt::format(" has the tag(s) '{}'", join(o.tags, ", ")),
                                 o.topology ? fmt::format(" runs on topology '{}'", *o.topology) : ""));
  if (o.list) {
    bool broken = false;
    for (const auto* s : selected) {
      if (!s->load_error.empty()) {
        fmt::print(progress, "nmtwin regress: {}\n", s->load_error);
        broken = true;
        continue;
      }
      fmt::print(out, "{}\t{}\t{}\n", s->name, topology_name(*s), join(s->tags, ","));
    }
    return broken ? 1 : 0;
  }
  if (o.target != "sim") parse_udp_target(o.target);
  if (o.target != "sim" && o.jobs > 1)
    throw InputError("--target udp:// runs one scenario at a time (the server's FPGAs are shared); leave out -j");
  const unsigned jobs = std::max(1u, std::min<unsigned>(o.jobs, static_cast<unsigned>(selected.size())));
  const unsigned threads = jobs > 1 ? std::max(1u, std::thread::hardware_concurrency() / jobs) : 0;

  std::vector<Result> results(selected.size());
  std::size_t done = 0;
  const auto report = [&](std::size_t k) {
    fmt::print(progress, "[{}/{}] {:<7} {} ({:.2f} s)\n", ++done, selected.size(), status_name(results[k].status),
               selected[k]->name, results[k].seconds);
    progress.flush();
  };
  const auto t0 = Clock::now();
  if (jobs == 1) {
    for (std::size_t k = 0; k < selected.size(); ++k) {
      results[k] = run_one(*selected[k], o, threads);
      report(k);
    }
  } else {
    // Each scenario in a child process of its own (SystemC keeps global state).
    run_in_processes(
        selected.size(), jobs, [&](std::size_t k) { return serialize(run_one(*selected[k], o, threads)); },
        [&](std::size_t k, const std::string& text) {
          results[k] = deserialize(text);
          report(k);
        });
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();

  // The report: deterministic (no wall times), so two runs compare equal.
  std::size_t passed = 0, failed = 0, updated = 0;
  fmt::print(out, "{:<28} {:<28} {:<8} {:>7}\n", "scenario", "tags", "result", "spikes");
  for (std::size_t k = 0; k < selected.size(); ++k) {
    const auto& r = results[k];
    fmt::print(out, "{:<28} {:<28} {:<8} {:>7}\n", selected[k]->name, join(selected[k]->tags, ","),
               status_name(r.status), r.spikes);
    passed += r.status == Status::pass;
    updated += r.status == Status::updated;
    failed += r.status == Status::fail || r.status == Status::error;
  }
  for (std::size_t k = 0; k < selected.size(); ++k)
    if (results[k].status != Status::pass)
      for (const auto& m : results[k].messages) fmt::print(out, "  {} {}: {}\n", status_name(results[k].status), selected[k]->name, m);
  fmt::print(out, "{} scenario(s): {} passed, {} failed{}\n", selected.size(), passed, failed,
             updated ? fmt::format(", {} golden file(s) written", updated) : "");
  fmt::print(progress, "nmtwin regress: {} scenario(s) in {:.2f} s wall time, -j {}\n", selected.size(), wall, jobs);
  if (!o.junit.empty()) write_junit(o.junit, selected, results);
  return failed ? 1 : 0;
}

}  // namespace nmtwin::apps
