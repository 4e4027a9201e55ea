#pragma once
// `nmtwin study latency` (docs/latency.md): sweeps of chip-to-chip spike traffic over
// a simulated network, measured from the twin's own timestamps and counters —
// latency (distribution, per hop count, jitter), offered versus accepted traffic,
// delivery before the deadline and drops, aggregation — into a tidy CSV and plots.

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "experiment/spike_ledger.hpp"
#include "extoll/network.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

/// One point of a study.
struct StudyPoint {
  std::string topology = "ring8";     ///< file or built-in (pair, ringN, torusXxYxZ)
  std::string pattern = "uniform";    ///< uniform | neighbour | hotspot
  double rate_per_us = 1;             ///< events a source offers per µs of hardware time (Poisson)
  unsigned pulse_timeout = 1, packet_timeout = 0;  ///< bucket flush timeouts (cycles; 0: off)
  unsigned destination_delay = 0;     ///< ticks; 0: forward at once and measure the latency
  std::optional<std::uint64_t> link_latency, switch_latency;  ///< cycles, every link / switch
  std::optional<double> bandwidth, bit_error_rate;            ///< bits per cycle, per bit
  std::uint64_t seed = 1;
  double warmup_us = 20, sample_us = 100;
  double drain_us = 50;  ///< after the sample: a spike not delivered by then marks the point unstable
};

struct PointResult {
  bool unstable = false;
  bool failed = false;  ///< the point did not run (its message was printed)
  std::uint64_t link_latency = 0, switch_latency = 0;  ///< in effect (first link), cycles
  double bandwidth = 0, bit_error_rate = 0;
  unsigned nodes = 0;
  /// Sampled spikes (sent in the sample window), forwarded at once only.
  std::uint64_t sent = 0, delivered = 0, undelivered = 0;
  std::uint64_t routed = 0, packets = 0, released = 0, expired = 0, full = 0;  ///< counters, whole run
  double offered_per_us = 0, accepted_per_us = 0;  ///< per source
  double lat_min = 0, lat_mean = 0, lat_p50 = 0, lat_p99 = 0, lat_p999 = 0, lat_max = 0, jitter = 0;  ///< cycles
  double max_link_utilization = 0;  ///< of the busiest link direction during the sample, 0..1
  std::vector<std::pair<unsigned, std::int64_t>> samples;  ///< (hops, latency cycles) of every sampled spike
  std::map<unsigned, std::uint64_t> zero_load_by_hops;     ///< zero_load_latency() of a path of so many links
  /// The spike-path counters after the drain, which passed the conservation check (from
  /// run_point itself; the study's child processes do not pass it on).
  SystemLedger ledger;
};

PointResult run_point(const StudyPoint& point);

/// The FPGA pipeline of a spike across the network, in cycles, beyond the pulse
/// timeout, the links and the switches (docs/latency.md, measured on the RTL).
inline constexpr std::uint64_t fpga_pipeline_cycles = spec::timing::fpga_pipeline_cycles;
/// Zero-load latency of one spike (a packet of one event, 3 words) from node a to
/// node b, forwarded at once at b: pulse_timeout + fpga_pipeline_cycles + for every
/// link on the path its latency and the time its words take on the wire (every
/// receiver stores the whole packet) + every switch's latency.
std::uint64_t zero_load_latency(const extoll::Network& network, unsigned a, unsigned b, unsigned pulse_timeout);

struct StudyOptions {
  StudyPoint base;
  /// name=v1,v2,...: every combination is a point (rate, pattern, pulse_timeout,
  /// packet_timeout, destination_delay, link_latency, switch_latency, bandwidth,
  /// bit_error_rate, nodes, seed).
  std::vector<std::string> sweeps;
  std::vector<std::string> sets;  ///< name=value for the base point
  std::string output = "latency_study";  ///< directory: study.csv and the plots
  unsigned jobs = 0;                      ///< points at once; 0: one per core
  bool plots = true;
};

/// The points of a study (the default one when no sweep is given); an InputError
/// names a bad sweep or value.
std::vector<StudyPoint> study_points(const StudyOptions& options);
int run_latency_study(const StudyOptions& options, std::ostream& out, std::ostream& progress);

/// Columns of study.csv, in order.
const std::vector<std::string>& study_columns();

}  // namespace nmtwin::apps
