// Running a latency study: its points side by side in processes, then study.csv,
// the per-hop and CDF tables and the plots.
#include "study/latency_study.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "experiment/output_path.hpp"
#include "experiment/process_pool.hpp"
#include "experiment/ranks.hpp"
#include "nmtwin/spec.hpp"
#include "study/study_traffic.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

using study_detail::max_nodes;
using study_detail::too_many_nodes;
using study_detail::system_of;

const std::vector<std::string>& study_columns() {
  static const std::vector<std::string> c{
      "point", "topology", "nodes", "pattern", "rate_per_us", "pulse_timeout", "packet_timeout", "destination_delay",
      "link_latency_cycles", "switch_latency_cycles", "bandwidth_bits_per_cycle", "bit_error_rate", "seed",
      "warmup_us", "sample_us", "drain_us", "status", "sent", "delivered", "undelivered", "routed", "released", "expired", "full",
      "offered_per_us", "accepted_per_us", "latency_min_cycles", "latency_mean_cycles", "latency_p50_cycles",
      "latency_p99_cycles", "latency_p999_cycles", "latency_max_cycles", "jitter_cycles", "latency_mean_ns",
      "latency_p99_ns", "latency_mean_bio_ms", "latency_p99_bio_ms", "delivered_before_deadline", "events_per_packet",
      "header_overhead", "max_link_utilization"};
  return c;
}

namespace {

std::string serialize(const PointResult& r) {
  std::string s = fmt::format("{} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} {}\n", r.unstable ? 1 : 0, r.nodes,
                              r.sent, r.delivered, r.undelivered, r.routed, r.packets, r.released, r.expired, r.full,
                              r.offered_per_us, r.accepted_per_us, r.lat_min, r.lat_mean, r.lat_p50, r.lat_p99,
                              r.lat_p999, r.lat_max, r.jitter, r.max_link_utilization, r.samples.size());
  for (const auto& [h, l] : r.samples) s += fmt::format("{} {}\n", h, l);
  s += fmt::format("{} {} {} {}\n", r.link_latency, r.switch_latency, r.bandwidth, r.bit_error_rate);
  s += fmt::format("{}\n", r.zero_load_by_hops.size());
  for (const auto& [h, z] : r.zero_load_by_hops) s += fmt::format("{} {}\n", h, z);
  return s;
}

std::optional<PointResult> deserialize(const std::string& text) {
  std::istringstream in(text);
  PointResult r;
  std::size_t n = 0;
  if (!(in >> r.unstable >> r.nodes >> r.sent >> r.delivered >> r.undelivered >> r.routed >> r.packets >> r.released >>
        r.expired >> r.full >> r.offered_per_us >> r.accepted_per_us >> r.lat_min >> r.lat_mean >> r.lat_p50 >>
        r.lat_p99 >> r.lat_p999 >> r.lat_max >> r.jitter >> r.max_link_utilization >> n))
    return std::nullopt;
  r.samples.resize(n);
  for (auto& [h, l] : r.samples) in >> h >> l;
  in >> r.link_latency >> r.switch_latency >> r.bandwidth >> r.bit_error_rate;
  std::size_t m = 0;
  in >> m;
  for (std::size_t i = 0; i < m; ++i) {
    unsigned h = 0;
    std::uint64_t z = 0;
    in >> h >> z;
    r.zero_load_by_hops[h] = z;
  }
  return r;
}


std::string csv_row(std::size_t i, const StudyPoint& p, const PointResult& r) {
  const double ns = spec::cycle_ns;
  const double epp = r.packets ? static_cast<double>(r.routed) / static_cast<double>(r.packets) : 0;
  // Header and CRC word per packet against two events per payload word.
  const double overhead = r.packets ? 2.0 * static_cast<double>(r.packets) /
                                          (2.0 * static_cast<double>(r.packets) + std::ceil(epp / 2) * static_cast<double>(r.packets))
                                    : 0;
  // With a deadline: released / routed (counters); forwarded at once: delivered / sent.
  const auto ratio = [](std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  const double before_deadline = p.destination_delay ? ratio(r.released, r.routed) : ratio(r.delivered, r.sent);
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.4f},{:.4f},{},{:.3f},{},{},{},{},"
                     "{:.3f},{:.1f},{:.1f},{:.6f},{:.6f},{:.6f},{:.3f},{:.4f},{:.4f}\n",
                     i, p.topology, r.nodes, p.pattern, p.rate_per_us, p.pulse_timeout, p.packet_timeout,
                     p.destination_delay, r.link_latency, r.switch_latency, r.bandwidth, r.bit_error_rate, p.seed, p.warmup_us,
                     p.sample_us, p.drain_us, r.failed ? "error" : r.unstable ? "unstable" : "stable", r.sent,
                     r.delivered, r.undelivered, r.routed, r.released, r.expired, r.full, r.offered_per_us,
                     r.accepted_per_us, r.lat_min, r.lat_mean, r.lat_p50, r.lat_p99, r.lat_p999, r.lat_max, r.jitter,
                     r.lat_mean * ns, r.lat_p99 * ns, r.lat_mean * ns / 1000.0, r.lat_p99 * ns / 1000.0,
                     before_deadline, epp, overhead, r.max_link_utilization);
}

}  // namespace

