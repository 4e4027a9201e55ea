// The chip-register sequences that drive the PPU from inside a Program.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "nmtwin/firmware.hpp"

namespace nmtwin::fw {

namespace {

namespace chip = spec::chip;
using hostlink::Program;
using hostlink::Ticket;

constexpr std::uint32_t bus(std::uint32_t chip_addr) { return chip::bus_addr(chip_addr); }

void write_words(Program& p, std::uint32_t base, std::uint32_t capacity, std::uint32_t first,
                 std::span<const std::uint32_t> words, std::string_view what) {
  if (first > capacity || words.size() > capacity - first)
    throw std::out_of_range(fmt::format("{}: words {} to {} do not fit its {} words", what, first,
                                        first + words.size() - 1, capacity));
  for (std::size_t i = 0; i < words.size(); ++i) p.write(bus(base + first + static_cast<std::uint32_t>(i)), words[i]);
}

std::vector<Ticket> read_words(Program& p, std::uint32_t base, std::uint32_t first, std::uint32_t count) {
  std::vector<Ticket> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) out.push_back(p.read(bus(base + first + i)));
  return out;
}

void set_run(Program& p, bool run) {
  p.write(bus(chip::ppu_ctrl), chip::ppu_ctrl_fields::run.put(run ? 1 : 0));
}

}  // namespace

void hold(Program& p) { set_run(p, false); }

void load(Program& p, const FirmwareImage& image) {
  if (image.entry != spec::ppu::reset_pc)
    throw std::invalid_argument(fmt::format(
        "the image's entry point is {:#010x}, but the core starts at {:#010x} after reset; link with the runtime's "
        "linker script (firmware/runtime), which places _start there",
        image.entry, spec::ppu::reset_pc));
  hold(p);
  write_words(p, chip::ppu_imem::base, chip::ppu_imem::count, 0, image.imem, "instruction memory");
  write_words(p, chip::ppu_dmem::base, chip::ppu_dmem::count, 0, image.dmem, "data memory");
  write_words(p, chip::ppu_mailbox::base, chip::ppu_mailbox::count, 0, image.mailbox, "mailbox");
}

void start(Program& p) { set_run(p, true); }

void start_at(Program& p, std::uint64_t time) {
  p.wait_until(time);
  start(p);
}

void set_watchdog(Program& p, std::uint32_t cycles) { p.write(bus(chip::ppu_watchdog), cycles); }

void write_mailbox(Program& p, std::uint32_t first, std::span<const std::uint32_t> words) {
  write_words(p, chip::ppu_mailbox::base, chip::ppu_mailbox::count, first, words, "mailbox");
}

std::vector<Ticket> read_mailbox(Program& p, std::uint32_t first, std::uint32_t count) {
  if (first > chip::ppu_mailbox::count || count > chip::ppu_mailbox::count - first)
    throw std::out_of_range(fmt::format("read_mailbox({}, {}): the mailbox has words 0 to {}", first, count,
                                        chip::ppu_mailbox::count - 1));
  return read_words(p, chip::ppu_mailbox::base, first, count);
}

Ticket read_status(Program& p) { return p.read(bus(chip::ppu_status)); }

std::vector<Ticket> read_console(Program& p, std::uint32_t count) {
  std::vector<Ticket> pops;
  pops.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) pops.push_back(p.read(bus(chip::ppu_console)));
  return pops;
}

std::string console_text(std::span<const Ticket> pops) {
  std::string text;
  for (const auto& t : pops) {
    const std::uint32_t pop = t.value();
    if (chip::ppu_console_fields::valid.get(pop)) text.push_back(static_cast<char>(chip::ppu_console_fields::byte.get(pop)));
  }
  return text;
}

PeriodicRun run_periodically(Program& p, std::uint64_t first, std::uint64_t period, std::uint32_t count) {
  if (count == 0 || (count > 1 && period == 0))
    throw std::invalid_argument(fmt::format(
        "run_periodically: {} runs every {} cycles; give at least one run and, for several, a period above 0", count,
        period));
  PeriodicRun run{.first = first, .period = period, .before_start = {}, .starts = 0};
  for (std::uint32_t i = 0; i < count; ++i) {
    p.wait_until(first + i * period);
    run.start_next(p);
  }
  return run;
}

void PeriodicRun::start_next(Program& p) {
  if (starts++ > 0) before_start.push_back(read_outcome(p, 0, 0, 0));
  hold(p);
  start(p);
}

Readout read_outcome(Program& p, std::uint32_t mailbox_first, std::uint32_t mailbox_count, std::uint32_t stack_words) {
  Readout r;
  r.status = read_status(p);
  r.exit_code = p.read(bus(chip::ppu_exit_code));
  r.cause = p.read(bus(chip::ppu_trap_cause));
  r.pc = p.read(bus(chip::ppu_trap_pc));
  r.tval = p.read(bus(chip::ppu_trap_tval));
  r.insn = p.read(bus(chip::ppu_trap_insn));
  r.cycles = p.read(bus(chip::ppu_cycles));
  r.instret = p.read(bus(chip::ppu_instret));
  r.console = read_console(p);
  r.mailbox = read_mailbox(p, mailbox_first, mailbox_count);
  const std::uint32_t n = std::min(stack_words, chip::ppu_dmem::count);
  r.stack = read_words(p, chip::ppu_dmem::base, chip::ppu_dmem::count - n, n);
  return r;
}

}  // namespace nmtwin::fw
