#pragma once
// The embedded plasticity processor (PPU) of a node's chip: the Verilated rtl/ppu/ppu_top
// (RV32IM core, memories, I/O) behind the chip model's ppu_* registers.  Its clock is
// gated while the core is held, halted or asleep in `wfi`: then it costs nothing, and
// the chip's next_event() tells the node when the timer wakes it (docs/firmware.md).

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "sim/chip/chip_model.hpp"
#include "sim/chip/ppu_port.hpp"
#include "sim/ppu/commit_log.hpp"

class Vppu_top;
class VerilatedContext;
class VerilatedFstC;

namespace nmtwin::sim {

class Ppu final : public PpuPort {
 public:
  /// Builds the processor (held in reset) on `chip` and attaches it.  The thread that
  /// constructs it must be the one that runs it (Verilator).
  Ppu(VerilatedContext& context, ChipModel& chip, const std::string& name);
  ~Ppu() override;
  Ppu(const Ppu&) = delete;
  Ppu& operator=(const Ppu&) = delete;

  void host_access(std::uint64_t id, bool write, std::uint32_t addr, std::uint32_t data,
                   std::uint64_t now) override;
  void advance(std::uint64_t now) override;
  std::uint64_t next_event() const override;

  /// Adds the processor's signals to a waveform (before it is opened).
  void trace(VerilatedFstC& file);
  /// Writes every retired instruction and trap to `path` (docs/firmware.md, "Commit
  /// log"); an empty path stops logging.
  void open_commit_log(const std::string& path);

  /// Checks, every cycle from now on, that the evaluation with the clock low that the
  /// processor skips would change none of ppu_top's outputs (it then does that evaluation);
  /// throws std::logic_error at the first output that would.  For tests: it costs time.
  void set_settle_check(bool on) { settle_check_ = on; }

  struct Stats {
    std::uint64_t clocked = 0;   ///< cycles the core's clock ran
    std::uint64_t retired = 0;   ///< instructions retired
    std::uint64_t traps = 0;     ///< traps and interrupts taken
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Access {
    std::uint64_t id;
    bool write;
    std::uint32_t addr, data;
  };
  bool clock_needed() const;
  std::uint64_t wake_cycle() const;
  void tick(std::uint64_t cycle);
  void check_settled(std::uint64_t cycle);

  std::unique_ptr<Vppu_top> rtl_;
  ChipModel& chip_;
  std::deque<Access> waiting_;           ///< host accesses not yet offered to the RTL
  std::deque<std::uint64_t> in_flight_;  ///< ids of accesses the RTL accepted, oldest first
  bool chip_rsp_valid_ = false, chip_rsp_err_ = false;
  std::uint32_t chip_rsp_data_ = 0;
  std::uint64_t next_tick_ = 0;  ///< first cycle the processor has not run
  std::unique_ptr<CommitLog> log_;
  bool settle_check_ = false;
  Stats stats_;
};

}  // namespace nmtwin::sim
