// The plots of `nmtwin study latency`: a gnuplot script written next to the CSV files
// (so a person can change and rerun it) and run for PNG and SVG.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "study/latency_study.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

namespace {

// The zero-load latency (the lowest load's mean) and the knee: the first point whose
// mean latency passes twice that, or whose traffic is no longer all accepted.
struct Marks {
  double zero_load_ns = 0, knee_offered = -1;
  std::size_t low = 0, knee = 0;
  bool have_forward = false, have_deadline = false, deadline_rates = false;  // several rates with a deadline
};

Marks marks(const std::vector<StudyPoint>& points, const std::vector<PointResult>& results) {
  Marks m;
  std::vector<std::size_t> fwd;
  std::optional<double> rate;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].destination_delay == 0) {
      fwd.push_back(i);
      continue;
    }
    m.have_deadline = true;
    if (rate && *rate != points[i].rate_per_us) m.deadline_rates = true;
    rate = points[i].rate_per_us;
  }
  if (fwd.empty()) return m;
  m.have_forward = true;
  std::sort(fwd.begin(), fwd.end(), [&](auto a, auto b) { return results[a].offered_per_us < results[b].offered_per_us; });
  m.low = m.knee = fwd.front();
  m.zero_load_ns = results[m.low].lat_mean * spec::cycle_ns;
  for (auto i : fwd) {
    const auto& r = results[i];
    m.knee = i;
    if (r.unstable || r.lat_mean * spec::cycle_ns > 2 * m.zero_load_ns || r.accepted_per_us < 0.9 * r.offered_per_us) {
      m.knee_offered = r.offered_per_us;
      break;
    }
  }
  return m;
}

}  // namespace

