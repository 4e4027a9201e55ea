// nmtwin fw FILE.elf: runs one firmware ELF on a node's embedded processor to its exit, as
// an instruction-set simulator would (docs/firmware_host.md): the console on stdout, the
// program's exit code as ours; refusals and failures on stderr with their own codes.

#include <fmt/format.h>

#include <charconv>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/firmware.hpp"
#include "sim/host/inprocess_connection.hpp"

namespace nmtwin::cli {

namespace {

// Exit codes of `nmtwin fw` besides the program's own (docs/firmware_host.md).
constexpr int exit_bad_elf = 2, exit_trap = 3, exit_watchdog = 4, exit_unfinished = 5;

struct FwArgs {
  std::string elf;
  std::string target = "sim:";
  std::string trace, fw_log;
  WaveArgs waves;
  std::vector<std::string> mailbox;
  std::uint32_t show_mailbox = 0;
  fw::RunOptions run;
};

std::uint32_t number(std::string_view text, std::string_view what, std::string_view item) {
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const std::string_view digits = hex ? text.substr(2) : text;
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, hex ? 16 : 10);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
    throw CLI::ValidationError("--mailbox", fmt::format("'{}': {} '{}' is not a 32-bit number (decimal or 0x hex); "
                                                        "write INDEX=VALUE, e.g. 3=0x10",
                                                        item, what, text));
  return v;
}

// --mailbox I=V ...: word I (0..255) holds V before the start.
std::map<std::uint32_t, std::uint32_t> mailbox_inputs(const std::vector<std::string>& items) {
  std::map<std::uint32_t, std::uint32_t> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw CLI::ValidationError("--mailbox", fmt::format("'{}' has no '=': write INDEX=VALUE, e.g. 3=0x10", item));
    const std::uint32_t index = number(std::string_view(item).substr(0, eq), "index", item);
    if (index >= spec::chip::ppu_mailbox::count)
      throw CLI::ValidationError(
          "--mailbox", fmt::format("'{}': the mailbox has words 0 to {}", item, spec::chip::ppu_mailbox::count - 1));
    out[index] = number(std::string_view(item).substr(eq + 1), "value", item);
  }
  return out;
}

int run_fw(FwArgs& a) {
  fw::FirmwareImage image;
  try {
    image = fw::load_elf(a.elf);
  } catch (const fw::ElfError& e) {
    fmt::print(stderr, "nmtwin fw: {}\n", e.what());
    return exit_bad_elf;
  }
  a.run.name = a.elf;
  a.run.mailbox = mailbox_inputs(a.mailbox);
  a.run.mailbox_words = std::max(a.show_mailbox, 1u);
  const auto waves = a.waves.get(!a.trace.empty());
  std::unique_ptr<sim::Simulation> simulation;
  std::unique_ptr<hostlink::Connection> connection;
  if (a.target == "sim:") {
    simulation = std::make_unique<sim::Simulation>();
    if (!a.trace.empty()) simulation->open_trace(0, waves.window(a.trace));
    if (!a.fw_log.empty()) simulation->open_commit_log(0, a.fw_log);
    connection = std::make_unique<sim::InProcessConnection>(*simulation);
  } else {
    if (!a.trace.empty())
      throw CLI::ValidationError("--trace", fmt::format("records an in-process node; for '{}' start `nmtwin sim "
                                                        "--trace FILE` instead",
                                                        a.target));
    if (!a.fw_log.empty())
      throw CLI::ValidationError("--fw-log", fmt::format("logs an in-process node; for '{}' start `nmtwin sim "
                                                         "--fw-log FILE` instead",
                                                         a.target));
    connection = hostlink::connect(a.target);
  }
  const auto print = [](std::string_view text) {
    std::cout << text;
    std::cout.flush();
  };
  int code = 0;
  try {
    const auto result = fw::run(*connection, image, a.run, print);
    for (std::uint32_t i = 0; i < a.show_mailbox; ++i) fmt::print("mailbox[{}] = {:#010x}\n", i, result.mailbox[i]);
    code = static_cast<int>(result.exit_code & 0xFF);  // what a shell sees of an exit code
  } catch (const fw::FirmwareError& e) {
    std::cout.flush();
    fmt::print(stderr, "nmtwin fw: {}\n", e.what());
    code = e.failure() == fw::Failure::watchdog ? exit_watchdog
           : e.failure() == fw::Failure::trap   ? exit_trap
                                                : exit_unfinished;
  }
  connection.reset();
  if (simulation && !a.trace.empty()) simulation->close_trace(0);
  if (simulation && !a.fw_log.empty()) simulation->open_commit_log(0, "");  // flushed and closed
  return code;
}

}  // namespace

Command add_fw(CLI::App& app) {
  auto a = std::make_shared<FwArgs>();
  auto* cmd = app.add_subcommand(
      "fw",
      "run a firmware ELF on a node's embedded processor to its exit (exit code: the program's; 2 bad ELF, "
      "3 trap, 4 watchdog, 5 did not finish)");
  cmd->add_option("FILE", a->elf, "RV32IM ELF built for the processor (firmware/, docs/firmware.md)")->required();
  cmd->add_option("--max-cycles", a->run.max_cycles, "FPGA cycles the program may take (default 100000000)")
      ->check(CLI::Range(std::uint64_t{1}, spec::instr::WaitUntil::time_max));
  cmd->add_option("--watchdog", a->run.watchdog_cycles,
                  "core cycles without a watchdog_kick before the core is stopped (default 0: off)");
  cmd->add_option("--mailbox", a->mailbox, "INDEX=VALUE: mailbox word written before the start (repeatable)");
  cmd->add_option("--show-mailbox", a->show_mailbox, "print mailbox words 0..N-1 after the exit")
      ->check(CLI::Range(0u, spec::chip::ppu_mailbox::count));
  cmd->add_option(
      "--target", a->target,
      fmt::format("where the node is: sim: (in-process, default), {} or udp://HOST:PORT[?node=I]", sim::sim_url_form));
  cmd->add_option("--trace", a->trace, "write Verilator waveforms of the node to FILE.fst (or .vcd); sim: only");
  a->waves.add_to(*cmd, "trace", "--trace FILE");
  cmd->add_option("--fw-log", a->fw_log, "write the processor's commit log (Spike's format) to FILE; sim: only");
  return {cmd, [a] { return run_fw(*a); }};
}

}  // namespace nmtwin::cli
