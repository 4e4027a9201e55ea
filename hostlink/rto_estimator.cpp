#include "hostlink/rto_estimator.hpp"

#include <algorithm>
#include <stdexcept>

namespace nmtwin::hostlink {

RtoEstimator::RtoEstimator(RtoBounds bounds) : bounds_(bounds) {
  if (bounds.min <= Duration::zero() || bounds.max < bounds.min)
    throw std::invalid_argument("RTO bounds: need 0 < min <= max");
  rto_ = clamp(bounds.initial);
}

RtoEstimator::Duration RtoEstimator::clamp(Duration d) const {
  return std::clamp<Duration>(d, bounds_.min, bounds_.max);
}

void RtoEstimator::sample(Duration rtt) {
  rtt = std::max(rtt, Duration::zero());
  if (!sampled_) {
    srtt_ = rtt;
    rttvar_ = rtt / 2;
    sampled_ = true;
  } else {
    const Duration error = srtt_ > rtt ? srtt_ - rtt : rtt - srtt_;
    rttvar_ = (3 * rttvar_ + error) / 4;
    srtt_ = (7 * srtt_ + rtt) / 8;
  }
  forget_back_off();
}

void RtoEstimator::back_off() { rto_ = clamp(2 * rto_); }

void RtoEstimator::forget_back_off() {
  if (sampled_) rto_ = clamp(srtt_ + 4 * rttvar_);
}

}  // namespace nmtwin::hostlink