void write_study_plots(const std::string& dir, const std::vector<StudyPoint>& points,
                       const std::vector<PointResult>& results, std::ostream& out) {
  const Marks m = marks(points, results);
  std::string gp = fmt::format(
      "# Plots of nmtwin study latency; rerun: gnuplot study.gp (in this directory)\n"
      "set datafile separator ','\nset datafile columnheaders\nset grid\nset key top left\n"
      "zero_load_ns = {:.3f}\nknee = {:.4f}\nlow = {}\nknee_point = {}\n"
      "fwd(c) = column('destination_delay') == 0 ? column(c) : NaN\n"
      "dl(c) = column('destination_delay') > 0 ? column(c) : NaN\n",
      m.zero_load_ns, m.knee_offered, m.low, m.knee);
  std::vector<std::string> names;
  const auto plot = [&](const std::string& name, const std::string& body) {
    names.push_back(name);
    for (const char* ext : {"png", "svg"})
      gp += fmt::format("set terminal {} size 900,600 {}\nset output '{}.{}'\n{}\n",
                        std::string(ext) == "png" ? "pngcairo" : "svg", std::string(ext) == "svg" ? "dynamic" : "",
                        name, ext, body);
  };
  if (m.have_forward) {
    plot("latency_vs_load",
         "set title 'Spike latency against offered load (forwarded at once)'\n"
         "set xlabel 'offered load per source (events per us of hardware time)'\nset ylabel 'latency (ns)'\n"
         "unset arrow; unset label\nset logscale y\n"
         "set label 1 sprintf('zero-load latency %.0f ns', zero_load_ns) at graph 0.02, first zero_load_ns*1.08\n"
         "if (knee > 0) { set arrow 1 from knee, graph 0 to knee, graph 1 nohead dt 2 lc rgb 'red'; "
         "set label 2 sprintf('knee: %.1f /us', knee) at knee, graph 0.92 offset 1,0 tc rgb 'red' }\n"
         "plot 'study.csv' using (fwd('offered_per_us')):(fwd('latency_mean_ns')) with linespoints lw 2 title 'mean', "
         "'' using (fwd('offered_per_us')):(fwd('latency_p99_ns')) with linespoints title 'p99', "
         "zero_load_ns with lines dt 3 lc rgb 'gray' notitle\nunset arrow; unset label\nunset logscale y\n");
    plot("throughput",
         "set title 'Accepted against offered traffic'\nset xlabel 'offered (events per us per source)'\n"
         "set ylabel 'accepted (events per us per source)'\nset y2label 'busiest link (% of bandwidth)'\n"
         "set y2tics\nset y2range [0:100]\n"
         "plot 'study.csv' using (fwd('offered_per_us')):(fwd('accepted_per_us')) with linespoints lw 2 title 'accepted', "
         "x with lines dt 2 lc rgb 'gray' title 'offered', "
         "'' using (fwd('offered_per_us')):(fwd('max_link_utilization')*100) axes x1y2 with linespoints title 'busiest link (% of bandwidth)'\n"
         "unset y2tics; unset y2label; set y2range [*:*]\n");
    plot("latency_cdf",
         "set title 'Latency distribution (CDF): lowest load and the knee'\nset xlabel 'latency (ns)'\n"
         "set ylabel 'fraction of spikes'\nset yrange [0:1.02]\nset key bottom right\n"
         "set arrow 11 from graph 0, first 0.5 to graph 1, first 0.5 nohead dt 3\n"
         "set arrow 12 from graph 0, first 0.99 to graph 1, first 0.99 nohead dt 3\n"
         "set arrow 13 from graph 0, first 0.999 to graph 1, first 0.999 nohead dt 4\n"
         "set label 11 'p50' at graph 0.01, first 0.52\nset label 12 'p99' at graph 0.01, first 0.96\n"
         "set label 13 'p99.9' at graph 0.08, first 0.96\n"
         "plot 'latency_cdf.csv' using (column('point') == low ? column('latency_ns') : NaN):'fraction' with steps lw 2 "
         "title 'lowest load', '' using (column('point') == knee_point ? column('latency_ns') : NaN):'fraction' with steps "
         "lw 2 title 'at the knee'\nunset arrow; unset label\nset yrange [*:*]\nset key top left\n");
    plot("latency_vs_hops",
         "set title 'Latency against hop count (lowest load)'\nset xlabel 'links on the path'\nset ylabel 'latency (ns)'\n"
         "plot 'latency_by_hops.csv' using (column('point') == low ? column('hops') : NaN):(column('latency_mean_cycles')*8):"
         "(column('latency_min_cycles')*8):(column('latency_max_cycles')*8) with yerrorlines lw 2 title 'mean (bars: min, max)'\n");
    plot("jitter",
         "set title 'Jitter (standard deviation of the latency)'\nset xlabel 'offered load per source (events per us)'\n"
         "set ylabel 'jitter (ns)'\nset logscale y\nplot 'study.csv' using (fwd('offered_per_us')):(fwd('jitter_cycles')*8) with "
         "linespoints lw 2 notitle\nunset logscale y\n");
    plot("aggregation",
         "set title 'Aggregation: events per packet and header overhead'\nset xlabel 'offered load per source (events per us)'\n"
         "set ylabel 'events per packet'\nset y2label 'header + CRC share of the words (%)'\nset y2tics\n"
         "plot 'study.csv' using (fwd('offered_per_us')):(fwd('events_per_packet')) with linespoints lw 2 title 'events per packet', "
         "'' using (fwd('offered_per_us')):(fwd('header_overhead')*100) axes x1y2 with linespoints title 'overhead (%)'\n"
         "unset y2tics; unset y2label\n");
  }
  if (m.have_deadline) {
    plot("deadline",
         "set title 'Delivery before the deadline against destination\\_delay'\nset xlabel 'destination\\_delay (ticks of 8 ns)'\n"
         "set ylabel 'fraction of events sent'\nset yrange [0:1.05]\nset key center right\n"
         "plot 'study.csv' using (dl('destination_delay')):(dl('delivered_before_deadline')) with linespoints lw 2 title 'delivered on the deadline', "
         "'' using (dl('destination_delay')):(column('routed') > 0 ? dl('expired')/column('routed') : NaN) with linespoints title 'expired', "
         "'' using (dl('destination_delay')):(column('routed') > 0 ? dl('full')/column('routed') : NaN) with linespoints title 'dropped: buffer full'\n"
         "set yrange [*:*]\n");
  }
  if (m.deadline_rates) {
    plot("deadline_vs_rate",
         "set title 'Delivery before the deadline against offered load'\nset xlabel 'offered load per source (events per us)'\n"
         "set ylabel 'fraction of events sent'\nset yrange [0:1.05]\nset key center right\n"
         "plot 'study.csv' using (dl('offered_per_us')):(dl('delivered_before_deadline')) with linespoints lw 2 title 'delivered on the deadline', "
         "'' using (dl('offered_per_us')):(column('routed') > 0 ? dl('expired')/column('routed') : NaN) with linespoints title 'expired', "
         "'' using (dl('offered_per_us')):(column('routed') > 0 ? dl('full')/column('routed') : NaN) with linespoints title 'dropped: buffer full'\n"
         "set yrange [*:*]\n");
  }
  const auto script = fs::path(dir) / "study.gp";
  std::ofstream(script) << gp;
  std::string quoted;  // the directory in single quotes for the shell, its own quotes escaped
  for (char c : dir) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  const std::string cmd = fmt::format("cd '{}' && gnuplot study.gp 2> gnuplot.log", quoted);
  if (std::system(cmd.c_str()) != 0) {
    fmt::print(out, "plots: gnuplot failed (see {}/gnuplot.log); the CSV files are complete\n", dir);
    return;
  }
  fmt::print(out, "plots in {}: ", dir);
  for (std::size_t i = 0; i < names.size(); ++i) fmt::print(out, "{}{}.png/.svg", i ? ", " : "", names[i]);
  fmt::print(out, "\n");
  if (m.have_forward)
    fmt::print(out, "zero-load latency {:.0f} ns ({:.1f} cycles); {}\n", m.zero_load_ns, m.zero_load_ns / spec::cycle_ns,
               m.knee_offered > 0 ? fmt::format("knee at {:.1f} events per us per source", m.knee_offered)
                                  : std::string("no knee within the loads offered"));
}

}  // namespace nmtwin::apps
