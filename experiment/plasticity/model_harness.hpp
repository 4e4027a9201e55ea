#pragma once
// The plasticity task on the behavioural chip model alone, with the host reference rule
// standing in for the firmware kernel: the kernel's accesses (word reads of counters,
// sensors and weights through the processor's chip window, word writes of the weights,
// the sensor and counter resets) happen in the model at the cycle the kernel would start.
// Used to develop and tune the task without the processor; the firmware then only has to
// reproduce the reference's weights (examples/plasticity/README.md).

#include <vector>

#include "task.hpp"

namespace nmtwin::plasticity {

struct ModelRun {
  std::vector<TrialRecord> records;
  Weights weights;  ///< after the last trial
};

/// Runs p.trials trials. Throws std::invalid_argument for parameters check() rejects and
/// std::runtime_error naming the access when the model refuses one.
ModelRun run_on_chip_model(const TaskParams& p);

}  // namespace nmtwin::plasticity
