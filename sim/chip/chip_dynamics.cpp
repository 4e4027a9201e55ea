// The neuron dynamics of the chip model: the event loop (threshold crossings and
// loopbacks in cycle order), the analytic free evolution of a neuron and the search
// for its next crossing, firing and synaptic input.
#include "sim/chip/chip_model.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

namespace nmtwin::sim {
namespace {

namespace chip = spec::chip;
namespace up = spec::chip_up;

constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
// Layouts of the output and loopback registers (spec chip_layout).
namespace output = chip::neuron::output_fields;
namespace loopback = chip::neuron::loopback_fields;
// Crossings further than this many cycles ahead (~290 years) count as never.
constexpr std::uint64_t horizon = std::uint64_t{1} << 60;

// Heap order: earliest cycle first, then lowest neuron, so equal-cycle spikes come out in
// neuron order.
constexpr auto later = [](const auto& a, const auto& b) {
  return a.cycle != b.cycle ? a.cycle > b.cycle : a.neuron > b.neuron;
};

}  // namespace

// Free evolution of one neuron from cycle t0 with V = v0, I = i0 (no input, no spike):
//   I(t0+k) = i0 e^(-k/tau_syn)
//   V(t0+k) = rest + (v0 - rest) e^(-k/tau_m) + i0 h(k),
//   h(k) = tau_syn / (tau_syn - tau_m) (e^(-k/tau_syn) - e^(-k/tau_m)),
//   h(k) = (k/tau) e^(-k/tau) when tau_m = tau_syn = tau.
struct ChipModel::Trajectory {
  std::uint64_t t0;
  double v0, i0;
};

// V - threshold at cycle t0 + k of a trajectory, and dV/dk there.
struct ChipModel::Sample {
  std::uint64_t k;
  double over, slope;
};

namespace {

// h(k) from e^(-k/tau_m) and e^(-k/tau_syn), accurate as tau_syn approaches tau_m (kappa -> 0).
double kernel(double k, double em, double es, double kappa, double tau_m) {
  const double y = kappa * k;
  if (std::abs(y) < 0.5) return k / tau_m * em * (y == 0 ? 1.0 : std::expm1(y) / y);
  return (es - em) / (kappa * tau_m);
}

// max over k of h(k): r^(1/(1-r)) with r = tau_syn / tau_m (e^-1 when equal).
double kernel_peak(double tau_m, double tau_syn) {
  const double d = tau_syn / tau_m - 1;
  return d == 0 ? std::exp(-1.0) : std::exp(-std::log1p(d) / d);
}

}  // namespace

void ChipModel::advance(std::uint64_t now) {
  if (now < next_cycle_) return;  // the processor, too, has run through `now`
  for (;;) {
    const std::uint64_t fire_at = crossings_.empty() ? never : crossings_.front().cycle;
    const std::uint64_t loop_at = loopbacks_.empty() ? never : loopbacks_.front().cycle;
    const std::uint64_t at = std::min({fire_at, loop_at, next_sample_});
    if (at > now) break;
    next_cycle_ = at + 1;  // re-predictions made while handling cycle `at` start after it
    // Firing before loopback delivery within a cycle: either order gives the same V and I.
    // Samples of a cycle come last: they see its spikes (a neuron that fired reads reset).
    if (next_sample_ < std::min(fire_at, loop_at)) {
      take_samples(at);
    } else if (fire_at <= loop_at) {
      std::pop_heap(crossings_.begin(), crossings_.end(), later);
      const Crossing c = crossings_.back();
      crossings_.pop_back();
      drop_stale();
      fire(c.neuron, c.cycle);
    } else {
      const Loopback l = loopbacks_.front();
      loopbacks_.pop_front();
      ++counters_.loopbacks;
      spike_in(l.row, l.cycle);
    }
  }
  next_cycle_ = now == never ? never : now + 1;
  if (ppu_) ppu_->advance(now);
}

std::uint64_t ChipModel::next_event() const {
  const std::uint64_t fire_at = crossings_.empty() ? never : crossings_.front().cycle;
  const std::uint64_t loop_at = loopbacks_.empty() ? never : loopbacks_.front().cycle;
  return std::min({fire_at, loop_at, next_sample_, ppu_ ? ppu_->next_event() : never});
}

void ChipModel::derive(Neuron& nr) {
  namespace f = chip::neuron;
  const auto cycles = [&](std::uint32_t field) { return static_cast<double>(nr.reg[field]) / spec::cycle_ns; };
  nr.rest = static_cast<double>(nr.reg[f::leak_uv] + nr.reg[f::bias_uv]);
  nr.threshold = static_cast<double>(nr.reg[f::threshold_uv]);
  nr.reset = static_cast<double>(nr.reg[f::reset_uv]);
  nr.tau_m = cycles(f::tau_m_ns);
  nr.tau_syn = cycles(f::tau_syn_ns);
  nr.kappa = 1 / nr.tau_m - 1 / nr.tau_syn;  // exactly 0 when the constants are equal
  nr.kernel_peak = kernel_peak(nr.tau_m, nr.tau_syn);
  nr.refractory = (static_cast<std::uint64_t>(nr.reg[f::refractory_ns]) + spec::cycle_ns - 1) / spec::cycle_ns;
}

ChipModel::Trajectory ChipModel::trajectory(const Neuron& nr) {
  if (nr.t >= nr.ref_end) return {nr.t, nr.v, nr.i};
  const double held = static_cast<double>(nr.ref_end - nr.t);
  return {nr.ref_end, nr.reset, nr.i * std::exp(-held / nr.tau_syn)};
}

std::pair<double, double> ChipModel::evolve(const Neuron& nr, const Trajectory& tr, double k) {
  const double em = std::exp(-k / nr.tau_m), es = std::exp(-k / nr.tau_syn);
  return {nr.rest + (tr.v0 - nr.rest) * em + tr.i0 * kernel(k, em, es, nr.kappa, nr.tau_m), tr.i0 * es};
}

ChipModel::Sample ChipModel::sample(const Neuron& nr, const Trajectory& tr, std::uint64_t k) {
  const auto [v, i] = evolve(nr, tr, static_cast<double>(k));
  return {k, v - nr.threshold, (nr.rest + i - v) / nr.tau_m};
}

void ChipModel::bring_to(Neuron& nr, std::uint64_t cycle) {
  if (cycle <= nr.t) return;
  if (cycle < nr.ref_end) {
    nr.i *= std::exp(-static_cast<double>(cycle - nr.t) / nr.tau_syn);
    nr.v = nr.reset;
  } else {
    const Trajectory tr = trajectory(nr);
    std::tie(nr.v, nr.i) = evolve(nr, tr, static_cast<double>(cycle - tr.t0));
  }
  nr.t = cycle;
}

// The membrane follows V = rest + a e^(-k/tau_m) + i0 h(k): a sum of two exponentials,
// so dV/dk changes sign at most once. The search splits [from, inf) at that extremum into
// two monotone pieces and finds the first cycle at or above threshold on the rising one.
std::optional<std::uint64_t> ChipModel::first_crossing(const Neuron& nr, std::uint64_t from) {
  const Trajectory tr = trajectory(nr);
  const double a = tr.v0 - nr.rest;
  const double gap = nr.rest - nr.threshold;  // V - threshold as k -> inf
  // Each term peaks once: V <= rest + max(a, 0) + max(i0, 0) max(h). Most inputs end here;
  // the slack (1 nV) keeps rounding from deciding.
  if (gap + std::max(a, 0.0) + std::max(tr.i0, 0.0) * nr.kernel_peak < -1e-3) return std::nullopt;
  Sample lo = sample(nr, tr, from > tr.t0 ? from - tr.t0 : 0);
  if (lo.over >= 0) return tr.t0 + lo.k;
  if (tr.i0 != 0) {
    // dV/dk = 0 where e^(kappa k) - 1 = kappa tau_syn (1 - a / i0).
    const double z = nr.tau_syn * (1 - a / tr.i0);
    const double y = nr.kappa * z;
    const double peak = nr.kappa == 0 ? z : (y > -1 ? std::log1p(y) / nr.kappa : -1.0);
    if (peak > static_cast<double>(lo.k)) {
      const std::uint64_t m = peak < static_cast<double>(horizon) ? static_cast<std::uint64_t>(peak) : horizon;
      if (m > lo.k && sample(nr, tr, m).over >= 0) return tr.t0 + *rise(nr, tr, lo, m);
      const Sample after = sample(nr, tr, m + 1);
      if (after.over >= 0) return tr.t0 + m + 1;
      lo = after;
    }
  }
  // Monotone from lo on and below threshold there: only a rise towards rest can cross.
  if (gap <= 0) return std::nullopt;
  const auto k = rise(nr, tr, lo, std::nullopt);
  return k ? std::optional(tr.t0 + *k) : std::nullopt;
}

// First k in (lo.k, hi] with V >= threshold, where V rises on [lo.k, hi] and is below
// threshold at lo.k (hi unknown: V rises for good). Newton steps on the continuous membrane
// propose the probes, so a crossing costs a handful of samples; bisection takes over when a
// step fails to halve the bracket (doubling while there is no upper end yet).
std::optional<std::uint64_t> ChipModel::rise(const Neuron& nr, const Trajectory& tr, Sample lo,
                                             std::optional<std::uint64_t> hi) {
  const std::uint64_t start = lo.k;
  Sample last = lo;
  unsigned newton_steps = 0;
  bool bisect_next = false;
  while (!hi || *hi - lo.k > 1) {
    const std::uint64_t top = hi ? *hi - 1 : horizon;
    const std::uint64_t width = hi ? *hi - lo.k : 0;
    const double target = static_cast<double>(last.k) - last.over / last.slope;
    std::uint64_t probe;
    if (!bisect_next && ++newton_steps <= 64 && target > static_cast<double>(lo.k) &&
        target < static_cast<double>(top) + 1) {
      const double rounded = last.over < 0 ? std::ceil(target) : std::floor(target);
      probe = std::clamp(static_cast<std::uint64_t>(rounded), lo.k + 1, top);
    } else if (hi) {
      probe = lo.k + width / 2;
    } else {
      probe = lo.k + (lo.k - start) + 1;
      if (probe > horizon) return std::nullopt;
    }
    last = sample(nr, tr, probe);
    if (last.over >= 0)
      hi = probe;
    else
      lo = last;
    bisect_next = width != 0 && (*hi - lo.k) * 2 > width;
  }
  return *hi;
}

void ChipModel::predict(unsigned n) {
  Neuron& nr = neurons_[n];
  ++nr.generation;
  const auto at = dead(n) ? std::nullopt : first_crossing(nr, next_cycle_);
  if (at) {
    crossings_.push_back({*at, static_cast<std::uint16_t>(n), nr.generation});
    std::push_heap(crossings_.begin(), crossings_.end(), later);
  }
  drop_stale();
}

// Keeps the heap top live (so next_event() is exact) and the heap small.
void ChipModel::drop_stale() {
  const auto stale = [&](const Crossing& c) { return neurons_[c.neuron].generation != c.generation; };
  if (crossings_.size() > 4 * neurons_.size()) {
    std::erase_if(crossings_, stale);
    std::make_heap(crossings_.begin(), crossings_.end(), later);
  }
  while (!crossings_.empty() && stale(crossings_.front())) {
    std::pop_heap(crossings_.begin(), crossings_.end(), later);
    crossings_.pop_back();
  }
}

void ChipModel::fire(unsigned n, std::uint64_t cycle) {
  Neuron& nr = neurons_[n];
  bring_to(nr, cycle);
  nr.v = nr.reset;
  nr.ref_end = cycle + nr.refractory;
  ++counters_.spikes;
  if (spike_counts_[n] != UINT8_MAX) ++spike_counts_[n];
  sensors_.post(n, cycle);
  const auto out_reg = static_cast<std::uint32_t>(nr.reg[chip::neuron::output]);
  const auto label = static_cast<std::uint16_t>(output::label.get(out_reg));
  if (logging_) spike_log_.push_back({chip_time(cycle), static_cast<std::uint16_t>(n), label});
  if (output::enable.get(out_reg))
    outbox_.push_back(
        up::SpikeOut{.label = label, .timestamp = chip_time(cycle) & up::SpikeOut::timestamp_max}.encode());
  const auto loop_reg = static_cast<std::uint32_t>(nr.reg[chip::neuron::loopback]);
  if (loopback::enable.get(loop_reg))
    loopbacks_.push_back({cycle + loopback_delay, static_cast<std::uint8_t>(loopback::row.get(loop_reg))});
  predict(n);
}

void ChipModel::spike_in(unsigned row, std::uint64_t now) {
  sensors_.pre(row, now);
  const double sign = inhibitory_[row] ? -1.0 : 1.0;
  const auto& words = targets_[row];
  for (unsigned w = 0; w < words.size(); ++w) {
    for (std::uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
      const unsigned n = w * 64 + static_cast<unsigned>(std::countr_zero(bits));
      Neuron& nr = neurons_[n];
      bring_to(nr, now);
      nr.i += sign * weights_[row * chip::neurons + n] * static_cast<double>(nr.reg[chip::neuron::weight_scale_uv]);
      predict(n);
    }
  }
}

}  // namespace nmtwin::sim
