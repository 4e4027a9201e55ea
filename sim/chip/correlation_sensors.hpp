// Per-synapse causal and acausal correlation sensors of the chip model (docs/chip.md,
// "Correlation sensors"): nearest-neighbour spike pairs weighted by a decaying
// exponential, accumulated in integers and read as saturating 8-bit values.
// The cost is per contributing pair: a spike only visits the rows (or neurons) that
// spiked recently enough for the kernel to be nonzero, so a network without recent
// pre or post spikes pays O(1) per spike.
#pragma once

#include <cstdint>
#include <vector>

namespace nmtwin::sim {

class CorrelationSensors {
 public:
  CorrelationSensors(unsigned rows, unsigned neurons);

  // Kernel parameters (registers corr.tau_*_ns, corr.amp_*): they apply to pairs
  // completed from now on; accumulated values stay.
  void set_causal(std::uint32_t tau_ns, std::uint32_t amp) { causal_kernel_.set(tau_ns, amp); }
  void set_acausal(std::uint32_t tau_ns, std::uint32_t amp) { acausal_kernel_.set(tau_ns, amp); }

  // A spike enters synapse row `row` / neuron `neuron` fires, in cycle `cycle`. Calls come
  // in non-decreasing cycle order; within a cycle every post spike comes before the pre
  // spikes (the chip's order: spikes, then loopbacks, then inputs).
  void pre(unsigned row, std::uint64_t cycle);
  void post(unsigned neuron, std::uint64_t cycle);

  // Digitised sensor of synapse row * neurons + neuron: 0..255.
  std::uint8_t causal(unsigned synapse) const { return digitise(causal_[synapse]); }
  std::uint8_t acausal(unsigned synapse) const { return digitise(acausal_[synapse]); }
  void reset_row(unsigned row);
  void reset_all();

 private:
  // The exponential kernel as a table, filled on demand up to the first distance at which
  // it rounds to 0 (`reach`); double arithmetic with glibc's exp, as docs/determinism.md allows.
  class Kernel {
   public:
    void set(std::uint32_t tau_ns, std::uint32_t amp);
    std::uint64_t reach() const { return reach_; }
    std::uint32_t at(std::uint64_t d) const;

   private:
    std::uint32_t exact(std::uint64_t d) const;
    std::uint32_t tau_ns_ = 1, amp_ = 0;
    std::uint64_t reach_ = 0;
    mutable std::vector<std::uint16_t> table_;
  };

  // Rows (or neurons) in order of their last spike, most recent first, so a walk from the
  // head stops at the first one too old to pair.
  class Recency {
   public:
    explicit Recency(unsigned size);
    void touch(unsigned i, std::uint64_t cycle);
    static constexpr std::uint32_t none = UINT32_MAX;
    std::uint32_t head() const { return head_; }
    std::uint32_t next(std::uint32_t i) const { return next_[i]; }
    std::uint64_t last(std::uint32_t i) const { return last_[i]; }

   private:
    std::vector<std::uint32_t> prev_, next_;
    std::vector<std::uint64_t> last_;
    std::vector<bool> listed_;
    std::uint32_t head_ = none;
  };

  // Accumulators in 1/256 sensor units, saturating at 65535 (sensor value 255).
  static std::uint8_t digitise(std::uint16_t acc) { return static_cast<std::uint8_t>(acc >> 8); }
  static void accumulate(std::uint16_t& acc, std::uint32_t increment);

  unsigned neurons_;
  Kernel causal_kernel_, acausal_kernel_;
  Recency pre_, post_;
  std::vector<std::uint16_t> causal_, acausal_;  // row * neurons + neuron
};

}  // namespace nmtwin::sim
