#pragma once
// Brings a Verilated model with ports clk_i and rst_ni out of reset: `cycles` clock cycles
// with rst_ni low, then rst_ni high with the clock low, ready for the first cycle.

namespace nmtwin::sim {

template <typename Model>
void reset_model(Model& m, unsigned cycles) {
  m.rst_ni = 0;
  for (unsigned i = 0; i < cycles; ++i) {
    m.clk_i = 0;
    if constexpr (requires { m.busy_clk_i; }) m.busy_clk_i = 0;  // gated clock (docs/rtl.md "Gating")
    m.eval();
    m.clk_i = 1;
    if constexpr (requires { m.busy_clk_i; }) m.busy_clk_i = 1;
    m.eval();
  }
  m.rst_ni = 1;
  m.clk_i = 0;
  if constexpr (requires { m.busy_clk_i; }) m.busy_clk_i = 0;
  m.eval();
}

}  // namespace nmtwin::sim
