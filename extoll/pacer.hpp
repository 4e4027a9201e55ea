#pragma once
// Paces packet words onto a link of a given bandwidth: a 64-bit word occupies the
// wire 64 / bits_per_cycle cycles (rounded up to 1/256 cycle: 50 bits a cycle give
// 1.28125 instead of 1.28, 0.1 % slow), and at most one word starts a cycle.  In
// integers, so it needs no floating point per word and is the same everywhere: the
// FPGA's link port (sim::NetPort), every switch port and the latency model use it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace nmtwin::extoll {

class Pacer {
 public:
  explicit Pacer(double bits_per_cycle = 64) {
    if (!(bits_per_cycle > 0)) throw std::invalid_argument("a link needs a bandwidth above 0 bits per cycle");
    cost_ = static_cast<std::uint64_t>(std::ceil(64.0 * fraction / bits_per_cycle));
  }
  /// True when a word may start on `cycle` (the wire frees up during it).
  bool ready(std::uint64_t cycle) const { return free_ < (cycle + 1) * fraction; }
  /// The first cycle at or after `cycle` on which a word may start.
  std::uint64_t next_ready(std::uint64_t cycle) const { return std::max(cycle, free_ / fraction); }
  /// A word starts on `cycle` (which must be ready).
  void send(std::uint64_t cycle) { free_ = std::max(free_, cycle * fraction) + std::max(cost_, fraction); }

 private:
  static constexpr std::uint64_t fraction = 256;
  std::uint64_t cost_ = fraction;  ///< per word, in 1/256 cycle
  std::uint64_t free_ = 0;         ///< wire free from this time on, in 1/256 cycle
};

}  // namespace nmtwin::extoll
