#include "nmtwin/connection_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace nmtwin::hostlink {

void ConnectionStats::add_rtt(Duration rtt) {
  if (rtt_count_ == 0 || rtt < rtt_min_) rtt_min_ = rtt;
  if (rtts_.size() < kept_rtts)
    rtts_.push_back(rtt);
  else
    rtts_[rtt_count_ % kept_rtts] = rtt;
  ++rtt_count_;
}

ConnectionStats::Duration ConnectionStats::rtt_quantile(double q) const {
  if (rtts_.empty()) return Duration{0};
  std::vector<Duration> sorted = rtts_;
  const auto rank = static_cast<std::size_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size())));
  const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
  std::nth_element(sorted.begin(), nth, sorted.end());
  return *nth;
}

std::string ConnectionStats::summary() const {
  auto us = [](Duration d) { return std::chrono::duration<double, std::micro>(d).count(); };
  return fmt::format(
      "sent      {} frames, {} words, {} retransmits after {} timeouts and {} duplicate ACK series, {} standalone "
      "ACKs, {} resets\n"
      "received  {} frames, {} words, {} standalone ACKs, {} duplicates, {} out of order, {} dropped\n"
      "rtt       {} samples: min {:.1f} us, median {:.1f} us, p99 {:.1f} us; srtt {:.1f} us, rto {:.1f} us",
      frames_sent, words_sent, retransmits, timeouts, fast_retransmits, acks_sent, resets_sent, frames_received,
      words_received, acks_received, duplicates, out_of_order, dropped, rtt_count_, us(rtt_min_), us(rtt_quantile(0.5)),
      us(rtt_quantile(0.99)), us(srtt), us(rto)) +
         (word_time.count() > 0
              ? fmt::format("; the FPGA takes {:.1f} ns a word (measured)",
                            std::chrono::duration<double, std::nano>(word_time).count())
              : std::string());
}

std::ostream& operator<<(std::ostream& out, const ConnectionStats& stats) { return out << stats.summary(); }

}  // namespace nmtwin::hostlink
