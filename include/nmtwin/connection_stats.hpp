// Statistics of a connection's link (Connection::stats): frames and words each way,
// what the ARQ protocol had to repair, and the round trips it measured.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace nmtwin::hostlink {

struct ConnectionStats {
  using Duration = std::chrono::nanoseconds;

  // Host -> FPGA.
  std::uint64_t frames_sent = 0;  ///< data frames, first transmissions
  std::uint64_t words_sent = 0;
  std::uint64_t retransmits = 0;       ///< data frames sent again
  std::uint64_t timeouts = 0;          ///< retransmission timer expiries
  std::uint64_t fast_retransmits = 0;  ///< windows sent again early on duplicate ACKs
  std::uint64_t acks_sent = 0;         ///< standalone 4-byte ACKs
  std::uint64_t resets_sent = 0;       ///< magic words on the reset port

  // FPGA -> host.
  std::uint64_t frames_received = 0;  ///< data frames accepted (each once)
  std::uint64_t words_received = 0;   ///< response words delivered in order
  std::uint64_t acks_received = 0;    ///< standalone ACKs
  std::uint64_t duplicates = 0;       ///< data frames that had arrived before
  std::uint64_t out_of_order = 0;     ///< data frames kept until the gap before them filled
  std::uint64_t dropped = 0;          ///< malformed, unknown PTYPE, outside the window, stale CFG

  Duration rto{0};   ///< current retransmission timeout
  Duration srtt{0};  ///< smoothed round trip
  /// The FPGA's time per instruction word, measured from a stream's ACKs (the
  /// retransmission timer allows for the words queued ahead); 0 before a measurement.
  Duration word_time{0};

  /// Round trip of a frame sent once, from its sending to the ACK that covered it.
  void add_rtt(Duration rtt);
  std::size_t rtt_samples() const { return rtt_count_; }
  /// Over every sample; 0 without samples.
  Duration rtt_min() const { return rtt_min_; }
  /// Quantile (0.5 = median, 0.99 = p99) of the latest 65536 samples; 0 without samples.
  Duration rtt_quantile(double q) const;

  /// Several lines, one topic a line, for logs and benchmark output.
  std::string summary() const;

 private:
  static constexpr std::size_t kept_rtts = 65536;
  std::vector<Duration> rtts_;  // ring of the latest samples
  std::size_t rtt_count_ = 0;
  Duration rtt_min_{0};
};

std::ostream& operator<<(std::ostream& out, const ConnectionStats& stats);

}  // namespace nmtwin::hostlink
