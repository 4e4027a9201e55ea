#pragma once
// The reward-modulated STDP rule of examples/plasticity (docs/firmware.md, "A plasticity kernel"),
// on the host: the same integer arithmetic as the firmware kernel
// firmware/programs/rstdp/rstdp.c, written separately, so that equal weights after every
// trial show that the kernel computes what the rule says (the co-design check).

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace nmtwin::plasticity {

/// floor(x / 2^s) for s in 0..31: an arithmetic right shift (RISC-V `sra`), spelled so
/// that C and C++ define it for negative x too (`>>` on a negative value is
/// implementation-defined before C++20 and in C). Rounds toward minus infinity.
constexpr std::int32_t asr(std::int32_t x, unsigned s) { return x >= 0 ? x >> s : ~(~x >> s); }

/// x / 2^s rounded to the nearest integer, halves upward: asr(x + 2^(s-1), s); x for s = 0.
/// Rounding (not flooring) keeps small negative changes from outweighing small positive
/// ones, which would drift every weight down. |x| < 2^30 (no overflow).
constexpr std::int32_t shift_round(std::int32_t x, unsigned s) {
  return s == 0 ? x : asr(x + (std::int32_t{1} << (s - 1)), s);
}

inline constexpr unsigned outputs = 2;
inline constexpr std::int32_t reward_one = 256;  ///< R = +1 in Q8
inline constexpr std::uint8_t max_weight = 63;

struct RuleParams {
  std::uint32_t eta = 0;         ///< 0..255
  std::uint32_t shift = 0;       ///< 0..31
  std::uint32_t mean_shift = 0;  ///< 0..15
};

/// Empty when the parameters are in range; otherwise which one is wrong and its range.
std::string check(const RuleParams& p);

/// What outlives a trial (the kernel keeps it in the mailbox).
struct RuleState {
  std::array<std::int32_t, outputs> rbar{};  ///< mean reward per pattern, Q8
  std::uint32_t trials = 0, correct = 0;
  std::uint32_t history = 0;  ///< bit i: trial (latest - i) was rewarded
};

/// Synapse (row r of the pattern, output j) as [r][j].
using RowPair = std::array<std::uint8_t, outputs>;

/// What the kernel reads from the chip after a presentation.
struct TrialInput {
  unsigned pattern = 0;                       ///< 0 or 1; output `pattern` must win
  std::array<std::uint8_t, outputs> count{};  ///< spike counters of the two outputs
  std::span<const RowPair> causal, acausal;   ///< the pattern's rows
};

struct TrialOutcome {
  std::int32_t reward = 0;       ///< R, Q8
  std::int32_t rbar_before = 0;  ///< the mean the update used
  bool correct = false;
  std::uint32_t recent_correct = 0;  ///< rewarded among the latest 20 trials
};

/// One trial: reward, weight update of the pattern's rows (`weights`, same row order as
/// the sensors), mean reward, bookkeeping. Throws std::invalid_argument when the spans
/// differ in length or the pattern is not 0 or 1.
TrialOutcome apply_rule(const RuleParams& p, RuleState& state, const TrialInput& in, std::span<RowPair> weights);

/// The weight change of one synapse: shift_round(eta * (R - Rbar) * (causal - acausal), shift).
std::int32_t weight_change(const RuleParams& p, std::int32_t advantage, std::uint8_t causal, std::uint8_t acausal);

/// w + dw limited to 0..63.
std::uint8_t clamp_weight(std::int32_t w, std::int32_t dw);

}  // namespace nmtwin::plasticity
