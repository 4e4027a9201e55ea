#include "kernel_mailbox.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "rstdp/rstdp_mailbox.h"

namespace nmtwin::plasticity {

std::vector<std::uint32_t> mailbox_setup(const TaskParams& p) {
  std::vector<std::uint32_t> m(RSTDP_WORDS, 0);
  m[RSTDP_MAGIC] = RSTDP_MAGIC_VALUE;
  m[RSTDP_ROW_FIRST0] = p.row_first[0];
  m[RSTDP_ROW_FIRST1] = p.row_first[1];
  m[RSTDP_ROWS] = p.rows;
  m[RSTDP_NEURON0] = p.neuron[0];
  m[RSTDP_NEURON1] = p.neuron[1];
  m[RSTDP_ETA] = p.rule.eta;
  m[RSTDP_SHIFT] = p.rule.shift;
  m[RSTDP_MEAN_SHIFT] = p.rule.mean_shift;
  return m;
}

namespace {
std::uint8_t byte_at(std::span<const std::uint32_t> m, std::uint32_t block, unsigned slot) {
  return static_cast<std::uint8_t>(m[block + slot / 4] >> (8 * (slot % 4)));
}
}  // namespace

KernelReport read_report(std::span<const std::uint32_t> m, const TaskParams& p, unsigned trial) {
  if (m.size() < RSTDP_WORDS)
    throw std::invalid_argument(
        fmt::format("rstdp mailbox: {} words read, the record needs {}", m.size(), RSTDP_WORDS));
  KernelReport r;
  r.record.trial = trial;
  r.record.pattern = m[RSTDP_PATTERN];
  r.record.count = {static_cast<std::uint8_t>(m[RSTDP_COUNTS]), static_cast<std::uint8_t>(m[RSTDP_COUNTS] >> 8)};
  r.record.reward = static_cast<std::int32_t>(m[RSTDP_REWARD]);
  r.record.rbar_before = static_cast<std::int32_t>(m[RSTDP_RBAR_BEFORE]);
  r.record.correct = (m[RSTDP_HISTORY] & 1) != 0;
  r.record.recent_correct = m[RSTDP_RECENT_CORRECT];
  for (unsigned row = 0; row < p.rows; ++row) {
    r.causal.push_back({byte_at(m, RSTDP_CAUSAL, 2 * row), byte_at(m, RSTDP_CAUSAL, 2 * row + 1)});
    r.acausal.push_back({byte_at(m, RSTDP_ACAUSAL, 2 * row), byte_at(m, RSTDP_ACAUSAL, 2 * row + 1)});
  }
  r.state.rbar = {static_cast<std::int32_t>(m[RSTDP_RBAR0]), static_cast<std::int32_t>(m[RSTDP_RBAR1])};
  r.state.trials = m[RSTDP_TRIALS];
  r.state.correct = m[RSTDP_CORRECT];
  r.state.history = m[RSTDP_HISTORY];
  return r;
}

CoDesignCheck::CoDesignCheck(const TaskParams& p) : p_(p), weights_(initial_weights(p)) {}

std::string CoDesignCheck::after_trial(const KernelReport& k, const Weights& chip) {
  const unsigned pattern = k.record.pattern;
  const TrialOutcome out =
      apply_rule(p_.rule, state_, {pattern, k.record.count, k.causal, k.acausal}, weights_.at(pattern));
  std::string diff;
  const auto differ = [&](const std::string& what, std::int64_t kernel, std::int64_t reference) {
    if (kernel != reference) diff += fmt::format("{}: kernel {}, reference {}; ", what, kernel, reference);
  };
  differ("reward", k.record.reward, out.reward);
  differ("mean reward used", k.record.rbar_before, out.rbar_before);
  differ("recent correct", k.record.recent_correct, out.recent_correct);
  for (unsigned q = 0; q < outputs; ++q)
    differ(fmt::format("mean reward of pattern {}", q), k.state.rbar[q], state_.rbar[q]);
  differ("trials", k.state.trials, state_.trials);
  differ("history", k.state.history, state_.history);
  for (unsigned q = 0; q < outputs; ++q)
    for (unsigned r = 0; r < p_.rows; ++r)
      for (unsigned j = 0; j < outputs; ++j)
        differ(fmt::format("weight row {} neuron {}", p_.row_first[q] + r, p_.neuron[j]), chip.at(q).at(r)[j],
               weights_[q][r][j]);
  return diff;
}

}  // namespace nmtwin::plasticity
