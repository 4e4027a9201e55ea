// The plasticity task on the behavioural chip with the reference rule as the kernel: the
// default task learns (target reached, and kept), the same seed gives the same trials,
// and without learning (eta = 0) the target is not reached.
#include <boost/test/unit_test.hpp>

#include "model_harness.hpp"

using namespace nmtwin::plasticity;

namespace {
bool same(const std::vector<TrialRecord>& a, const std::vector<TrialRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].pattern != b[i].pattern || a[i].count != b[i].count || a[i].reward != b[i].reward ||
        a[i].rbar_before != b[i].rbar_before)
      return false;
  return true;
}
}  // namespace

BOOST_AUTO_TEST_CASE(default_task_learns_and_keeps_it) {
  for (std::uint64_t seed : {1, 2, 3}) {
    TaskParams p;
    p.seed = seed;
    const auto run = run_on_chip_model(p, reference_kernel(p));
    const int reached = target_reached(run.records);
    BOOST_TEST_MESSAGE("seed " << seed << ": target reached at trial " << reached);
    BOOST_TEST(reached >= 0);
    BOOST_TEST(reached < 150, "seed " << seed << " needs half the trials: the margin is gone");
    BOOST_TEST(run.records.back().recent_correct >= 19u);
    // Each pattern's own output ends with the larger weights.
    for (unsigned q = 0; q < outputs; ++q)
      for (const RowPair& w : run.weights[q]) BOOST_TEST(w[q] > w[1 - q], "seed " << seed << " pattern " << q);
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_trials_other_seed_other_trials) {
  TaskParams p;
  p.trials = 60;
  const auto a = run_on_chip_model(p, reference_kernel(p));
  const auto b = run_on_chip_model(p, reference_kernel(p));
  BOOST_TEST(same(a.records, b.records));
  BOOST_TEST(a.weights == b.weights);
  p.seed = 2;
  BOOST_TEST(!same(a.records, run_on_chip_model(p, reference_kernel(p)).records));
}

BOOST_AUTO_TEST_CASE(without_learning_the_target_is_not_reached) {
  TaskParams p;
  p.rule.eta = 0;
  const auto run = run_on_chip_model(p, reference_kernel(p));
  BOOST_TEST(target_reached(run.records) == -1);
  BOOST_TEST(run.weights == initial_weights(p));
}

BOOST_AUTO_TEST_CASE(bad_parameters_are_named) {
  TaskParams p;
  p.noise_row[1] = p.row_first[0] + 1;
  BOOST_CHECK_EXCEPTION(run_on_chip_model(p, reference_kernel(p)), std::invalid_argument, [](const auto& e) {
    return std::string(e.what()).find("noise_row[1] = 1") != std::string::npos;
  });
  p = TaskParams{};
  p.neuron = {1, 4};
  BOOST_CHECK_EXCEPTION(run_on_chip_model(p, reference_kernel(p)), std::invalid_argument, [](const auto& e) {
    return std::string(e.what()).find("neurons 1 and 4") != std::string::npos;
  });
}
