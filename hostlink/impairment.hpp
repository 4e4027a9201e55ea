// Impairment: seeded loss, duplication, reordering and delay applied to a stream
// of datagrams, for tests and robustness studies. One filter per direction; the
// same class serves the host's ImpairedLink, the simulator's in-process link and
// the server's UDP ports.
//
// Every datagram draws the same five random numbers from a SplitMix64 stream
// seeded by `seed` (nmtwin/random.hpp, docs/determinism.md), so which datagrams are lost, duplicated, reordered or delayed
// depends only on the seed and the position in the stream, never on timing.
// Reordering counts datagrams (a held datagram leaves after the next 1..depth
// ones), which means the same thing for an in-process link and a socket;
// delay is a time (the owner calls release_due() and wakes at next_due()), and
// also bounds how long a reordered datagram waits when no others follow.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hostlink/datagram_link.hpp"
#include "nmtwin/random.hpp"

namespace nmtwin::hostlink {

struct ImpairmentConfig {
  double loss = 0;     ///< probability that a datagram is dropped
  double dup = 0;      ///< ... that a copy of it goes out as well
  double reorder = 0;  ///< ... that it is held back behind the next 1..depth datagrams
  unsigned depth = 3;
  double delay = 0;  ///< ... that it is held back for delay_ms
  std::chrono::microseconds delay_time{10'000};
  std::uint64_t seed = 1;

  bool active() const { return loss > 0 || dup > 0 || reorder > 0 || delay > 0; }
  /// "loss=0.05,dup=0.02,reorder=0.02,depth=3,delay=0.001,delay_ms=10,seed=7"; items
  /// in any order, each optional. Throws std::invalid_argument naming the bad item.
  static ImpairmentConfig parse(std::string_view text);
  /// The same syntax, every item.
  std::string to_string() const;
  /// The other direction of a link: same rates, an independent random stream.
  ImpairmentConfig reverse() const;
};

struct ImpairmentStats {
  std::uint64_t datagrams = 0, lost = 0, duplicated = 0, reordered = 0, delayed = 0;
};

class Impairment {
 public:
  explicit Impairment(const ImpairmentConfig& config);

  /// Passes one datagram in; appends to `out` what leaves now (none, it, a copy,
  /// held datagrams whose turn came), in order.
  void push(Datagram datagram, Clock::time_point now, std::vector<Datagram>& out);
  /// Appends the held datagrams whose time has come.
  void release_due(Clock::time_point now, std::vector<Datagram>& out);
  /// When release_due() has something next; Clock::time_point::max() if nothing is held.
  Clock::time_point next_due() const;

  const ImpairmentConfig& config() const { return config_; }
  const ImpairmentStats& stats() const { return stats_; }

 private:
  struct Held {
    Datagram datagram;
    unsigned after;  // datagrams still to pass first; 0: waits for `due` only
    Clock::time_point due;
  };
  // Moves the held datagrams that `leaves` picks to `out`, in the order they were held.
  template <class Leaves>
  void release_if(Leaves leaves, std::vector<Datagram>& out);

  ImpairmentConfig config_;
  ImpairmentStats stats_;
  random::SplitMix64 rng_;
  std::vector<Held> held_;
};

}  // namespace nmtwin::hostlink
