// The registers the firmware runtime saves when it reports a trap, and the backtrace the
// host reconstructs from them and the stack (docs/firmware.md, "Backtraces").
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nmtwin/elf.hpp"

namespace nmtwin::fw {

/// The runtime's struct nmtwin_trap_frame (firmware/runtime/nmtwin/fw.h), which its trap
/// entry pushes on the stack: x0..x31 by number (x2 = the sp before the trap), then mepc,
/// mcause, mtval and a padding word.
inline constexpr std::uint32_t trap_frame_words = 36;
inline constexpr std::uint32_t frame_sp = 2, frame_ra = 1, frame_mepc = 32, frame_mcause = 33;
/// Words read from the top of data memory (where the stack grows down from).
inline constexpr std::uint32_t stack_read_words = 512;
inline constexpr std::size_t max_backtrace = 16;

/// Function names from `pc` outwards. `stack` holds the top words of data memory. When
/// it holds the runtime's trap frame of this trap (found by its contents: saved sp = its
/// own end, mepc = pc, mcause = cause), the frames are the saved ra (unless it points into
/// the trapping function itself) and every return address on the stack above the saved sp
/// (a word whose preceding instruction in the image is a call: jal/jalr writing ra),
/// innermost first. Otherwise the PC alone. `found_frame` tells which.
std::vector<std::string> backtrace(const FirmwareImage& image, std::uint32_t pc, std::uint32_t cause,
                                   std::span<const std::uint32_t> stack, bool& found_frame);

}  // namespace nmtwin::fw
