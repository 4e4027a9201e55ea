// Program text: one instruction decoded back from its words, and the report of a failed run.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "hostlink/program_state.hpp"
#include "nmtwin/response.hpp"

namespace nmtwin::hostlink::detail {

std::string describe_at(const ProgramState& s, std::size_t index) {
  if (index > s.instructions)
    throw std::out_of_range(
        fmt::format("Program::describe({}): the program has {} instructions "
                    "and the halt (#{})",
                    index, s.instructions, s.instructions));
  if (index == s.instructions) return fmt::format("#{} halt", index);
  const std::size_t at = word_offset(s, index);
  const std::uint64_t w = s.words[at];
  const auto op = instr::selector(w);
  switch (op) {
    case instr::Opcode::write: {
      const auto v = instr::Write::decode(w);
      const auto data = instr::WriteData::decode(s.words[at + 1]).data;
      std::string out = fmt::format("#{} write {:#010x} = {:#010x}", index, v.addr, data);
      if (v.byte_enable != instr::Write::byte_enable_max) out += fmt::format(" (byte_enable {:#x})", v.byte_enable);
      return out;
    }
    case instr::Opcode::read: {
      const auto v = instr::Read::decode(w);
      return fmt::format("#{} read {:#010x} (tag {})", index, v.addr, v.tag);
    }
    case instr::Opcode::wait_until:
      return fmt::format("#{} wait_until {}", index, instr::WaitUntil::decode(w).time);
    case instr::Opcode::spikes: {
      const auto v = instr::Spikes::decode(w);
      const std::uint64_t labels[] = {v.label0, v.label1, v.label2};
      return fmt::format("#{} spikes {}", index, fmt::join(labels, labels + std::min<std::uint64_t>(v.count, 3), ", "));
    }
    case instr::Opcode::barrier: {
      const auto b = instr::Barrier::decode(w);
      return fmt::format("#{} barrier{}{}", index, b.reads ? " reads" : "",
                         b.global_interrupt ? " global_interrupt" : "");
    }
    case instr::Opcode::halt:
      return fmt::format("#{} halt {}", index, instr::Halt::decode(w).cookie);
    case instr::Opcode::nop:
    case instr::Opcode::timer_reset:
    case instr::Opcode::systime_sync:
      return fmt::format("#{} {}", index, instr::name_of(op));
  }
  return fmt::format("#{} word {}", index, hex_word(w));
}

std::string reason_text(spec::ErrorReason reason) {
  return fmt::format("{} — {}", spec::name_of(reason), spec::describe(reason));
}

std::string failure_report(const ProgramState& s) {
  std::vector<std::string> counts;
  if (!s.errors.empty()) counts.push_back(plural(s.errors.size(), "error"));
  if (s.protocol_error_count) counts.push_back(plural(s.protocol_error_count, "protocol error"));
  std::string out = fmt::format("program failed on {}: {}", s.endpoint, fmt::join(counts, ", "));
  if (!s.errors.empty()) {
    const std::size_t failed = s.errors.front().index;
    out += fmt::format("\n  instruction {}: {}", describe_at(s, failed), reason_text(s.errors.front().reason));
    const std::size_t last = std::min(failed + 2, s.instructions);
    for (std::size_t i = failed > 2 ? failed - 2 : 0; i <= last; ++i)
      out += fmt::format("\n   {}  {}", i == failed ? '>' : ' ', describe_at(s, i));
    if (s.errors.size() > 1) {
      out += fmt::format("\n  and {} more {}:", s.errors.size() - 1, s.errors.size() == 2 ? "error" : "errors");
      const std::size_t listed = std::min(s.errors.size(), errors_listed + 1);
      for (std::size_t e = 1; e < listed; ++e)
        out += fmt::format("\n    instruction {}: {}", describe_at(s, s.errors[e].index),
                           spec::name_of(s.errors[e].reason));
      if (listed < s.errors.size()) out += "\n    ... (RunError::errors() has them all)";
    }
  }
  const std::size_t listed = std::min(s.protocol_errors.size(), errors_listed);
  for (std::size_t p = 0; p < listed; ++p) out += fmt::format("\n  protocol error: {}", s.protocol_errors[p]);
  if (listed < s.protocol_error_count)
    out += fmt::format("\n  and {} more protocol error{}", s.protocol_error_count - listed,
                       s.protocol_error_count - listed == 1 ? "" : "s");
  return out;
}

}  // namespace nmtwin::hostlink::detail
