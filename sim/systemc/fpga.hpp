#pragma once
// The control FPGA of one node as a SystemC module: the Verilated RTL (sim::Node),
// clocked by the user's 8 ns clock, with the chip link as two TLM-2.0 sockets, its
// EXTOLL link port as a LinkEndIf export, and its host side (UDP payloads) reached by
// HostLink (sim/systemc/host_link.hpp).  See docs/systemc.md.
//
// The FPGA evaluates cycle c at the falling edge of clk_i (c * 8 ns + 4 ns), so a chip
// module clocked on the rising edge has produced cycle c's spikes before the FPGA looks.

#include <cstdint>
#include <deque>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <vector>

#include "sim/chip/chip_port.hpp"
#include "sim/node.hpp"
#include "sim/systemc/chip_link.hpp"
#include "sim/systemc/link_end.hpp"

namespace nmtwin::systemc {

class Fpga : public sc_core::sc_module, private sim::ChipPort, private LinkEndIf {
 public:
  sc_core::sc_in<bool> clk_i;  ///< 8 ns (cycle_period()), rising edge first, from time 0
  /// chip_down words (cfg_write, cfg_read, spike_in, sync), sent in the cycle the RTL emits them.
  tlm_utils::simple_initiator_socket<Fpga, chip_link_width> chip_down;
  /// chip_up words (cfg_ack, spike_out), queued and handed to the RTL as it accepts them.
  tlm_utils::simple_target_socket<Fpga, chip_link_width> chip_up;
  /// The EXTOLL link port; bind a Link (sim/systemc/link.hpp) to it or leave it unbound.
  sc_core::sc_export<LinkEndIf> net;

  /// `id` names the Verilated model ("node<id>") and the node; it is not the network id,
  /// which the host configures.
  SC_HAS_PROCESS(Fpga);
  Fpga(const sc_core::sc_module_name& name, unsigned id = 0);

  /// The simulated node: waveforms, statistics, counters (single-threaded, on the
  /// SystemC thread).
  sim::Node& node() { return node_; }

  /// Host side: a UDP payload for the data or the reset port, entering at the next cycle.
  void push_datagram(bool reset_port, std::vector<std::uint8_t> bytes);
  /// Moves the datagrams the FPGA sent so far into `out` (appended).
  void drain_datagrams(std::vector<std::vector<std::uint8_t>>& out);
  /// Notified when the FPGA sent a datagram.
  const sc_core::sc_event& datagram_event() const { return datagram_event_; }

 private:
  void cycle();
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  // sim::ChipPort: the node's view of the sockets.
  void receive(std::uint64_t word, std::uint64_t now) override;
  void advance(std::uint64_t now) override;
  std::uint64_t next_event() const override;
  bool has_output() const override;
  std::uint64_t pop_output() override;

  // LinkEndIf: the node's link port.
  void connect(double bits_per_cycle) override;
  void catch_up(std::uint64_t until) override;
  void take_sent(std::vector<extoll::Symbol>& out) override;
  void deliver(const extoll::Symbol& symbol) override;

  struct Arriving {
    std::uint64_t cycle;  // the FPGA sees it from this cycle on
    std::uint64_t word;
  };
  sim::Node node_;
  std::deque<Arriving> up_;  // in cycle order
  std::uint64_t now_ = 0;    // the cycle the node is in
  std::vector<std::vector<std::uint8_t>> datagrams_;
  sc_core::sc_event datagram_event_;
};

}  // namespace nmtwin::systemc
