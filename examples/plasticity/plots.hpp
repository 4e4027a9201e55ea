#pragma once
// Results of the plasticity example: trials.csv (reward and accuracy per trial),
// weights.csv (the final weights), and a gnuplot script drawing the learning curve and
// the weight matrix as PNG and SVG, as `nmtwin study latency` draws its plots. The CSV
// files are integer only, so a seed gives them byte for byte.

#include <ostream>
#include <string>
#include <vector>

#include "task.hpp"

namespace nmtwin::plasticity {

/// Writes DIR/trials.csv and DIR/weights.csv; throws std::runtime_error naming a file it
/// cannot write.
void write_results(const std::string& dir, const TaskParams& p, const std::vector<TrialRecord>& records,
                   const Weights& weights);

/// Writes DIR/plasticity.gp and runs gnuplot on it (learning.png/.svg, weights.png/.svg);
/// says on `out` what it made, or that gnuplot failed and where its log is.
void write_plots(const std::string& dir, const TaskParams& p, std::ostream& out);

}  // namespace nmtwin::plasticity
