#include "rstdp_reference.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace nmtwin::plasticity {

namespace {
constexpr unsigned recent_trials = 20;
}

std::string check(const RuleParams& p) {
  if (p.eta > 255) return "eta " + std::to_string(p.eta) + " is out of range: use 0..255";
  if (p.shift > 31) return "shift " + std::to_string(p.shift) + " is out of range: use 0..31";
  if (p.mean_shift > 15) return "mean_shift " + std::to_string(p.mean_shift) + " is out of range: use 0..15";
  return {};
}

std::int32_t weight_change(const RuleParams& p, std::int32_t advantage, std::uint8_t causal, std::uint8_t acausal) {
  // |eta * advantage * eligibility| <= 255 * 512 * 255 < 2^31: no overflow in 32 bits.
  const std::int32_t eligibility = std::int32_t{causal} - std::int32_t{acausal};
  return shift_round(static_cast<std::int32_t>(p.eta) * advantage * eligibility, p.shift);
}

std::uint8_t clamp_weight(std::int32_t w, std::int32_t dw) {
  return static_cast<std::uint8_t>(std::clamp<std::int32_t>(w + dw, 0, max_weight));
}

TrialOutcome apply_rule(const RuleParams& p, RuleState& state, const TrialInput& in, std::span<RowPair> weights) {
  if (in.pattern >= outputs)
    throw std::invalid_argument("apply_rule: pattern " + std::to_string(in.pattern) + " is neither 0 nor 1");
  if (in.causal.size() != weights.size() || in.acausal.size() != weights.size())
    throw std::invalid_argument("apply_rule: " + std::to_string(in.causal.size()) + " causal and " +
                                std::to_string(in.acausal.size()) + " acausal sensor rows for " +
                                std::to_string(weights.size()) + " weight rows: give one of each per row");
  const unsigned target = in.pattern, other = 1 - in.pattern;
  TrialOutcome out;
  // A tie (often: neither fired) is neither rewarded nor punished, so that silence does
  // not drive every weight down until nothing fires any more.
  out.correct = in.count[target] > in.count[other];
  out.reward = out.correct ? reward_one : in.count[target] < in.count[other] ? -reward_one : 0;
  out.rbar_before = state.rbar[in.pattern];
  const std::int32_t advantage = out.reward - out.rbar_before;
  for (std::size_t r = 0; r < weights.size(); ++r)
    for (unsigned j = 0; j < outputs; ++j)
      weights[r][j] = clamp_weight(weights[r][j], weight_change(p, advantage, in.causal[r][j], in.acausal[r][j]));
  state.rbar[in.pattern] += shift_round(advantage, p.mean_shift);
  state.trials += 1;
  state.correct += out.correct ? 1 : 0;
  state.history = (state.history << 1) | (out.correct ? 1u : 0u);
  out.recent_correct = static_cast<std::uint32_t>(std::popcount(state.history & ((1u << recent_trials) - 1)));
  return out;
}

}  // namespace nmtwin::plasticity
