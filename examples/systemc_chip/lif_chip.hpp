#pragma once
// A chip module as a chip designer writes one: a clocked SystemC model of the
// neuromorphic ASIC behind the FPGA, built from the spec alone (the generated header
// nmtwin/spec.hpp for word formats and the register map, docs/chip.md for the LIF
// equations) and nothing private of nmtwin.  Use it as a template for your own.
//
// Ports: the chip link (docs/systemc.md) -- a TLM-2.0 target socket for chip_down
// words (cfg_write, cfg_read, spike_in, sync) and an initiator socket for chip_up words
// (cfg_ack, spike_out) -- and the 8 ns clock.
//
// Timing: on each rising edge of cycle c every neuron steps from c - 1 to c, fires if
// at or above threshold (in neuron order), then loopback spikes due at c arrive.  Words
// from the FPGA come in the middle of the cycle and act at once: configuration is
// answered right away, an input spike adds to the synaptic current of cycle c, so its
// first effect is on V(c + 1).  The membrane is stepped cycle by cycle with exact
// exponential factors, the same dynamics the behavioural model solves in closed form.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

#include "nmtwin/spec.hpp"
#include "sim/systemc/chip_link.hpp"

namespace example {

class LifChip : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk_i;
  tlm_utils::simple_target_socket<LifChip, nmtwin::systemc::chip_link_width> chip_down;
  tlm_utils::simple_initiator_socket<LifChip, nmtwin::systemc::chip_link_width> chip_up;

  SC_HAS_PROCESS(LifChip);
  explicit LifChip(const sc_core::sc_module_name& name);

  std::uint64_t spikes() const { return spikes_; }

 private:
  struct Neuron {
    std::array<std::int64_t, nmtwin::spec::chip::neuron::stride> reg{};  // as written
    double rest = 0, decay_v = 0, decay_i = 0, kernel_1 = 0;              // derived from reg
    std::uint64_t refractory = 0;                                          // cycles
    double v = 0, i = 0;
    std::uint64_t held_until = 0;  // V stays at reset up to and including this cycle
  };

  void tick();  // rising edge
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  std::optional<std::uint32_t> read(std::uint32_t addr) const;
  bool write(std::uint32_t addr, std::uint32_t data, std::uint64_t cycle);
  void derive(Neuron& n);
  void input(unsigned row);
  void reset_neurons(std::uint64_t cycle);
  std::uint64_t chip_time(std::uint64_t cycle) const;

  std::vector<Neuron> neurons_;
  std::vector<std::uint8_t> weights_;     // row * neurons + neuron
  std::vector<std::uint8_t> inhibitory_;  // per row
  std::deque<std::pair<std::uint64_t, unsigned>> loopbacks_;  // (cycle, row)
  std::uint64_t time_offset_ = 0;  // chip time - cycle, set by sync
  std::uint64_t stepped_ = 0;      // the cycle the neuron state is of
  std::uint64_t spikes_ = 0;
};

}  // namespace example
