#include "sim/trace/waveform.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nmtwin::sim {

namespace {
// FST header layout (gtkwave fstapi): the 119-byte date string starts at byte 202.
constexpr std::streamoff fst_date_offset = 202;
constexpr std::size_t fst_date_size = 119;
constexpr const char* fixed_date = "nmtwin (date omitted for reproducible output)";

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void fix_fst_date(const std::string& path) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) throw std::runtime_error(fmt::format("cannot reopen waveform '{}' to finish it", path));
  std::array<char, fst_date_size> date{};
  std::copy_n(fixed_date, std::char_traits<char>::length(fixed_date), date.begin());
  f.seekp(fst_date_offset);
  f.write(date.data(), date.size());
  if (!f) throw std::runtime_error(fmt::format("cannot write the header of waveform '{}'", path));
}
}  // namespace

WaveFormat waveform_format(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".fst") return WaveFormat::fst;
  if (ext == ".vcd") return WaveFormat::vcd;
  throw std::invalid_argument(fmt::format("waveform file '{}' must end in .fst (compact, default) or .vcd", path));
}

void finish_waveform(const std::string& fst_path, const std::string& final_path) {
  fix_fst_date(fst_path);
  if (waveform_format(final_path) == WaveFormat::fst) return;
  const std::string cmd =
      fmt::format("fst2vcd -f {} -o {} >/dev/null 2>&1", shell_quote(fst_path), shell_quote(final_path));
  const int rc = std::system(cmd.c_str());
  if (rc != 0)
    throw std::runtime_error(fmt::format(
        "converting '{}' to VCD failed (fst2vcd exit {}): install gtkwave (scripts/setup does) or ask for a .fst file",
        final_path, rc));
  std::filesystem::remove(fst_path);
}

}  // namespace nmtwin::sim
