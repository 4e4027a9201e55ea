// The host reference rule's arithmetic (docs/firmware.md, "A plasticity kernel"):
// shifts of negative numbers, rounding, the largest products, clamping, the reward and
// the bookkeeping. The firmware kernel must compute the same; the e2e test compares them.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "rstdp_reference.hpp"
#include "task.hpp"

using namespace nmtwin::plasticity;

namespace {

// floor(x / 2^s) in 64-bit integers, the definition asr must meet.
std::int64_t floor_div(std::int64_t x, unsigned s) {
  const std::int64_t d = std::int64_t{1} << s;
  return x >= 0 ? x / d : -((-x + d - 1) / d);
}

const std::vector<std::int32_t> samples = {0,
                                           1,
                                           -1,
                                           2,
                                           -2,
                                           3,
                                           -3,
                                           7,
                                           -7,
                                           8,
                                           -8,
                                           255,
                                           -255,
                                           16383,
                                           -16383,
                                           16384,
                                           -16384,
                                           8191,
                                           -8192,
                                           33292800,
                                           -33292800,
                                           std::numeric_limits<std::int32_t>::max(),
                                           std::numeric_limits<std::int32_t>::min()};

}  // namespace

BOOST_AUTO_TEST_CASE(asr_floors_negative_numbers) {
  BOOST_TEST(asr(-1, 1) == -1);
  BOOST_TEST(asr(-3, 1) == -2);
  BOOST_TEST(asr(-1, 31) == -1);
  BOOST_TEST(asr(std::numeric_limits<std::int32_t>::min(), 31) == -1);
  BOOST_TEST(asr(std::numeric_limits<std::int32_t>::max(), 31) == 0);
  for (std::int32_t x : samples)
    for (unsigned s = 0; s < 32; ++s) {
      BOOST_TEST(asr(x, s) == floor_div(x, s), "asr(" << x << ", " << s << ")");
      BOOST_TEST(asr(x, s) == (x >> s));  // C++20 defines >> as this arithmetic shift
    }
}

BOOST_AUTO_TEST_CASE(shift_round_rounds_halves_up) {
  BOOST_TEST(shift_round(-3, 1) == -1);  // -1.5 -> -1
  BOOST_TEST(shift_round(3, 1) == 2);    // 1.5 -> 2
  BOOST_TEST(shift_round(-1, 1) == 0);   // -0.5 -> 0
  BOOST_TEST(shift_round(-5, 2) == -1);  // -1.25 -> -1
  BOOST_TEST(shift_round(-6, 2) == -1);  // -1.5 -> -1
  BOOST_TEST(shift_round(-7, 2) == -2);  // -1.75 -> -2
  BOOST_TEST(shift_round(-9, 0) == -9);
  for (std::int32_t x : samples) {
    if (x > (1 << 30) || x < -(1 << 30)) continue;  // outside the documented range
    for (unsigned s = 1; s < 31; ++s)
      BOOST_TEST(shift_round(x, s) == floor_div(2 * std::int64_t{x} + (std::int64_t{1} << s), s + 1),
                 "shift_round(" << x << ", " << s << ")");
  }
}

BOOST_AUTO_TEST_CASE(weight_change_signs_and_extremes) {
  const RuleParams big{.eta = 255, .shift = 0, .mean_shift = 0};
  BOOST_TEST(weight_change(big, -512, 255, 0) == -33292800);  // the largest magnitude fits 32 bits
  BOOST_TEST(weight_change(big, 512, 0, 255) == -33292800);   // negative eligibility
  BOOST_TEST(weight_change(big, -512, 0, 255) == 33292800);   // two negatives
  const RuleParams p{.eta = 3, .shift = 14, .mean_shift = 3};
  BOOST_TEST(weight_change(p, 256, 40, 0) == 2);    // 30720 / 16384 = 1.875
  BOOST_TEST(weight_change(p, -256, 40, 0) == -2);  // symmetric: no drift
  BOOST_TEST(weight_change(p, 256, 10, 0) == 0);    // 0.47 rounds to 0 ...
  BOOST_TEST(weight_change(p, -256, 10, 0) == 0);   // ... and -0.47 too (a floor would give -1)
  BOOST_TEST(weight_change(p, 128, 64, 0) == 2);    // 1.5 rounds up
  BOOST_TEST(weight_change(p, -128, 64, 0) == -1);  // -1.5 rounds up as well
  BOOST_TEST(weight_change(p, 300, 7, 7) == 0);     // no eligibility, no change
}

