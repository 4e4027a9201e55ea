// Clock, reset and optional waveform for a Verilated module under test.
//
// One cycle follows the node wrapper's convention: the bench sets inputs,
// settle() evaluates with clk_i low (outputs and handshakes of this cycle are
// then valid), the bench samples, and rise() makes the rising edge.
// WAVES=1 in the environment writes <name>.fst into the working directory.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "nmtwin/random.hpp"
#include "sim/reset_model.hpp"

namespace nmtwin::tb {

template <class Model>
class Harness {
 public:
  explicit Harness(const std::string& name) : model_(&ctx_, "dut") {
    if (const char* w = std::getenv("WAVES"); w && std::string(w) == "1") {
      ctx_.traceEverOn(true);
      trace_ = std::make_unique<VerilatedFstC>();
      model_.trace(trace_.get(), 99);
      trace_->open((name + ".fst").c_str());
    }
    sim::drive_clock(model_, false);
    model_.rst_ni = 0;
    for (int i = 0; i < 3; ++i) {
      settle();
      rise();
    }
    model_.rst_ni = 1;
    cycle_ = 0;
  }
  ~Harness() {
    if (trace_) trace_->close();
    model_.final();
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  Model* operator->() { return &model_; }
  Model& dut() { return model_; }

  void settle() {
    sim::drive_clock(model_, false);
    model_.eval();
    if (trace_) trace_->dump(2 * time_);
  }
  void rise() {
    sim::drive_clock(model_, true);
    model_.eval();
    if (trace_) trace_->dump(2 * time_ + 1);
    ++time_;
    ++cycle_;
  }
  /// Cycles since reset was released.
  [[nodiscard]] std::uint64_t cycle() const { return cycle_; }

 private:
  VerilatedContext ctx_;
  Model model_;
  std::unique_ptr<VerilatedFstC> trace_;
  std::uint64_t time_ = 0;
  std::uint64_t cycle_ = 0;
};

/// A fixed-seed generator, so a failing run repeats exactly (with any compiler).
inline random::Xoshiro256ss& rng() {
  static random::Xoshiro256ss gen{0x6e6d74776e};
  return gen;
}

inline std::uint64_t rand_bits(unsigned width) {
  const std::uint64_t v = rng()();
  return width >= 64 ? v : v & ((std::uint64_t{1} << width) - 1);
}

inline bool chance(double p) { return random::bernoulli(rng(), p); }

/// Runs `cycles` idle cycles as the node wrapper drives the model and reports the
/// raw model speed as a test message (a figure, never an assertion).
template <typename Model>
void run_idle_and_report_speed(Harness<Model>& h, std::uint64_t cycles) {
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < cycles; ++i) {
    h.settle();
    h.rise();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  BOOST_TEST_MESSAGE("idle: " << cycles / s / 1e6 << " M cycles/s");
}

}  // namespace nmtwin::tb
