// Firmware on a chip's embedded processor (PPU), from the host: the chip-register
// sequences that load, start and observe a kernel inside a Program, and a blocking runner
// that runs an ELF to its exit as an instruction-set simulator would (docs/firmware.md).
// The core is reached through the ppu_* chip registers (docs/registers.md).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/connection.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::fw {

/// Why a kernel did not end by writing its exit register.
enum class Failure { trap, watchdog, timeout, overrun };

/// A trap, a watchdog expiry, a kernel that did not finish in time, or a periodic run
/// that was still busy when its next period began. what() names the ELF, the cause, the
/// PC with its function, the instruction (hex and disassembly) and a backtrace.
class FirmwareError : public hostlink::RunError {
 public:
  FirmwareError(const std::string& what, Failure failure, std::uint32_t pc, std::vector<std::string> backtrace);
  Failure failure() const noexcept { return failure_; }
  std::uint32_t pc() const noexcept { return pc_; }
  /// Function names, innermost first ("spin_forever+0x8", "main+0x1c").
  const std::vector<std::string>& backtrace() const noexcept { return *backtrace_; }

 private:
  Failure failure_;
  std::uint32_t pc_;
  std::shared_ptr<const std::vector<std::string>> backtrace_;  // shared: copies must not throw
};

/// ppu_status, decoded.
struct Status {
  bool running = false, sleeping = false, exited = false, trapped = false, watchdog = false, console = false;
  static Status decode(std::uint32_t word);
  bool halted() const { return exited || trapped || watchdog; }
};

/// mcause as the privileged spec names it: "illegal instruction", "load access fault",
/// "machine timer interrupt", ...; "cause 0x..." for a code it does not define.
std::string cause_name(std::uint32_t mcause);

// ---------------------------------------------------------------------------
// Sequences inside a Program (each is a few chip-register accesses).

/// Holds the core in reset (ppu_ctrl.run = 0): registers, CSRs, status and console reset.
void hold(hostlink::Program& p);
/// hold, then the image's instruction, data and mailbox words. std::invalid_argument when
/// the image's entry is not the core's reset PC (spec::ppu::reset_pc).
void load(hostlink::Program& p, const FirmwareImage& image);
/// Releases the core (ppu_ctrl.run = 1): it starts at the reset PC.
void start(hostlink::Program& p);
/// Waits until the FPGA timer reads `time` (cycles after the program's timer reset), then starts.
void start_at(hostlink::Program& p, std::uint64_t time);
/// Sets the watchdog limit in core cycles (0: off); takes effect at the next start.
void set_watchdog(hostlink::Program& p, std::uint32_t cycles);
void write_mailbox(hostlink::Program& p, std::uint32_t first, std::span<const std::uint32_t> words);
std::vector<hostlink::Ticket> read_mailbox(hostlink::Program& p, std::uint32_t first, std::uint32_t count);
hostlink::Ticket read_status(hostlink::Program& p);
/// Pops up to `count` console bytes (one read each; an empty FIFO answers without the valid bit).
std::vector<hostlink::Ticket> read_console(hostlink::Program& p, std::uint32_t count = spec::ppu::console_depth);
/// The console bytes the tickets popped, in order.
std::string console_text(std::span<const hostlink::Ticket> pops);

/// Everything a finished (or halted) kernel leaves: read at the end of a Program.
struct Readout {
  hostlink::Ticket status, exit_code, cause, pc, tval, insn, cycles, instret;
  std::vector<hostlink::Ticket> console, mailbox;
  std::vector<hostlink::Ticket> stack;  ///< the top words of data memory, for the backtrace
};
/// Reads the status, exit code, trap registers, counters, console (one FIFO's worth),
/// mailbox words [first, first + count) and the top `stack_words` of data memory (where
/// a trap's backtrace is found: docs/firmware.md, Backtraces).
Readout read_outcome(hostlink::Program& p, std::uint32_t mailbox_first, std::uint32_t mailbox_count,
                     std::uint32_t stack_words = 512);

/// What a kernel gave back.
struct Result {
  bool exited = false;  ///< false: still running or asleep when read
  std::uint32_t exit_code = 0;
  std::string console;
  std::vector<std::uint32_t> mailbox;
  std::uint32_t cycles = 0, instret = 0;  ///< mcycle, minstret (low 32 bits)
};
/// What the messages of evaluate() name.
struct Context {
  std::string name = "firmware";      ///< the ELF file, as the user named it
  std::string endpoint;               ///< where the core is ("sim:node0")
  std::uint32_t watchdog_cycles = 0;  ///< the limit that was set
};
/// The result a Readout holds; FirmwareError for a trap or a watchdog expiry.
/// `console_before` is the console drained earlier; it leads the result's console.
Result evaluate(const Readout& r, const FirmwareImage& image, const Context& context, std::string console_before = {});
/// The error of a kernel still running (or asleep) `limit_cycles` after its start.
FirmwareError timeout_error(const Result& r, const Context& context,
                            std::uint64_t limit_cycles, bool sleeping);

/// The checks of run_periodically, evaluated by check().
struct PeriodicRun {
  std::uint64_t first = 0, period = 0;
  /// Per start after the first: the state just before it (the previous run must have exited).
  std::vector<Readout> before_start;
  std::uint32_t starts = 0;
  /// One start at the program's current time (after its wait_until): for every start
  /// after the first, the previous run's state is read first; then hold and release.
  void start_next(hostlink::Program& p);
  /// Throws FirmwareError (Failure::overrun naming the run that had not ended, or the
  /// trap / watchdog expiry it ended in); returns the console text drained at the checks.
  std::string check(const FirmwareImage& image, const Context& context) const;
};
/// `count` starts at first, first + period, ... (FPGA timer cycles): before each start
/// after the first, the state of the previous run is read (read_outcome without mailbox
/// and stack); then the core is held and released.
PeriodicRun run_periodically(hostlink::Program& p, std::uint64_t first, std::uint64_t period, std::uint32_t count);

// ---------------------------------------------------------------------------
// Blocking runner.

struct RunOptions {
  std::string name = "firmware";  ///< the ELF file, for messages
  std::uint64_t max_cycles = 100'000'000;  ///< FPGA cycles from the start (800 ms of hardware time)
  std::uint32_t watchdog_cycles = 0;       ///< core cycles without a kick; 0: off
  std::map<std::uint32_t, std::uint32_t> mailbox;  ///< inputs: word index -> value, written before the start
  std::uint32_t mailbox_words = spec::chip::ppu_mailbox::count;  ///< read back at the end, from word 0
  std::uint64_t poll_cycles = 20'000;      ///< FPGA cycles between status polls and console drains
};

/// Loads the image, starts it and polls status and console until the kernel exits. On a
/// trap or watchdog expiry throws FirmwareError; after max_cycles holds the core and throws
/// FirmwareError "did not finish within N cycles". The core is left held or halted, so the
/// next run on the connection starts cleanly. `console_out`, when set, gets the console as
/// it arrives.
Result run(hostlink::Connection& connection, const FirmwareImage& image, const RunOptions& options = {},
           const std::function<void(std::string_view)>& console_out = {});

}  // namespace nmtwin::fw
