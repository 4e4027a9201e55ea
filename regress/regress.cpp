#include "regress/regress.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "experiment/output_path.hpp"
#include "experiment/process_pool.hpp"
#include "experiment/ranks.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

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
                  .waves = o.waves,
                  .vcd = o.waves_vcd};
  const auto t0 = Clock::now();
  if (!s.load_error.empty()) {
    r.status = Status::error;
    r.messages.push_back(s.load_error);
    return r;
  }
  try {
    const Outcome got = run_scenario(s, how);
    r.spikes = got.spikes.size();
    if (const auto late = late_wait_error(s, got); !late.empty()) {
      r.status = Status::error;
      r.messages.push_back(late);
    } else if (o.update_golden) {
      if (writes_outputs()) {  // rank 0 of a run under mpirun
        fs::create_directories(fs::path(s.golden).parent_path());
        std::ofstream f(s.golden);
        f << golden_text(s, got);
        if (!f) throw std::runtime_error(fmt::format("cannot write golden file '{}'", s.golden));
      }
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
    // Under mpirun an error may be one rank's alone while the others wait for it in the
    // simulation's exchange: it ends the job (docs/scaleout.md).
    if (rank_count() > 1) throw std::runtime_error(fmt::format("scenario {}: {}", s.name, e.what()));
    r.status = Status::error;
    r.messages.push_back(e.what());
  }
  if ((r.status == Status::fail || r.status == Status::error) && !o.waves_dir.empty()) {
    how.waves_dir = (fs::path(o.waves_dir) / s.name).string();
    if (!Target::parse(o.target).in_process()) {
      r.messages.push_back("no waveforms: --waves-on-fail needs --target sim: (the waveforms come from the simulator)");
    } else {
      try {
        run_scenario(s, how);  // deterministic: the same run again, traced
        r.messages.push_back(fmt::format("waveforms in {} (node*.{}{}, system.vcd; gtkwave -a {}/{}.gtkw)",
                                         how.waves_dir, how.vcd ? "vcd" : "fst",
                                         how.waves.trigger == sim::TraceTrigger::none
                                             ? ""
                                             : fmt::format(" from {} cycles before the first {} to {} after",
                                                           how.waves.pre, sim::trace_trigger_name(how.waves.trigger),
                                                           how.waves.post),
                                         how.waves_dir, s.name));
      } catch (const std::exception& e) {
        if (rank_count() > 1)
          throw std::runtime_error(fmt::format("scenario {}, run again with waveforms: {}", s.name, e.what()));
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

int run_regressions(const RegressOptions& o, std::ostream& out, std::ostream& progress_of_all) {
  std::ostream& progress = on_rank_zero(progress_of_all);  // rank 0 reports for all
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
  const auto target = Target::parse(o.target);
  target.require_nodes();
  if (rank_count() > 1) {  // under mpirun (docs/scaleout.md)
    if (!target.in_process())
      throw InputError(fmt::format("--target {}: under mpirun the scenarios run on the simulator split over the "
                                   "ranks; leave out --target, or run without mpirun",
                                   o.target));
    if (o.jobs > 1)
      throw InputError("-j: under mpirun every scenario is split over all ranks, one after the other; leave out -j");
  }
  if (writes_outputs() && !o.junit.empty()) check_output_file(o.junit, "the JUnit file (--junit)");
  if (!o.waves_dir.empty()) check_output_dir(o.waves_dir, "the waveform directory (--waves-on-fail)");
  if (!target.in_process() && o.jobs > 1)
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
  if (!o.junit.empty() && writes_outputs()) write_junit(o.junit, selected, results);
  return failed ? 1 : 0;
}

}  // namespace nmtwin::apps
