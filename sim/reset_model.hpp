#pragma once
// Brings a Verilated model with ports clk_i and rst_ni out of reset: `cycles` clock cycles
// with rst_ni low, then rst_ni high with the clock low, ready for the first cycle.

namespace nmtwin::sim {

// Sets the clock and, on a model with one, the gated clock beside it (docs/rtl.md
// "Gating"): a model driven so gets every edge on both.
template <typename Model>
void drive_clock(Model& m, bool level) {
  m.clk_i = level;
  if constexpr (requires { m.busy_clk_i; }) m.busy_clk_i = level;
}

template <typename Model>
void reset_model(Model& m, unsigned cycles) {
  m.rst_ni = 0;
  for (unsigned i = 0; i < cycles; ++i) {
    drive_clock(m, false);
    m.eval();
    drive_clock(m, true);
    m.eval();
  }
  m.rst_ni = 1;
  drive_clock(m, false);
  m.eval();
}

}  // namespace nmtwin::sim