BOOST_AUTO_TEST_CASE(weights_clamp_to_six_bits) {
  BOOST_TEST(clamp_weight(60, 10) == 63);
  BOOST_TEST(clamp_weight(2, -10) == 0);
  BOOST_TEST(clamp_weight(0, -33292800) == 0);
  BOOST_TEST(clamp_weight(63, 33292800) == 63);
  BOOST_TEST(clamp_weight(20, 0) == 20);
}

BOOST_AUTO_TEST_CASE(reward_mean_and_bookkeeping) {
  const RuleParams p{.eta = 3, .shift = 14, .mean_shift = 3};
  RuleState st;
  std::vector<RowPair> w{{20, 20}, {20, 20}};
  const std::vector<RowPair> causal{{200, 50}, {0, 100}}, acausal{{0, 50}, {100, 0}};
  // Pattern 1 won: R = +256, Rbar(1) was 0.
  auto out = apply_rule(p, st, {1, {3, 9}, causal, acausal}, w);
  BOOST_TEST(out.reward == 256);
  BOOST_TEST(out.correct);
  BOOST_TEST(out.rbar_before == 0);
  // dw = round(3 * 256 * e / 16384): e = 200 -> 9.375 -> 9; 0 -> 0; -100 -> -4.69 -> -5; 100 -> 4.69 -> 5
  BOOST_TEST(w[0][0] == 29);
  BOOST_TEST(w[0][1] == 20);
  BOOST_TEST(w[1][0] == 15);
  BOOST_TEST(w[1][1] == 25);
  BOOST_TEST(st.rbar[1] == 32);
  BOOST_TEST(st.rbar[0] == 0);
  // Pattern 0 lost: R = -256; a tie: R = 0 and not correct.
  out = apply_rule(p, st, {0, {1, 4}, causal, acausal}, w);
  BOOST_TEST(out.reward == -256);
  BOOST_TEST(st.rbar[0] == -32);
  out = apply_rule(p, st, {0, {5, 5}, causal, acausal}, w);
  BOOST_TEST(out.reward == 0);
  BOOST_TEST(!out.correct);
  BOOST_TEST(out.rbar_before == -32);
  BOOST_TEST(st.rbar[0] == -28);  // -32 + round(32 / 8)
  BOOST_TEST(st.trials == 3u);
  BOOST_TEST(st.correct == 1u);
  BOOST_TEST(st.history == 0b100u);
  // recent_correct counts only the latest 20 trials.
  for (int i = 0; i < 25; ++i) out = apply_rule(p, st, {1, {0, 1}, causal, acausal}, w);
  BOOST_TEST(out.recent_correct == 20u);
  out = apply_rule(p, st, {1, {1, 0}, causal, acausal}, w);
  BOOST_TEST(out.recent_correct == 19u);
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_refused) {
  const RuleParams p{.eta = 3, .shift = 14, .mean_shift = 3};
  RuleState st;
  std::vector<RowPair> w(2), one(1);
  BOOST_CHECK_THROW(apply_rule(p, st, {2, {0, 0}, w, w}, w), std::invalid_argument);
  BOOST_CHECK_THROW(apply_rule(p, st, {0, {0, 0}, one, w}, w), std::invalid_argument);
  BOOST_TEST(check(RuleParams{.eta = 256, .shift = 0, .mean_shift = 0}).find("eta 256") != std::string::npos);
  BOOST_TEST(check(RuleParams{.eta = 1, .shift = 32, .mean_shift = 0}).find("shift 32") != std::string::npos);
  BOOST_TEST(check(RuleParams{.eta = 1, .shift = 3, .mean_shift = 16}).find("mean_shift 16") != std::string::npos);
  BOOST_TEST(check(p).empty());
}

BOOST_AUTO_TEST_CASE(target_needs_19_of_the_latest_20) {
  std::vector<TrialRecord> r(40);
  BOOST_TEST(target_reached(r) == -1);
  for (unsigned i = 10; i < 29; ++i) r[i].correct = true;  // trials 10..28
  BOOST_TEST(target_reached(r) == 28);                     // trials 9..28 hold 19
  r[10].correct = false;                                   // now at most 18 of 20
  BOOST_TEST(target_reached(r) == -1);
  r[29].correct = true;  // trials 10..29 hold 19
  BOOST_TEST(target_reached(r) == 29);
}
