#pragma once
// A full-duplex point-to-point EXTOLL link: what one end sends on cycle c arrives at
// the other end on c + latency; packet words may arrive with flipped bits (seeded
// bit-error rate; per word a binomial count of flips at uniform bit positions,
// drawn with nmtwin/random.hpp, docs/determinism.md), which the link layer at the receiving end detects by the CRC and
// repairs by retransmission.  Control symbols and interrupt pulses are modelled
// error-free (docs/multichip.md).  Bandwidth is paced at the sending end.

#include <cstdint>
#include <span>
#include <vector>

#include "extoll/symbol.hpp"
#include "nmtwin/random.hpp"

namespace nmtwin::extoll {

struct LinkConfig {
  std::uint64_t latency_cycles = 32;
  double bits_per_cycle = 50;  ///< 6.24 Gb/s FPGA link
  double bit_error_rate = 0;
  std::uint64_t seed = 1;
  /// Fault injection (`--fault dead_link:...`, sim/fault.hpp): the link carries nothing.
  bool dead = false;
};

struct LinkStats {
  std::uint64_t symbols = 0;          ///< carried, both directions
  std::uint64_t words = 0;            ///< packet words carried
  std::uint64_t corrupted_words = 0;  ///< packet words with at least one flipped bit
  std::uint64_t flipped_bits = 0;
  std::uint64_t dead_symbols = 0;  ///< symbols a dead link swallowed (LinkConfig::dead)
};

class Link {
 public:
  /// Throws std::invalid_argument for a latency of 0 or a bit-error rate outside [0, 1).
  explicit Link(const LinkConfig& config);

  /// Carries the symbols end `from` (0 or 1) sent, in cycle order, to the other end.
  void carry(unsigned from, std::span<const Symbol> sent, std::vector<Symbol>& arriving);

  const LinkConfig& config() const { return config_; }
  const LinkStats& stats() const { return stats_; }

 private:
  LinkConfig config_;
  random::Xoshiro256ss rng_[2];
  LinkStats stats_;
};

}  // namespace nmtwin::extoll
