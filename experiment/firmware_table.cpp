#include "experiment/firmware_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

namespace nmtwin::apps {

namespace {

constexpr std::uint32_t mailbox_words = spec::chip::ppu_mailbox::count;

std::uint32_t mailbox_index(const Reader& r, const toml::node& at, std::string_view key) {
  std::uint32_t i = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
  if (key.empty() || ec != std::errc{} || end != key.data() + key.size() || i >= mailbox_words)
    r.fail(at, fmt::format("mailbox word '{}' is no index; the keys of 'mailbox' are word indices 0 to {}, e.g. "
                           "mailbox = {{ 0 = 5, 3 = 0x10 }}",
                           key, mailbox_words - 1));
  return i;
}

namespace fs = std::filesystem;

// "firmware:NAME": a program of firmware/programs/ as this build made it, beside the
// running executable (build/firmware/NAME.elf) or in an installation's share/nmtwin/firmware.
std::string resolve_elf(const Reader& r, const toml::node& at, const std::string& text) {
  constexpr std::string_view built = "firmware:";
  if (!text.starts_with(built)) return path_beside(r.origin(), text);
  const std::string name = text.substr(built.size()) + ".elf";
  std::error_code error;
  const fs::path exe_dir = fs::read_symlink("/proc/self/exe", error).parent_path();
  const fs::path places[] = {exe_dir / "firmware" / name, exe_dir / ".." / "share" / "nmtwin" / "firmware" / name};
  for (const auto& p : places)
    if (fs::exists(p, error)) return p.lexically_normal().string();
  r.fail(at, fmt::format("'{}': no {} in {} or {}; build the firmware (ninja firmware) or give the ELF's path", text,
                         name, places[0].parent_path().string(), places[1].lexically_normal().parent_path().string()));
}

fw::FirmwareImage load_image(const Reader& r, const toml::node& elf, const std::string& path) {
  try {
    return fw::load_elf(path);
  } catch (const fw::ElfError& e) {
    r.fail(elf, fmt::format("[firmware] elf: {}", e.what()));
  }
}

}  // namespace

std::vector<std::uint64_t> FirmwareRun::starts() const {
  std::vector<std::uint64_t> out;
  for (std::uint32_t i = 0; i < count; ++i) out.push_back(at + i * period);
  return out;
}

FirmwareRun parse_firmware(const Reader& r, const toml::node& node) {
  const auto* t = node.as_table();
  if (!t) r.fail(node, "'firmware' must be a table: write [firmware] with elf = \"kernel.elf\" under it");
  r.check_keys(*t, "[firmware]", {"elf", "at_us", "period_us", "count", "mailbox", "read_mailbox", "max_cycles",
                                  "watchdog"});
  FirmwareRun f;
  const auto& elf = r.require(*t, "elf", "[firmware]");
  f.elf = resolve_elf(r, elf, r.string(elf, "elf"));
  f.image = std::make_shared<const fw::FirmwareImage>(load_image(r, elf, f.elf));
  if (const auto* n = t->get("at_us")) f.at = r.cycles(*n, "at_us");
  const auto* period = t->get("period_us");
  const auto* count = t->get("count");
  if ((period == nullptr) != (count == nullptr))
    r.fail(period ? *period : *count, "[firmware] takes 'period_us' and 'count' together (count starts, period_us "
                                      "apart), or neither (one start at 'at_us')");
  if (period) {
    f.count = static_cast<std::uint32_t>(r.integer(*count, "count", 1, 1'000'000));
    f.period = r.cycles(*period, "period_us");
    if (f.period == 0) r.fail(*period, "'period_us' must be at least one cycle (0.008)");
  }
  if (const auto* n = t->get("mailbox")) {
    const auto* inputs = n->as_table();
    if (!inputs) r.fail(*n, "'mailbox' must be a table of word = value, e.g. mailbox = { 0 = 5, 3 = 0x10 }");
    for (auto&& [key, value] : *inputs)
      f.mailbox[mailbox_index(r, value, key.str())] =
          static_cast<std::uint32_t>(r.integer(value, fmt::format("mailbox.{}", key.str()), 0, 0xFFFFFFFF));
  }
  if (const auto* n = t->get("read_mailbox")) {
    const auto* words = n->as_array();
    if (!words) r.fail(*n, "'read_mailbox' must be a list of word indices, e.g. [0, 1, 2]");
    for (const auto& w : *words)
      f.read_mailbox.push_back(static_cast<std::uint32_t>(r.integer(w, "read_mailbox", 0, mailbox_words - 1)));
  }
  if (const auto* n = t->get("max_cycles")) {
    if (f.count > 1)
      r.fail(*n, "'max_cycles' limits a single start; a periodic kernel must exit within its period_us (checked "
                 "before each start); remove max_cycles");
    f.max_cycles = static_cast<std::uint64_t>(r.integer(*n, "max_cycles", 1, spec::instr::WaitUntil::time_max));
  }
  if (const auto* n = t->get("watchdog")) f.watchdog = static_cast<std::uint32_t>(r.integer(*n, "watchdog", 0, 0xFFFFFFFF));
  return f;
}

void check_firmware_fits(const FirmwareRun& f, std::uint64_t duration, const std::string& origin) {
  const std::uint64_t last = f.starts().back() + f.max_cycles;
  if (last >= duration)
    throw InputError(fmt::format("{}: [firmware] {} at {:.3f} us, not before the end of the experiment ({:.3f} us); "
                                 "raise duration_us or start it earlier",
                                 origin, f.max_cycles ? "checks that the kernel exited" : "starts the kernel",
                                 static_cast<double>(last) / cycles_per_us, static_cast<double>(duration) / cycles_per_us));
}

FirmwareOutcome firmware_outcome(const FirmwareRun& f, const FirmwareTickets& t, const std::string& where) {
  const fw::Context context{.name = f.elf, .endpoint = where, .watchdog_cycles = f.watchdog};
  std::string console = t.periodic.check(*f.image, context);
  if (t.deadline) {
    const auto by_deadline = fw::evaluate(*t.deadline, *f.image, context, console);
    if (!by_deadline.exited)
      throw fw::timeout_error(by_deadline, context, f.max_cycles, fw::Status::decode(t.deadline->status.value()).sleeping);
    console = by_deadline.console;
  }
  FirmwareOutcome out{.result = fw::evaluate(t.end, *f.image, context, console), .state = {}};
  const auto status = fw::Status::decode(t.end.status.value());
  out.state = out.result.exited ? fmt::format("exited with code {}", out.result.exit_code)
              : status.sleeping ? "asleep (wfi) at the end of the experiment"
                                : "still running at the end of the experiment";
  return out;
}

}  // namespace nmtwin::apps
