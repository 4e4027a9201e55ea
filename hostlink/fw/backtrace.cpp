#include <fmt/format.h>

#include "hostlink/fw/trap_frame.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::fw {

namespace {
constexpr unsigned reg_ra = 1, reg_fp = 8;
}

std::optional<std::uint32_t> trap_frame_word(const FirmwareImage& image) {
  const auto symbol = image.find_symbol(trap_frame_symbol);
  if (!symbol) return std::nullopt;
  const std::uint32_t a = symbol->address;
  if (a % 4 != 0 || a < spec::ppu::dmem_base || a - spec::ppu::dmem_base + 4 * trap_frame_words > spec::ppu::dmem_bytes)
    return std::nullopt;
  return (a - spec::ppu::dmem_base) / 4;
}

std::vector<std::string> backtrace(const FirmwareImage& image, std::uint32_t pc, std::span<const std::uint32_t> regs,
                                   std::span<const std::uint32_t> stack) {
  std::vector<std::string> frames{image.symbolize(pc)};
  if (regs.size() < trap_frame_words) return frames;
  const std::uint32_t stack_top = spec::ppu::dmem_base + spec::ppu::dmem_bytes;
  const std::uint32_t stack_bottom = stack_top - static_cast<std::uint32_t>(stack.size()) * 4;
  // The word at byte address a of data memory, if the stack read holds it.
  const auto at = [&](std::uint32_t a) -> std::optional<std::uint32_t> {
    if (a % 4 != 0 || a < stack_bottom || a >= stack_top) return std::nullopt;
    return stack[(a - stack_bottom) / 4];
  };
  std::uint32_t fp = regs[reg_fp];
  std::uint32_t ra = regs[reg_ra];
  // In the trapping function the frame record at fp holds its caller's return address;
  // ra is only a better first guess when there is no frame (fp outside the stack).
  if (!at(fp - 4)) {
    if (ra != 0) frames.push_back(image.symbolize(ra - 4));
    return frames;
  }
  while (frames.size() < max_backtrace) {
    const auto saved_ra = at(fp - 4), saved_fp = at(fp - 8);
    if (!saved_ra || !saved_fp || *saved_ra == 0) return frames;
    frames.push_back(image.symbolize(*saved_ra - 4));  // the call, not the instruction after it
    if (*saved_fp <= fp) return frames;                // the outermost frame (the start file's fp = 0)
    fp = *saved_fp;
  }
  frames.emplace_back("...");
  return frames;
}

}  // namespace nmtwin::fw
