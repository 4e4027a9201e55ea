// The blocking runner: one ELF on one core, to its exit, as an instruction-set simulator
// would run it; the console is drained while it runs (its FIFO stalls the core when full).
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "nmtwin/firmware.hpp"

namespace nmtwin::fw {

namespace {

void emit(const std::function<void(std::string_view)>& out, const std::string& text) {
  if (out && !text.empty()) out(text);
}

}  // namespace

Result run(hostlink::Connection& connection, const FirmwareImage& image, const RunOptions& o,
           const std::function<void(std::string_view)>& console_out) {
  if (o.max_cycles == 0 || o.poll_cycles == 0)
    throw std::invalid_argument(fmt::format("fw::run: max_cycles ({}) and poll_cycles ({}) must be above 0",
                                            o.max_cycles, o.poll_cycles));
  const Context context{.name = o.name, .endpoint = connection.endpoint(), .watchdog_cycles = o.watchdog_cycles};
  {
    hostlink::Program setup;
    load(setup, image);
    for (const auto& [word, value] : o.mailbox) write_mailbox(setup, word, std::span(&value, 1));
    set_watchdog(setup, o.watchdog_cycles);
    setup.timer_reset();  // the polls count FPGA cycles from the start
    start(setup);
    connection.run(setup);
  }
  std::string console;
  for (std::uint64_t t = std::min(o.poll_cycles, o.max_cycles);; t = std::min(t + o.poll_cycles, o.max_cycles)) {
    hostlink::Program poll;
    poll.wait_until(t);
    const auto status = read_status(poll);
    const auto pops = read_console(poll);
    connection.run(poll);
    const std::string text = console_text(pops);
    emit(console_out, text);
    console += text;
    const auto s = Status::decode(status.value());
    if (s.halted() || t == o.max_cycles) break;
  }
  hostlink::Program finish;
  const auto readout = read_outcome(finish, 0, o.mailbox_words);
  connection.run(finish);
  emit(console_out, console_text(readout.console));
  Result result = evaluate(readout, image, context, console);
  if (result.exited) return result;
  hostlink::Program stop;  // the kernel that never returns: hold it, so the next program starts cleanly
  hold(stop);
  connection.run(stop);
  const bool sleeping = Status::decode(readout.status.value()).sleeping;
  throw timeout_error(result, context, o.max_cycles, sleeping);
}

}  // namespace nmtwin::fw
