// nmtwin study latency: the CSV's columns, the zero-load latency against the
// documented formula (exactly, on several networks), saturation on a ring of 8 under
// uniform traffic, and the destination_delay below which spikes expire.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "study/latency_study.hpp"
#include "experiment/topology_file.hpp"

using namespace nmtwin::apps;
namespace fs = std::filesystem;

namespace {
StudyPoint point(const std::string& topology, double rate) {
  StudyPoint p;
  p.topology = topology;
  p.rate_per_us = rate;
  p.warmup_us = 10;
  p.sample_us = 60;
  return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_csv_has_one_row_per_point_and_the_documented_columns) {
  const auto dir = fs::temp_directory_path() / "nmtwin_test_study";
  fs::remove_all(dir);
  StudyOptions o;
  o.base = point("ring4", 1);
  o.sweeps = {"rate=0.5,2", "destination_delay=0,300"};
  o.output = dir.string();
  o.plots = false;
  o.jobs = 2;
  std::ostringstream out, progress;
  BOOST_TEST(run_latency_study(o, out, progress) == 0);
  std::ifstream f(dir / "study.csv");
  std::string header, line;
  std::getline(f, header);
  BOOST_TEST(header ==
             "point,topology,nodes,pattern,rate_per_us,pulse_timeout,packet_timeout,destination_delay,"
             "link_latency_cycles,switch_latency_cycles,bandwidth_bits_per_cycle,bit_error_rate,seed,warmup_us,"
             "sample_us,drain_us,status,sent,delivered,undelivered,routed,released,expired,full,offered_per_us,"
             "accepted_per_us,latency_min_cycles,latency_mean_cycles,latency_p50_cycles,latency_p99_cycles,"
             "latency_p999_cycles,latency_max_cycles,jitter_cycles,latency_mean_ns,latency_p99_ns,"
             "latency_mean_bio_ms,latency_p99_bio_ms,delivered_before_deadline,events_per_packet,header_overhead,"
             "max_link_utilization");
  std::size_t rows = 0;
  const auto columns = std::count(header.begin(), header.end(), ',') + 1;
  while (std::getline(f, line)) {
    ++rows;
    BOOST_TEST(std::count(line.begin(), line.end(), ',') + 1 == columns);
  }
  BOOST_TEST(rows == 4u);
  for (const char* file : {"latency_by_hops.csv", "latency_cdf.csv"}) BOOST_TEST(fs::file_size(dir / file) > 100u);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(zero_load_latency_is_the_hop_latencies_plus_the_fpga_pipeline_exactly) {
  // By hand for a neighbour on the ring of 8 (node - switch - switch - node): pulse
  // timeout 1 + pipeline 15 + 3 links of 32 cycles, each 2 more for the packet's
  // 3 words at 50 bits a cycle + 2 switches of 16.
  const nmtwin::extoll::Network ring8(simulation_config(find_topology("ring8")).network);
  BOOST_TEST(zero_load_latency(ring8, 0, 1, 1) == 1u + 15 + 3 * (32 + 2) + 2 * 16);
  // Measured: the fastest spike of every path length, at a load too low to queue,
  // on networks that differ in every parameter of the formula.
  std::vector<StudyPoint> points{point("ring8", 0.25), point("pair", 0.25), point("torus2x2x2", 0.2)};
  points[1].link_latency = 50;
  points[1].pulse_timeout = 5;
  points[1].bandwidth = 20;
  points[2].link_latency = 41;
  points[2].switch_latency = 7;
  points[2].bandwidth = 30;
  points[2].pulse_timeout = 3;
  for (const auto& p : points) {
    const auto r = run_point(p);
    BOOST_TEST_MESSAGE(p.topology << ": " << r.zero_load_by_hops.size() << " path lengths");
    BOOST_REQUIRE(!r.zero_load_by_hops.empty());
    std::map<unsigned, std::int64_t> fastest;
    for (const auto& [h, l] : r.samples) fastest[h] = fastest.count(h) ? std::min(fastest[h], l) : l;
    for (const auto& [h, model] : r.zero_load_by_hops) BOOST_TEST(fastest[h] == static_cast<std::int64_t>(model));
  }
}

BOOST_AUTO_TEST_CASE(a_ring_of_8_saturates_and_never_carries_more_than_its_links_bandwidth) {
  std::vector<PointResult> r;
  for (double rate : {1.0, 4.0, 16.0, 32.0}) {
    auto p = point("ring8", rate);
    p.drain_us = 30;
    r.push_back(run_point(p));
    BOOST_TEST(r.back().max_link_utilization <= 1.0);
    BOOST_TEST(r.back().max_link_utilization > 0.0);
  }
  // Below the knee all offered traffic is accepted at the zero-load latency; past it
  // the accepted traffic stops growing and the latency explodes.
  BOOST_TEST(r[0].accepted_per_us > 0.9 * r[0].offered_per_us);
  BOOST_TEST(!r[0].unstable);
  BOOST_TEST(r[3].accepted_per_us < 0.5 * r[3].offered_per_us);
  BOOST_TEST(r[3].accepted_per_us < 1.2 * r[2].accepted_per_us);
  BOOST_TEST(r[3].lat_mean > 10 * r[0].lat_mean);
  BOOST_TEST(r[3].unstable);
}

BOOST_AUTO_TEST_CASE(below_some_destination_delay_spikes_expire_and_every_one_is_accounted_for) {
  std::vector<PointResult> r;
  for (unsigned delay : {100u, 200u, 300u, 400u}) {
    auto p = point("ring8", 2);
    p.destination_delay = delay;
    r.push_back(run_point(p));
    BOOST_TEST(r.back().routed > 0u);
    BOOST_TEST(r.back().routed == r.back().released + r.back().expired + r.back().full);  // expired + delivered = sent
    BOOST_TEST(!r.back().unstable);
  }
  BOOST_TEST(r[0].released == 0u);  // shorter than every path: all expire
  BOOST_TEST(r[0].expired == r[0].routed);
  BOOST_TEST(r[3].expired == 0u);   // longer than the longest path: none does
  for (std::size_t i = 1; i < r.size(); ++i) BOOST_TEST(r[i].released >= r[i - 1].released);
}

BOOST_AUTO_TEST_CASE(hotspot_and_recorded_traces_send_where_they_say) {
  auto hot = point("ring4", 2);
  hot.pattern = "hotspot";
  const auto h = run_point(hot);
  BOOST_TEST(h.delivered == h.sent);
  BOOST_TEST(h.sent > 0u);
  for (const auto& [hops, l] : h.samples) BOOST_TEST(hops >= 3u);  // every spike crosses switches to node 0
  // A recorded trace: the synfire chain's spikes, replayed between two chips.
  const auto dir = fs::temp_directory_path() / "nmtwin_test_trace";
  fs::create_directories(dir);
  const auto golden = (dir / "t.golden").string();
  std::ofstream(golden) << "spike 0 5 1000\nspike 1 6 1200\nspike 0 7 1300\n";
  auto tr = point("pair", 1);
  tr.pattern = "trace:" + golden;
  tr.warmup_us = 0;
  tr.sample_us = 20;
  const auto t = run_point(tr);
  BOOST_TEST(t.sent == 3u);
  BOOST_TEST(t.delivered == 3u);
  fs::remove_all(dir);
}
