// Correlation sensors: nearest-neighbour pairing with an exponential kernel in integer
// accumulators (docs/chip.md, "Correlation sensors").
#include "sim/chip/correlation_sensors.hpp"

#include <algorithm>
#include <cmath>

#include "nmtwin/spec.hpp"

namespace nmtwin::sim {

// ---------------------------------------------------------------------------------------
// Kernel: K(d) = floor(amp * exp(-(d * cycle_ns) / tau_ns)), 0 from `reach` on.

void CorrelationSensors::Kernel::set(std::uint32_t tau_ns, std::uint32_t amp) {
  tau_ns_ = tau_ns;
  amp_ = amp;
  table_.clear();
  if (amp == 0) {
    reach_ = 0;
    return;
  }
  // K(d) < 1 once d > tau ln(amp); the estimate is corrected on the exact values (K falls
  // monotonically), so `reach` is the first d with K(d) = 0.
  auto d = static_cast<std::uint64_t>(std::ceil(static_cast<double>(tau_ns) / spec::cycle_ns * std::log(amp)));
  while (exact(d) != 0) ++d;
  while (d > 0 && exact(d - 1) == 0) --d;
  reach_ = d;
}

std::uint32_t CorrelationSensors::Kernel::exact(std::uint64_t d) const {
  const double x = -(static_cast<double>(d) * spec::cycle_ns) / static_cast<double>(tau_ns_);
  return static_cast<std::uint32_t>(std::floor(static_cast<double>(amp_) * std::exp(x)));
}

std::uint32_t CorrelationSensors::Kernel::at(std::uint64_t d) const {
  if (d >= reach_) return 0;
  if (d >= table_.size()) {
    // Grow geometrically: long pairings fill the table once, short ones never pay for it.
    const std::uint64_t size = std::min<std::uint64_t>(reach_, std::max<std::uint64_t>(d + 1, 2 * table_.size() + 64));
    for (std::uint64_t k = table_.size(); k < size; ++k) table_.push_back(static_cast<std::uint16_t>(exact(k)));
  }
  return table_[d];
}

// ---------------------------------------------------------------------------------------
// Recency: a doubly linked list, most recently touched first.

CorrelationSensors::Recency::Recency(unsigned size)
    : prev_(size, none), next_(size, none), last_(size, 0), listed_(size, false) {}

void CorrelationSensors::Recency::touch(unsigned i, std::uint64_t cycle) {
  last_[i] = cycle;
  if (head_ == i) return;
  if (listed_[i]) {
    next_[prev_[i]] = next_[i];  // i is not the head, so it has a predecessor
    if (next_[i] != none) prev_[next_[i]] = prev_[i];
  }
  listed_[i] = true;
  prev_[i] = none;
  next_[i] = head_;
  if (head_ != none) prev_[head_] = i;
  head_ = i;
}

// ---------------------------------------------------------------------------------------
// Sensors

CorrelationSensors::CorrelationSensors(unsigned rows, unsigned neurons)
    : neurons_(neurons),
      pre_(rows),
      post_(neurons),
      causal_(std::size_t{rows} * neurons),
      acausal_(std::size_t{rows} * neurons) {}

void CorrelationSensors::accumulate(std::uint16_t& acc, std::uint32_t increment) {
  acc = static_cast<std::uint16_t>(std::min<std::uint32_t>(0xFFFF, acc + increment));
}

// The pre spike closes an acausal pair with the latest post spike of every neuron (the
// same cycle included), then becomes the row's latest pre spike.
void CorrelationSensors::pre(unsigned row, std::uint64_t cycle) {
  std::uint16_t* sensors = &acausal_[std::size_t{row} * neurons_];
  for (auto n = post_.head(); n != Recency::none; n = post_.next(n)) {
    const std::uint64_t d = cycle - post_.last(n);
    if (d >= acausal_kernel_.reach()) break;
    accumulate(sensors[n], acausal_kernel_.at(d));
  }
  pre_.touch(row, cycle);
}

// The post spike closes a causal pair with the latest pre spike of every row (always an
// earlier cycle: pre spikes of this cycle come after it), then becomes the neuron's latest.
void CorrelationSensors::post(unsigned neuron, std::uint64_t cycle) {
  for (auto r = pre_.head(); r != Recency::none; r = pre_.next(r)) {
    const std::uint64_t d = cycle - pre_.last(r);
    if (d >= causal_kernel_.reach()) break;
    accumulate(causal_[std::size_t{r} * neurons_ + neuron], causal_kernel_.at(d));
  }
  post_.touch(neuron, cycle);
}

void CorrelationSensors::reset_row(unsigned row) {
  const auto first = static_cast<std::ptrdiff_t>(std::size_t{row} * neurons_);
  std::fill_n(causal_.begin() + first, neurons_, 0);
  std::fill_n(acausal_.begin() + first, neurons_, 0);
}

void CorrelationSensors::reset_all() {
  std::fill(causal_.begin(), causal_.end(), 0);
  std::fill(acausal_.begin(), acausal_.end(), 0);
}

}  // namespace nmtwin::sim
