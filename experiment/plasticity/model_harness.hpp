#pragma once
// The plasticity task on the behavioural chip model alone: the trials' spikes go straight
// into sim::ChipModel and a kernel runs at the cycle the firmware would start. Two
// kernels: the host reference rule acting through the processor's chip window (to
// develop and tune the task without the processor), and the firmware itself on the
// instruction-set model (tests, iss_kernel.hpp) (examples/plasticity/README.md).

#include <cstdint>
#include <functional>
#include <vector>

#include "task.hpp"

namespace nmtwin::sim {
class ChipModel;
}

namespace nmtwin::plasticity {

/// Runs after the presentation of `pattern` in trial `trial`, from cycle `now` on, with
/// the chip's sensors and counters as the presentation left them; returns the record.
using ModelKernel =
    std::function<TrialRecord(sim::ChipModel& chip, std::uint64_t now, unsigned trial, unsigned pattern)>;

/// The reference rule as the kernel: the firmware's window accesses (word reads of
/// counters, sensors and weights; word writes of the weights; sensor and counter resets),
/// all in cycle `now`. Keeps the rule's state between calls.
ModelKernel reference_kernel(const TaskParams& p);

/// The pattern rows' weights as the chip holds them (window reads in cycle `now`).
Weights read_weights(sim::ChipModel& chip, std::uint64_t now, const TaskParams& p);

struct ModelRun {
  std::vector<TrialRecord> records;
  Weights weights;  ///< read from the chip after the last trial
};

/// Runs p.trials trials. `after_trial`, when set, sees the chip after each kernel run.
/// Throws std::invalid_argument for parameters check() rejects and std::runtime_error
/// naming the access when the model refuses one.
ModelRun run_on_chip_model(const TaskParams& p, const ModelKernel& kernel,
                           const std::function<void(sim::ChipModel&, std::uint64_t now)>& after_trial = {});

}  // namespace nmtwin::plasticity
