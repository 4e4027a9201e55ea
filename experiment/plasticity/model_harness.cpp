#include "model_harness.hpp"

#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "nmtwin/spec.hpp"
#include "sim/chip/chip_model.hpp"

namespace nmtwin::plasticity {

namespace {

namespace win = spec::ppu::window;
constexpr std::uint32_t all = 0xFFFFFFFF;

// The chip as the kernel sees it: byte offsets in the processor's chip window.
struct Window {
  sim::ChipModel& chip;
  std::uint64_t now;
  std::uint32_t read(std::uint32_t region, std::uint32_t offset) {
    const auto v = chip.bus_read(region - spec::ppu::chip_base + offset, 0xF, now);
    if (!v) throw std::runtime_error(fmt::format("chip model: window read at {:#x} + {:#x} refused", region, offset));
    return *v;
  }
  void write(std::uint32_t region, std::uint32_t offset, std::uint32_t data) {
    if (!chip.bus_write(region - spec::ppu::chip_base + offset, data, 0xF, now))
      throw std::runtime_error(
          fmt::format("chip model: window write of {:#x} at {:#x} + {:#x} refused", data, region, offset));
  }
};

std::uint8_t lane(std::uint32_t word, unsigned n) { return static_cast<std::uint8_t>(word >> (8 * (n % 4))); }
std::uint32_t with_lane(std::uint32_t word, unsigned n, std::uint8_t v) {
  const unsigned s = 8 * (n % 4);
  return (word & ~(0xFFu << s)) | (std::uint32_t{v} << s);
}
// Window offset of the word holding both outputs' synapses in `row`.
std::uint32_t synapse_word(const TaskParams& p, unsigned row) {
  return row * spec::chip::neurons + (p.neuron[0] & ~3u);
}

void drain(sim::ChipModel& chip) {
  while (chip.has_output()) {
    const std::uint64_t w = chip.pop_output();
    if (spec::chip_up::selector(w) != spec::chip_up::ChipUpType::cfg_ack) continue;
    const auto ack = spec::chip_up::CfgAck::decode(w);
    if (ack.error) throw std::runtime_error(fmt::format("chip model: a setup write (id {}) was refused", ack.id));
  }
}

}  // namespace

ModelKernel reference_kernel(const TaskParams& p) {
  auto state = std::make_shared<RuleState>();
  return [p, state](sim::ChipModel& chip, std::uint64_t now, unsigned trial, unsigned pattern) {
    Window kernel{chip, now};
    const std::uint32_t counters = kernel.read(win::spike_counter, p.neuron[0] & ~3u);
    std::vector<RowPair> causal(p.rows), acausal(p.rows), weights(p.rows);
    std::vector<std::uint32_t> words(p.rows);
    for (unsigned r = 0; r < p.rows; ++r) {
      const std::uint32_t at = synapse_word(p, p.row_first[pattern] + r);
      const std::uint32_t c = kernel.read(win::corr_causal, at), a = kernel.read(win::corr_acausal, at);
      words[r] = kernel.read(win::weight, at);
      for (unsigned j = 0; j < outputs; ++j) {
        causal[r][j] = lane(c, p.neuron[j]);
        acausal[r][j] = lane(a, p.neuron[j]);
        weights[r][j] = lane(words[r], p.neuron[j]);
      }
    }
    const TrialInput in{pattern, {lane(counters, p.neuron[0]), lane(counters, p.neuron[1])}, causal, acausal};
    const TrialOutcome out = apply_rule(p.rule, *state, in, weights);
    for (unsigned r = 0; r < p.rows; ++r) {
      std::uint32_t w = words[r];
      for (unsigned j = 0; j < outputs; ++j) w = with_lane(w, p.neuron[j], weights[r][j]);
      kernel.write(win::weight, synapse_word(p, p.row_first[pattern] + r), w);
    }
    kernel.write(win::corr_reset, 0, all);
    kernel.write(win::counter_reset, 0, all);
    return TrialRecord{trial, pattern, in.count, out.reward, out.rbar_before, out.correct, out.recent_correct};
  };
}

Weights read_weights(sim::ChipModel& chip, std::uint64_t now, const TaskParams& p) {
  Window window{chip, now};
  Weights w;
  for (unsigned q = 0; q < outputs; ++q)
    for (unsigned r = 0; r < p.rows; ++r) {
      const std::uint32_t word = window.read(win::weight, synapse_word(p, p.row_first[q] + r));
      w[q].push_back({lane(word, p.neuron[0]), lane(word, p.neuron[1])});
    }
  return w;
}

ModelRun run_on_chip_model(const TaskParams& p, const ModelKernel& kernel,
                           const std::function<void(sim::ChipModel&, std::uint64_t now)>& after_trial) {
  if (auto problem = check(p); !problem.empty()) throw std::invalid_argument("plasticity task: " + problem);
  sim::ChipModel chip;
  chip.set_logging(false);
  std::uint64_t now = 0;
  for (const ChipWrite& w : chip_setup(p)) {
    chip.receive(spec::chip_down::CfgWrite{.id = 0, .addr = w.addr, .data = w.value}.encode(), now++);
    drain(chip);
  }
  ModelRun run;
  TrialSource source(p);
  for (unsigned t = 0; t < p.trials; ++t) {
    const std::uint64_t start = now + std::uint64_t{t} * p.period;
    const Trial trial = source.next();
    for (const InputSpike& s : trial.spikes)
      chip.receive(spec::chip_down::SpikeIn{.label = s.row}.encode(), start + s.cycle);
    run.records.push_back(kernel(chip, start + p.kernel_at, t, trial.pattern));
    drain(chip);
    if (after_trial) after_trial(chip, start + p.period - 1);
  }
  run.weights = read_weights(chip, now + std::uint64_t{p.trials} * p.period, p);
  return run;
}

}  // namespace nmtwin::plasticity
