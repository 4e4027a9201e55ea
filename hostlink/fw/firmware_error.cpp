// What a halted kernel left, turned into a Result or a FirmwareError that a firmware
// engineer can act on: cause, PC, function, instruction, backtrace.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

#include "hostlink/fw/trap_frame.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/riscv.hpp"

namespace nmtwin::fw {

namespace {

constexpr std::uint32_t interrupt_bit = 0x8000'0000u;

std::vector<std::uint32_t> values(std::span<const hostlink::Ticket> tickets) {
  std::vector<std::uint32_t> out;
  out.reserve(tickets.size());
  for (const auto& t : tickets) out.push_back(t.value());
  return out;
}

std::string instruction_text(std::uint32_t insn, std::uint32_t pc) {
  return fmt::format("{:#010x} ({})", insn, riscv::disassemble(insn, pc));
}

std::string console_tail(const std::string& console) {
  if (console.empty()) return {};
  constexpr std::size_t shown = 200;
  const bool cut = console.size() > shown;
  return fmt::format("\nconsole before it{}:\n{}", cut ? " (last 200 bytes)" : "",
                     cut ? console.substr(console.size() - shown) : console);
}

std::string backtrace_text(const std::vector<std::string>& frames, bool saved_registers) {
  std::string t = "\nbacktrace:";
  for (std::size_t i = 0; i < frames.size(); ++i) t += fmt::format("\n  #{} {}", i, frames[i]);
  if (!saved_registers)
    t += "\n  (only the PC: no trap frame of the runtime's trap handler on the stack; see docs/firmware.md, "
         "Backtraces)";
  return t;
}

}  // namespace

FirmwareError::FirmwareError(const std::string& what, Failure failure, std::uint32_t pc,
                             std::vector<std::string> backtrace)
    : hostlink::RunError(what),
      failure_(failure),
      pc_(pc),
      backtrace_(std::make_shared<const std::vector<std::string>>(std::move(backtrace))) {}

Status Status::decode(std::uint32_t w) {
  namespace f = spec::chip::ppu_status_fields;
  return {.running = f::running.get(w) != 0, .sleeping = f::sleeping.get(w) != 0, .exited = f::exited.get(w) != 0,
          .trapped = f::trapped.get(w) != 0, .watchdog = f::watchdog.get(w) != 0, .console = f::console.get(w) != 0};
}

std::string cause_name(std::uint32_t mcause) {
  static constexpr std::array<std::string_view, 12> exceptions{
      "instruction address misaligned", "instruction access fault", "illegal instruction",
      "breakpoint",                     "load address misaligned",  "load access fault",
      "store address misaligned",       "store access fault",       "environment call from U-mode",
      "environment call from S-mode",   "cause 10",                 "environment call from M-mode"};
  if (mcause & interrupt_bit) {
    switch (mcause & ~interrupt_bit) {
      case 3: return "machine software interrupt";
      case 7: return "machine timer interrupt";
      case 11: return "machine external interrupt";
      default: return fmt::format("interrupt {}", mcause & ~interrupt_bit);
    }
  }
  if (mcause < exceptions.size() && mcause != 10) return std::string(exceptions[mcause]);
  return fmt::format("cause {:#x}", mcause);
}

Result evaluate(const Readout& r, const FirmwareImage& image, const Context& context, std::string console_before) {
  const auto status = Status::decode(r.status.value());
  Result out;
  out.console = std::move(console_before) + console_text(r.console);
  out.mailbox = values(r.mailbox);
  out.cycles = r.cycles.value();
  out.instret = r.instret.value();
  out.exited = status.exited;
  out.exit_code = r.exit_code.value();
  if (!status.trapped && !status.watchdog) return out;
  const std::uint32_t pc = r.pc.value(), insn = r.insn.value();
  const std::uint32_t cause = r.cause.value();
  bool saved = false;
  const auto frames = status.trapped ? backtrace(image, pc, cause, values(r.stack), saved)
                                     : std::vector<std::string>{image.symbolize(pc)};
  const std::string where = fmt::format("pc {:#010x} in {}: instruction {}", pc, image.symbolize(pc),
                                        instruction_text(insn, pc));
  std::string what;
  if (status.watchdog) {
    what = fmt::format("firmware {} on {}: watchdog expired after {} cycles at {}; the kernel must write "
                       "watchdog_kick more often (or raise the watchdog limit)",
                       context.name, context.endpoint, context.watchdog_cycles, where);
  } else {
    what = fmt::format("firmware {} on {}: {} (mcause {:#x}) at {}; mtval {:#010x}", context.name,
                       context.endpoint, cause_name(cause), cause, where, r.tval.value());
  }
  throw FirmwareError(what + backtrace_text(frames, saved) + console_tail(out.console),
                      status.watchdog ? Failure::watchdog : Failure::trap, pc, frames);
}

FirmwareError timeout_error(const Result& r, const Context& context,
                            std::uint64_t limit_cycles, bool sleeping) {
  return FirmwareError(
      fmt::format("firmware {} on {}: did not finish within {} cycles ({} after {} instructions in {} core cycles); "
                  "the core is held now. A kernel ends by writing the exit register; raise the limit if it needs "
                  "longer{}",
                  context.name, context.endpoint, limit_cycles, sleeping ? "asleep in wfi" : "still running",
                  r.instret, r.cycles, console_tail(r.console)),
      Failure::timeout, 0, {});
}

std::string PeriodicRun::check(const FirmwareImage& image, const Context& context) const {
  std::string console;
  for (std::size_t i = 0; i < before_start.size(); ++i) {
    const auto previous = evaluate(before_start[i], image, context, console);
    console = previous.console;
    if (previous.exited) continue;
    const std::uint64_t started = first + i * period;
    throw FirmwareError(
        fmt::format("firmware {} on {}: run {} (started at cycle {}) had not exited when run {} began at cycle {} "
                    "({} instructions so far): the kernel takes longer than the period of {} cycles; raise the "
                    "period or shorten the kernel{}",
                    context.name, context.endpoint, i + 1, started, i + 2, started + period, previous.instret,
                    period, console_tail(console)),
        Failure::overrun, 0, {});
  }
  return console;
}

}  // namespace nmtwin::fw
