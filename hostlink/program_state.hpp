// The state a Program shares with its Tickets, and the program text (describe,
// failure report) that both quote. Private to hostlink: ticket.hpp only names it.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::hostlink::detail {

namespace instr = spec::instr;

enum class ReadStatus : std::uint8_t { pending, answered, failed, unanswered };

// One per read: 12 bytes, so a program of a million reads stays small.
struct ReadSlot {
  std::uint32_t index;  // instruction index
  std::uint32_t value;  // data when answered, position in errors when failed
  ReadStatus status;
};

enum class RunStatus : std::uint8_t { not_run, running, timed_out, done };

struct ProgramState {
  // The program is kept as its encoded words; describe() decodes them.
  std::vector<std::uint64_t> words;
  std::vector<std::uint32_t> writes;  // indices of the two-word instructions, ascending
  std::size_t instructions = 0;
  std::vector<ReadSlot> reads;

  RunStatus run = RunStatus::not_run;
  std::string endpoint;
  // Answers seen per tag: read number = answers * tag_space + tag. Tags repeat
  // only after a barrier, so the answers of one tag arrive in read order.
  std::vector<std::uint32_t> tag_answers;
  std::size_t answered = 0;
  std::vector<InstructionError> errors;
  std::vector<std::string> protocol_errors;
  std::size_t protocol_error_count = 0;
  std::vector<Spike> spikes;
  // Systime holds the response's low bits until finish_run extends them.
  std::vector<Sample> samples;
  std::uint64_t halt_systime = 0;
};

inline constexpr std::size_t tag_space = std::size_t{instr::Read::tag_max} + 1;
inline constexpr std::size_t max_instructions = spec::resp::Error::index_max;  // halt gets the last index
inline constexpr std::size_t max_protocol_errors = 100;  // kept in the exception; the rest counted
inline constexpr std::size_t errors_listed = 5;

// Position in words of an instruction: the two-word writes before it shift it.
inline std::size_t word_offset(const ProgramState& s, std::size_t index) {
  return index + static_cast<std::size_t>(std::lower_bound(s.writes.begin(), s.writes.end(), index) - s.writes.begin());
}

// "#index mnemonic operands" of instruction `index` (the halt at s.instructions).
std::string describe_at(const ProgramState& s, std::size_t index);
std::string reason_text(spec::ErrorReason reason);
// The message of RunError: the first error with its neighbourhood, then a
// short list of the others.
std::string failure_report(const ProgramState& s);

}  // namespace nmtwin::hostlink::detail
