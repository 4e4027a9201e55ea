#pragma once
// The learning task of examples/plasticity (README.md there): two input patterns, each a
// group of synapse rows firing Poisson-like spike trains, two output neurons; pattern p
// must make output p fire more than the other. Exploration noise: each output has its
// own noise row with independent spikes. Everything is drawn from nmtwin::random with
// integer comparisons, so a seed gives the same trials everywhere.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "nmtwin/random.hpp"
#include "rstdp_reference.hpp"

namespace nmtwin::plasticity {

struct TaskParams {
  std::uint64_t seed = 1;
  unsigned trials = 300;
  unsigned rows = 8;                                ///< rows per pattern
  std::array<unsigned, outputs> row_first{0, 8};    ///< first row of each pattern
  std::array<unsigned, outputs> noise_row{16, 17};  ///< noise row of each output
  std::array<unsigned, outputs> neuron{0, 1};       ///< output neuron of each pattern
  unsigned w_init = 16;                             ///< initial pattern weights, both outputs
  unsigned w_noise = 30;                            ///< weight of a noise row onto its output
  /// Lateral inhibition: each output's spikes loop back into its own inhibitory row,
  /// which reaches the other output with this weight (0: no inhibition).
  std::array<unsigned, outputs> lateral_row{18, 19};
  unsigned w_lateral = 40;
  // Time, in cycles of 8 ns from the start of a trial.
  std::uint64_t slot = 125;         ///< spike grid: at most one spike per row and slot
  std::uint64_t window = 25000;     ///< the pattern is presented in [0, window)
  std::uint64_t kernel_at = 26250;  ///< the kernel starts here (after the responses)
  std::uint64_t period = 37500;     ///< trial length: the kernel has finished before it
  // Spike probability per row and slot, in 1/65536.
  std::uint32_t input_p16 = 6554;  ///< 0.1 per slot: 100 kHz hardware (100 Hz biological)
  std::uint32_t noise_p16 = 6554;
  // Neurons and sensors (docs/chip.md).
  std::int32_t weight_scale_uv = 200;
  std::uint32_t tau_m_ns = 10000, tau_syn_ns = 5000, refractory_ns = 2000;
  std::uint32_t tau_causal_ns = 20000, tau_acausal_ns = 20000, amp_causal = 2048, amp_acausal = 512;
  RuleParams rule{.eta = 3, .shift = 14, .mean_shift = 3};
};

/// Empty when the parameters make a task; otherwise what is wrong and the fix.
std::string check(const TaskParams& p);

/// A chip register write (24-bit chip word address, docs/registers.md).
struct ChipWrite {
  std::uint32_t addr = 0;
  std::uint32_t value = 0;
};
/// Neuron parameters, initial weights and correlation sensor parameters.
std::vector<ChipWrite> chip_setup(const TaskParams& p);

struct InputSpike {
  std::uint64_t cycle = 0;  ///< from the trial start, on the slot grid
  std::uint8_t row = 0;
};
struct Trial {
  unsigned pattern = 0;
  std::vector<InputSpike> spikes;  ///< in cycle order
};

/// The trials of a task, drawn in order from the seed.
class TrialSource {
 public:
  explicit TrialSource(const TaskParams& p);
  Trial next();

 private:
  TaskParams p_;
  random::Xoshiro256ss rng_;
};

/// The pattern rows' weights: [pattern][row of the pattern][output].
using Weights = std::array<std::vector<RowPair>, outputs>;
Weights initial_weights(const TaskParams& p);

/// One line of the result: what the kernel (or the reference) recorded.
struct TrialRecord {
  unsigned trial = 0, pattern = 0;
  std::array<std::uint8_t, outputs> count{};
  std::int32_t reward = 0, rbar_before = 0;
  bool correct = false;
  std::uint32_t recent_correct = 0;  ///< among the latest 20 trials
};

/// The first trial (0-based) at which at least 19 of the latest 20 trials (95 %) were
/// rewarded; -1 when none.
int target_reached(const std::vector<TrialRecord>& records);

}  // namespace nmtwin::plasticity
