#include <optional>

#include "hostlink/fw/trap_frame.hpp"
#include "nmtwin/riscv.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::fw {

namespace {

constexpr std::uint32_t stack_top = spec::ppu::dmem_base + spec::ppu::dmem_bytes;

// Whether `addr` is a return address: the instruction before it is a call (writes ra).
bool after_call(const FirmwareImage& image, std::uint32_t addr) {
  if (addr % 4 != 0 || addr < spec::ppu::imem_base + 4) return false;
  const std::uint32_t index = (addr - spec::ppu::imem_base) / 4 - 1;
  if (index >= image.imem.size()) return false;
  const auto insn = riscv::decode(image.imem[index]);
  return (insn.op == riscv::Op::jal || insn.op == riscv::Op::jalr) && insn.rd == frame_ra;
}

// The function part of "name+0x1c".
std::string function_of(const FirmwareImage& image, std::uint32_t pc) {
  const std::string s = image.symbolize(pc);
  return s.substr(0, s.find('+'));
}

// Index in `stack` of the trap frame of this trap, if it is there.
std::optional<std::size_t> find_frame(std::span<const std::uint32_t> stack, std::uint32_t pc, std::uint32_t cause) {
  const std::uint32_t bottom = stack_top - static_cast<std::uint32_t>(stack.size()) * 4;
  for (std::size_t i = 0; i + trap_frame_words <= stack.size(); ++i) {
    const std::uint32_t addr = bottom + static_cast<std::uint32_t>(i) * 4;
    if (stack[i + frame_mepc] == pc && stack[i + frame_mcause] == cause &&
        stack[i + frame_sp] == addr + trap_frame_words * 4)
      return i;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> backtrace(const FirmwareImage& image, std::uint32_t pc, std::uint32_t cause,
                                   std::span<const std::uint32_t> stack, bool& found_frame) {
  std::vector<std::string> frames{image.symbolize(pc)};
  const auto frame = find_frame(stack, pc, cause);
  found_frame = frame.has_value();
  if (!frame) return frames;
  const std::uint32_t ra = stack[*frame + frame_ra];
  // A function that calls others keeps its own return address on the stack, and ra then
  // points back into it: only a leaf's ra names its caller.
  if (after_call(image, ra) && function_of(image, ra - 4) != function_of(image, pc))
    frames.push_back(image.symbolize(ra - 4));
  for (std::size_t i = *frame + trap_frame_words; i < stack.size(); ++i) {
    if (!after_call(image, stack[i])) continue;
    if (frames.size() == max_backtrace) {
      frames.emplace_back("...");
      break;
    }
    frames.push_back(image.symbolize(stack[i] - 4));  // the call, not the instruction after it
  }
  return frames;
}

}  // namespace nmtwin::fw
