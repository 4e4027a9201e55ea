// Brute-force reference of the correlation sensors and spike counters (docs/chip.md,
// "Correlation sensors"), written from the formulae and independent of the model:
// every pair is found by scanning all spikes, every increment is summed in 64 bits,
// saturation is applied once at the end.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

namespace chip_test {

// Order of events: cycle, then phase (0 neuron spikes, 1 loopback deliveries, 2 words in
// the order they were sent).
struct Key {
  std::uint64_t cycle;
  unsigned phase;
  std::uint64_t seq;
  friend bool operator<(const Key& a, const Key& b) {
    return std::tie(a.cycle, a.phase, a.seq) < std::tie(b.cycle, b.phase, b.seq);
  }
};

struct Params {
  std::uint32_t tau_causal_ns, tau_acausal_ns, amp_causal, amp_acausal;
};

class SensorReference {
 public:
  static constexpr unsigned all = 0xFFFFFFFF;
  std::vector<std::pair<Key, unsigned>> pre, post;                    // (when, row / neuron)
  std::vector<std::pair<Key, unsigned>> corr_resets, counter_resets;  // (when, row / neuron or all)
  std::vector<std::pair<Key, Params>> params;                         // in time order; the first from the start

  // floor(amp e^(-d cycle_ns / tau_ns)) with the parameters in force at `at`.
  std::uint64_t increment(const Key& at, std::uint64_t d, bool causal) const {
    Params p = params.front().second;
    for (const auto& [k, q] : params)
      if (k < at) p = q;
    const double tau = causal ? p.tau_causal_ns : p.tau_acausal_ns;
    const double amp = causal ? p.amp_causal : p.amp_acausal;
    return static_cast<std::uint64_t>(std::floor(amp * std::exp(-(static_cast<double>(d) * 8) / tau)));
  }

  // Latest reset of `index` (its own or `all`) before the end, or none.
  static const Key* last_reset(const std::vector<std::pair<Key, unsigned>>& resets, unsigned index) {
    const Key* last = nullptr;
    for (const auto& [k, i] : resets)
      if ((i == index || i == all) && (!last || *last < k)) last = &k;
    return last;
  }

  // {causal, acausal} of synapse (row, neuron) at the end.
  std::pair<unsigned, unsigned> sensors(unsigned row, unsigned neuron) const {
    const Key* since = last_reset(corr_resets, row);
    std::uint64_t causal = 0, acausal = 0;
    // Each post spike pairs with the latest pre spike before it.
    for (const auto& [tp, n] : post) {
      if (n != neuron || (since && tp < *since)) continue;
      const Key* latest = nullptr;
      for (const auto& [tq, r] : pre)
        if (r == row && tq < tp && (!latest || *latest < tq)) latest = &tq;
      if (latest) causal += increment(tp, tp.cycle - latest->cycle, true);
    }
    // Each pre spike pairs with the latest post spike before it.
    for (const auto& [tq, r] : pre) {
      if (r != row || (since && tq < *since)) continue;
      const Key* latest = nullptr;
      for (const auto& [tp, n] : post)
        if (n == neuron && tp < tq && (!latest || *latest < tp)) latest = &tp;
      if (latest) acausal += increment(tq, tq.cycle - latest->cycle, false);
    }
    return {static_cast<unsigned>(std::min<std::uint64_t>(255, causal / 256)),
            static_cast<unsigned>(std::min<std::uint64_t>(255, acausal / 256))};
  }

  unsigned counter(unsigned neuron) const {
    const Key* since = last_reset(counter_resets, neuron);
    const auto n = std::count_if(post.begin(), post.end(),
                                 [&](const auto& p) { return p.second == neuron && (!since || *since < p.first); });
    return static_cast<unsigned>(std::min<std::int64_t>(255, n));
  }
};

}  // namespace chip_test
