// Retransmission timeout from measured round trips (Jacobson/Karels, RFC 6298):
// SRTT and RTTVAR smoothed per sample, RTO = SRTT + 4 RTTVAR within bounds,
// doubled on every timeout until the next sample. The caller applies Karn's rule
// (no sample from a frame that was sent more than once).
#pragma once
#include <chrono>

#include "nmtwin/connect_options.hpp"

namespace nmtwin::hostlink {

class RtoEstimator {
 public:
  using Duration = std::chrono::nanoseconds;
  explicit RtoEstimator(RtoBounds bounds = {});

  void sample(Duration rtt);
  /// A timeout: the RTO doubles (up to the maximum) until the next sample.
  void back_off();
  /// The RTO from SRTT and RTTVAR again, as after a sample (when the timeouts
  /// turned out to be losses, not a longer round trip).
  void forget_back_off();

  Duration rto() const { return rto_; }
  Duration srtt() const { return srtt_; }      ///< 0 before the first sample
  Duration rttvar() const { return rttvar_; }  ///< 0 before the first sample
  const RtoBounds& bounds() const { return bounds_; }

 private:
  Duration clamp(Duration d) const;
  RtoBounds bounds_;
  Duration rto_, srtt_{0}, rttvar_{0};
  bool sampled_ = false;
};

}  // namespace nmtwin::hostlink
