// The registers the firmware runtime saves when it reports a trap, and the backtrace the
// host reconstructs from them and the stack (docs/firmware.md, "Backtraces").
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/elf.hpp"

namespace nmtwin::fw {

/// The runtime's trap handler stores x0..x31 (by register number) at this data-memory
/// symbol before it writes the `fatal` I/O register.
inline constexpr std::string_view trap_frame_symbol = "nmtwin_trap_frame";
inline constexpr std::uint32_t trap_frame_words = 32;
inline constexpr std::size_t max_backtrace = 16;

/// Data-memory word index of the trap frame, if the image has one that fits.
std::optional<std::uint32_t> trap_frame_word(const FirmwareImage& image);

/// Function names from `pc` outwards: the frame-pointer chain (x8 = s0 is the frame
/// pointer, the return address at fp - 4 and the caller's fp at fp - 8, as GCC lays
/// frames out with -fno-omit-frame-pointer), followed through `stack`, the top words of
/// data memory. Ends at a null or non-increasing frame pointer, one outside the stack
/// read, or after max_backtrace frames (then "...").
std::vector<std::string> backtrace(const FirmwareImage& image, std::uint32_t pc, std::span<const std::uint32_t> regs,
                                   std::span<const std::uint32_t> stack);

}  // namespace nmtwin::fw
