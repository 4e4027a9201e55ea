#pragma once
// One end of an EXTOLL link (an FPGA's link port or a switch port) as the Link module
// sees it.  Ends run on their own clocks; the link exchanges their symbols every
// `latency` cycles, which is exact because nothing sent in that window can arrive
// inside it (docs/systemc.md "Network").

#include <cstdint>
#include <systemc>
#include <vector>

#include "extoll/symbol.hpp"

namespace nmtwin::systemc {

class LinkEndIf : public virtual sc_core::sc_interface {
 public:
  /// Called once before the simulation starts by the link bound to this end.
  virtual void connect(double bits_per_cycle) = 0;
  /// Brings the end up to, not including, cycle `until` (a no-op for an FPGA, which
  /// runs on its clock).
  virtual void catch_up(std::uint64_t until) = 0;
  /// Appends what the end sent since the last call, in cycle order.
  virtual void take_sent(std::vector<extoll::Symbol>& out) = 0;
  /// A symbol arriving at the end, never before the cycle it is at.
  virtual void deliver(const extoll::Symbol& symbol) = 0;
};

}  // namespace nmtwin::systemc
