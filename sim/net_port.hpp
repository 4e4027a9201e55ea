#pragma once
// The node's side of its EXTOLL link (docs/multichip.md, "The FPGA's link port"):
// drives the RTL's link inputs from what the network delivered, stamped with the
// cycle it arrives, and records what the RTL sends, stamped with the cycle it left.
// The network exchanges both at quantum edges; nothing here is called from SystemC
// and nothing makes a system call. Sending is paced to the link's bandwidth.

#include <cstdint>
#include <deque>
#include <vector>

#include "extoll/endpoint.hpp"
#include "extoll/pacer.hpp"
#include "extoll/symbol.hpp"

namespace nmtwin::sim {

using LinkSymbol = extoll::Symbol;

/// Values for the RTL's link inputs in one cycle.
struct NetPortDrive {
  bool rx_valid = false, rx_last = false;
  std::uint64_t rx_data = 0;
  bool tx_ready = false;
  bool tx_ctl_valid = false, tx_ctl_nak = false;
  std::uint8_t tx_ctl_seq = 0;
  bool tx_credit = false, gi = false, measure = false;
};

/// The RTL's link outputs sampled in one cycle (before the clock edge).
struct NetPortSample {
  bool tx_valid = false, tx_last = false;
  std::uint64_t tx_data = 0;
  bool rx_ready = false;
  bool rx_ctl_valid = false, rx_ctl_nak = false;
  std::uint8_t rx_ctl_seq = 0;
  bool rx_credit = false, gi = false, measure = false;
};

class NetPort : public extoll::Endpoint {
 public:
  /// `bits_per_cycle`: link bandwidth; a 64-bit word occupies the wire 64 / bits cycles.
  explicit NetPort(double bits_per_cycle = 64);

  /// What the network delivers; symbols must come in cycle order per kind group
  /// (words; control and credits; pulses), each no earlier than the cycle being driven.
  void deliver(const LinkSymbol& symbol) override;
  /// What the RTL sent since the last call, in cycle order.
  void take_sent(std::vector<LinkSymbol>& out) override;

  NetPortDrive drive(std::uint64_t cycle);
  void sample(std::uint64_t cycle, const NetPortDrive& driven, const NetPortSample& rtl);

  /// Nothing delivered is waiting and nothing sent is uncollected.
  bool idle() const;
  /// Earliest cycle of a delivered symbol not yet driven (UINT64_MAX when none).
  std::uint64_t next_arrival() const;
  /// Words that arrived while the RTL was not ready (a PHY FIFO's worth); counted.
  std::uint64_t rx_stalls() const { return rx_stalls_; }

 private:
  std::deque<LinkSymbol> words_, controls_, pulses_;
  std::vector<LinkSymbol> sent_;
  extoll::Pacer pacer_;
  std::uint64_t rx_stalls_ = 0;
};

}  // namespace nmtwin::sim
