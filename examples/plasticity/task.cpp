#include "task.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "nmtwin/spec.hpp"
#include "rstdp/rstdp_mailbox.h"

namespace nmtwin::plasticity {

namespace nrn = spec::chip::neuron;

std::string check(const TaskParams& p) {
  if (auto rule = check(p.rule); !rule.empty()) return "rule: " + rule;
  if (p.rows < 1 || p.rows > RSTDP_MAX_ROWS)
    return fmt::format("rows {} is out of range: use 1..{}", p.rows, RSTDP_MAX_ROWS);
  std::set<unsigned> used;
  for (unsigned j = 0; j < outputs; ++j) {
    for (unsigned r = 0; r < p.rows; ++r)
      if (!used.insert(p.row_first[j] + r).second || p.row_first[j] + r >= spec::chip::rows)
        return fmt::format("row_first[{}] = {}: the pattern rows must lie below {} and not overlap", j, p.row_first[j],
                           spec::chip::rows);
    for (const auto& [name, row] : {std::pair{"noise_row", p.noise_row[j]}, std::pair{"lateral_row", p.lateral_row[j]}})
      if (!used.insert(row).second || row >= spec::chip::rows)
        return fmt::format("{}[{}] = {}: it must lie below {} and differ from every other row", name, j, row,
                           spec::chip::rows);
  }
  if (p.neuron[0] == p.neuron[1] || p.neuron[0] / 4 != p.neuron[1] / 4 || p.neuron[1] >= spec::chip::neurons)
    return fmt::format("neurons {} and {}: the outputs must differ and share one aligned 4-synapse word (e.g. 0 and 1)",
                       p.neuron[0], p.neuron[1]);
  if (p.w_init > max_weight || p.w_noise > max_weight || p.w_lateral > max_weight)
    return fmt::format("w_init {} / w_noise {} / w_lateral {}: weights are 0..63", p.w_init, p.w_noise, p.w_lateral);
  if (p.slot == 0 || p.window == 0 || p.window % p.slot)
    return fmt::format("window {} must be a positive multiple of slot {}", p.window, p.slot);
  if (!(p.window <= p.kernel_at && p.kernel_at < p.period))
    return fmt::format("times: window {} <= kernel_at {} < period {} must hold", p.window, p.kernel_at, p.period);
  if (p.input_p16 > 65536 || p.noise_p16 > 65536)
    return fmt::format("input_p16 {} / noise_p16 {}: probabilities are 0..65536 (1/65536 units)", p.input_p16,
                       p.noise_p16);
  if (p.trials == 0) return "trials must be at least 1";
  return {};
}

std::vector<ChipWrite> chip_setup(const TaskParams& p) {
  std::vector<ChipWrite> w;
  const auto reg = [&](std::uint32_t addr, std::int64_t value) {
    w.push_back({addr, static_cast<std::uint32_t>(value)});
  };
  for (unsigned j = 0; j < outputs; ++j) {
    const unsigned n = p.neuron[j];
    reg(nrn::addr(n, nrn::threshold_uv), -50000);
    reg(nrn::addr(n, nrn::reset_uv), -65000);
    reg(nrn::addr(n, nrn::leak_uv), -65000);
    reg(nrn::addr(n, nrn::tau_m_ns), p.tau_m_ns);
    reg(nrn::addr(n, nrn::tau_syn_ns), p.tau_syn_ns);
    reg(nrn::addr(n, nrn::refractory_ns), p.refractory_ns);
    reg(nrn::addr(n, nrn::weight_scale_uv), p.weight_scale_uv);
    reg(nrn::addr(n, nrn::output), nrn::output_fields::enable.put(1) | nrn::output_fields::label.put(n));
  }
  const auto weight = [&](unsigned row, unsigned n, unsigned value) {
    reg(spec::chip::weight::addr(row * spec::chip::neurons + n, spec::chip::weight::value), value);
  };
  for (unsigned pattern = 0; pattern < outputs; ++pattern)
    for (unsigned r = 0; r < p.rows; ++r)
      for (unsigned j = 0; j < outputs; ++j) weight(p.row_first[pattern] + r, p.neuron[j], p.w_init);
  for (unsigned j = 0; j < outputs; ++j) {
    weight(p.noise_row[j], p.neuron[j], p.w_noise);
    if (p.w_lateral == 0) continue;
    reg(nrn::addr(p.neuron[j], nrn::loopback),
        nrn::loopback_fields::enable.put(1) | nrn::loopback_fields::row.put(p.lateral_row[j]));
    reg(spec::chip::row::addr(p.lateral_row[j], spec::chip::row::inhibitory), 1);
    weight(p.lateral_row[j], p.neuron[1 - j], p.w_lateral);
  }
  namespace corr = spec::chip::corr;
  reg(corr::addr(0, corr::tau_causal_ns), p.tau_causal_ns);
  reg(corr::addr(0, corr::tau_acausal_ns), p.tau_acausal_ns);
  reg(corr::addr(0, corr::amp_causal), p.amp_causal);
  reg(corr::addr(0, corr::amp_acausal), p.amp_acausal);
  reg(spec::chip::corr_reset, 0xFFFFFFFF);
  reg(spec::chip::counter_reset, 0xFFFFFFFF);
  return w;
}

TrialSource::TrialSource(const TaskParams& p) : p_(p), rng_(p.seed) {}

Trial TrialSource::next() {
  Trial t;
  t.pattern = static_cast<unsigned>(random::uniform_int<std::uint32_t>(rng_, 0, 1));
  const auto draw = [&](std::uint32_t p16) { return random::uniform_int<std::uint32_t>(rng_, 0, 65535) < p16; };
  for (std::uint64_t c = 0; c < p_.window; c += p_.slot) {
    for (unsigned r = 0; r < p_.rows; ++r)
      if (draw(p_.input_p16)) t.spikes.push_back({c, static_cast<std::uint8_t>(p_.row_first[t.pattern] + r)});
    for (unsigned j = 0; j < outputs; ++j)
      if (draw(p_.noise_p16)) t.spikes.push_back({c, static_cast<std::uint8_t>(p_.noise_row[j])});
  }
  return t;
}

Weights initial_weights(const TaskParams& p) {
  Weights w;
  for (auto& rows : w)
    rows.assign(p.rows, RowPair{static_cast<std::uint8_t>(p.w_init), static_cast<std::uint8_t>(p.w_init)});
  return w;
}

int target_reached(const std::vector<TrialRecord>& records) {
  constexpr std::size_t window = 20, needed = 19;
  std::size_t recent = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    recent += records[i].correct ? 1 : 0;
    if (i >= window) recent -= records[i - window].correct ? 1 : 0;
    if (i + 1 >= window && recent >= needed) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace nmtwin::plasticity