void write_study_plots(const std::string& dir, const std::vector<StudyPoint>& points,
                       const std::vector<PointResult>& results, std::ostream& out);

int run_latency_study(const StudyOptions& o, std::ostream& out, std::ostream& progress_of_all) {
  std::ostream& progress = on_rank_zero(progress_of_all);  // rank 0 reports for all
  const auto points = study_points(o);
  for (const auto& p : points) {  // reject bad parameters before any point runs
    const auto nodes = system_of(p).network.node_ids.size();
    if (nodes > max_nodes) throw InputError(too_many_nodes(fmt::format("topology {} ({} nodes)", p.topology, nodes)));
  }
  if (writes_outputs()) {
    check_output_dir(o.output, "the study's output directory (-o)");
    for (const char* name : {"study.csv", "latency_by_hops.csv", "latency_cdf.csv"})
      check_output_file((fs::path(o.output) / name).string(), "a study CSV file");
  }
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<PointResult> results(points.size());
  std::size_t done = 0;
  std::size_t failed = 0;
  const auto bar = [&](std::size_t k) {
    ++done;
    const auto width = 30 * done / points.size();
    fmt::print(progress, "\r[{:<30}] {}/{} points{}", std::string(width, '#'), done, points.size(),
               done == points.size() ? "\n" : "");
    if (results[k].unstable && !results[k].failed)
      fmt::print(progress, "  (point {} unstable: spikes late past {} us)\n", k, points[k].drain_us);
    progress.flush();
  };
  const auto point = [&](std::size_t k) {
    try {
      return serialize(run_point(points[k]));
    } catch (const std::exception& e) {
      // Under mpirun an error may be one rank's alone while the others wait for it in the
      // simulation's exchange: it ends the job (docs/scaleout.md).
      if (rank_count() > 1) throw std::runtime_error(fmt::format("point {}: {}", k, e.what()));
      return std::string("error ") + e.what();
    }
  };
  const auto take = [&](std::size_t k, const std::string& text) {
    if (auto r = deserialize(text)) {
      results[k] = std::move(*r);
    } else {
      ++failed;
      results[k].failed = true;
      fmt::print(progress, "\npoint {}: error: {}\n", k, text.empty() ? "its process died" : text.substr(6));
    }
    bar(k);
  };
  if (rank_count() > 1) {
    // Under mpirun every point is split over all ranks, one after the other (docs/scaleout.md).
    for (std::size_t k = 0; k < points.size(); ++k) take(k, point(k));
  } else {
    run_in_processes(points.size(), jobs, point, take);
  }
  if (!writes_outputs()) return failed ? 1 : 0;  // rank 0 writes for all
  const auto csv = (fs::path(o.output) / "study.csv").string();
  std::ofstream f(csv);
  for (std::size_t i = 0; i < study_columns().size(); ++i) f << (i ? "," : "") << study_columns()[i];
  f << "\n";
  for (std::size_t i = 0; i < points.size(); ++i) f << csv_row(i, points[i], results[i]);
  // Latencies per hop count and the CDF of every point, for the plots.
  std::ofstream hops(fs::path(o.output) / "latency_by_hops.csv");
  hops << "point,hops,spikes,latency_min_cycles,latency_mean_cycles,latency_max_cycles,zero_load_model_cycles\n";
  std::ofstream cdf(fs::path(o.output) / "latency_cdf.csv");
  cdf << "point,latency_cycles,latency_ns,fraction\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::map<unsigned, std::vector<std::int64_t>> by;
    std::vector<std::int64_t> all;
    for (const auto& [h, l] : results[i].samples) {
      by[h].push_back(l);
      all.push_back(l);
    }
    for (auto& [h, v] : by) {
      double sum = 0;
      for (auto l : v) sum += static_cast<double>(l);
      hops << fmt::format("{},{},{},{},{:.3f},{},{}\n", i, h, v.size(), *std::min_element(v.begin(), v.end()),
                          sum / static_cast<double>(v.size()), *std::max_element(v.begin(), v.end()),
                          results[i].zero_load_by_hops[h]);
    }
    std::sort(all.begin(), all.end());
    for (std::size_t k = 0; k < all.size(); ++k)
      if (k + 1 == all.size() || all[k + 1] != all[k])
        cdf << fmt::format("{},{},{:.1f},{:.6f}\n", i, all[k], static_cast<double>(all[k]) * spec::cycle_ns,
                           static_cast<double>(k + 1) / static_cast<double>(all.size()));
  }
  f.close();
  hops.close();
  cdf.close();  // complete before gnuplot reads them
  if (!f || !hops || !cdf) throw std::runtime_error(fmt::format("cannot write the study's CSV files in {}", o.output));
  fmt::print(out, "{} points written to {}\n", points.size(), csv);
  if (o.plots) write_study_plots(o.output, points, results, out);
  if (failed)
    fmt::print(out, "{} of {} points ended in an error (status error in study.csv); the reasons are above\n", failed,
               points.size());
  return failed ? 1 : 0;
}

}  // namespace nmtwin::apps
