#pragma once
// The chip as the node sees it across the chip_link: words go down in the cycle the
// FPGA sends them, answers and spikes come up when due.  The node talks to its own
// ChipModel directly (the fast path: no virtual call); a node whose chip lives
// elsewhere (a SystemC chip module, sim/systemc/fpga.hpp) is given a ChipPort.

#include <cstdint>

namespace nmtwin::sim {

class ChipPort {
 public:
  virtual ~ChipPort() = default;
  /// A chip_down word the FPGA sends in cycle `now`.
  virtual void receive(std::uint64_t word, std::uint64_t now) = 0;
  /// The node reached cycle `now`: chip_up words due up to it become available.
  virtual void advance(std::uint64_t now) = 0;
  /// Earliest cycle at which a chip_up word may become available; UINT64_MAX when none is known.
  virtual std::uint64_t next_event() const = 0;
  virtual bool has_output() const = 0;
  /// The next chip_up word, in order.
  virtual std::uint64_t pop_output() = 0;
};

}  // namespace nmtwin::sim
