#pragma once
// The embedded processor (PPU) as the chip model sees it: the chip forwards the host's
// accesses to the ppu_* chip registers to it and gives it cycles to run; the processor
// answers each access later through ChipModel::ppu_ack and reaches the synapse array,
// sensors, counters and neuron registers through ChipModel::bus_read / bus_write.
// The Verilated implementation is sim/ppu/ppu.hpp; a chip without one rejects the
// ppu_* registers.

#include <cstdint>

namespace nmtwin::sim {

class PpuPort {
 public:
  virtual ~PpuPort() = default;
  /// A host access to chip word address `addr` (spec::ppu::host_base <= addr) received
  /// in cycle `now`.  Answered in order by ChipModel::ppu_ack(id, ...).
  virtual void host_access(std::uint64_t id, bool write, std::uint32_t addr, std::uint32_t data,
                           std::uint64_t now) = 0;
  /// Runs the processor through cycle `now` (the chip processed its own events up to `now`).
  virtual void advance(std::uint64_t now) = 0;
  /// First cycle in which the processor needs its clock; UINT64_MAX while it is held,
  /// halted or asleep without a timer.
  virtual std::uint64_t next_event() const = 0;
};

}  // namespace nmtwin::sim
