#include "nmtwin/program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "nmtwin/errors.hpp"
#include "nmtwin/response.hpp"

namespace nmtwin::hostlink {

namespace instr = spec::instr;

namespace detail {

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
  std::uint64_t halt_systime = 0;
};

}  // namespace detail

namespace {

using detail::plural;
using detail::ProgramState;
using detail::ReadSlot;
using detail::ReadStatus;
using detail::RunStatus;

constexpr std::size_t tag_space = std::size_t{instr::Read::tag_max} + 1;
constexpr std::size_t max_instructions = spec::resp::Error::index_max;  // halt gets the last index
constexpr std::size_t max_protocol_errors = 100;                        // kept in the exception; the rest counted
constexpr std::size_t errors_listed = 5;

std::size_t word_offset(const ProgramState& s, std::size_t index) {
  return index + static_cast<std::size_t>(std::lower_bound(s.writes.begin(), s.writes.end(), index) - s.writes.begin());
}

instr::Opcode opcode_at(const ProgramState& s, std::size_t index) {
  return index == s.instructions ? instr::Opcode::halt : instr::selector(s.words[word_offset(s, index)]);
}

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

// The message of RunError: the first error with its neighbourhood, then a
// short list of the others.
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

// The read that an answer with this tag belongs to, or nullptr if none is outstanding.
ReadSlot* outstanding(ProgramState& s, std::uint64_t tag) {
  if (tag >= s.tag_answers.size()) return nullptr;
  const std::size_t read = s.tag_answers[tag] * tag_space + tag;
  return read < s.reads.size() ? &s.reads[read] : nullptr;
}

void settle(ProgramState& s, ReadSlot& slot, std::uint64_t tag, ReadStatus status, std::uint32_t value) {
  slot.status = status;
  slot.value = value;
  ++s.tag_answers[tag];
  ++s.answered;
}

}  // namespace

// ---------------------------------------------------------------------------
// Ticket

Ticket::Ticket(std::shared_ptr<const detail::ProgramState> state, std::uint32_t read)
    : state_(std::move(state)), read_(read) {}

const detail::ProgramState& Ticket::state(const char* caller) const {
  if (!state_) throw std::logic_error(fmt::format("{}: this Ticket is empty; tickets come from Program::read", caller));
  return *state_;
}

bool Ticket::ready() const { return state_ && state_->reads[read_].status == ReadStatus::answered; }

std::uint32_t Ticket::value() const {
  const ProgramState& s = state("Ticket::value");
  const ReadSlot& slot = s.reads[read_];
  const std::string what = describe_at(s, slot.index);
  switch (slot.status) {
    case ReadStatus::answered:
      return slot.value;
    case ReadStatus::failed: {
      const InstructionError& e = s.errors[slot.value];
      throw RunError(fmt::format("{} failed on {}: {}", what, s.endpoint, reason_text(e.reason)), {e});
    }
    case ReadStatus::unanswered: {
      const std::string problem = fmt::format("{} got no answer from {} before the halt echo", what, s.endpoint);
      throw ProtocolError(problem, {}, {problem});
    }
    case ReadStatus::pending:
      break;
  }
  if (s.run == RunStatus::timed_out)
    throw std::logic_error(
        fmt::format("Ticket::value: {} has no value: the run on {} timed out "
                    "before its answer arrived",
                    what, s.endpoint));
  throw std::logic_error(
      fmt::format("Ticket::value: {} has no value yet: the program has not "
                  "run; call Connection::run(program) first",
                  what));
}

std::uint32_t Ticket::address() const {
  const ProgramState& s = state("Ticket::address");
  return static_cast<std::uint32_t>(instr::Read::decode(s.words[word_offset(s, s.reads[read_].index)]).addr);
}

std::size_t Ticket::index() const { return state("Ticket::index").reads[read_].index; }

std::uint16_t Ticket::tag() const { return static_cast<std::uint16_t>(read_ % tag_space); }

// ---------------------------------------------------------------------------
// Program: building

Program::Program() : state_(std::make_shared<ProgramState>()) {}
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;
Program::~Program() = default;

void Program::append(std::uint64_t word) {
  ProgramState& s = *state_;
  if (s.instructions >= max_instructions)
    throw std::length_error(
        fmt::format("Program: more than {} instructions do not fit the FPGA's "
                    "32-bit instruction index; split the program",
                    max_instructions));
  s.words.push_back(word);
  ++s.instructions;
  s.run = RunStatus::not_run;  // results no longer describe this program
}

void Program::nop() { append(instr::Nop{}.encode()); }

void Program::write(std::uint32_t addr, std::uint32_t data, std::uint8_t byte_enable) {
  if (byte_enable > instr::Write::byte_enable_max)
    throw std::invalid_argument(
        fmt::format("Program::write({:#010x}): byte_enable {:#x} has more "
                    "than 4 bits (one per byte of the 32-bit word)",
                    addr, byte_enable));
  const std::size_t index = state_->instructions;
  append(instr::Write{.byte_enable = byte_enable, .addr = addr}.encode());
  state_->words.push_back(instr::WriteData{.data = data}.encode());
  state_->writes.push_back(static_cast<std::uint32_t>(index));
}

Ticket Program::read(std::uint32_t addr) {
  const std::size_t read = state_->reads.size();
  if (read > 0 && read % tag_space == 0) barrier();  // every tag is in use: let them all settle
  const std::uint16_t tag = static_cast<std::uint16_t>(read % tag_space);
  const auto index = static_cast<std::uint32_t>(state_->instructions);
  append(instr::Read{.tag = tag, .addr = addr}.encode());
  state_->reads.push_back(ReadSlot{index, 0, ReadStatus::pending});
  return Ticket(state_, static_cast<std::uint32_t>(read));
}

void Program::timer_reset() { append(instr::TimerReset{}.encode()); }

void Program::wait_until(std::uint64_t cycles) {
  if (cycles > instr::WaitUntil::time_max)
    throw std::invalid_argument(
        fmt::format("Program::wait_until({}): the timer has {} bits, so the latest time is {} cycles "
                    "(about {:.1f} hours of 8 ns cycles)",
                    cycles, instr::WaitUntil::time_width, instr::WaitUntil::time_max,
                    static_cast<double>(instr::WaitUntil::time_max) * spec::cycle_ns * 1e-9 / 3600));
  append(instr::WaitUntil{.time = cycles}.encode());
}

void Program::systime_sync() { append(instr::SystimeSync{}.encode()); }

void Program::spikes(std::span<const std::uint16_t> labels) {
  for (std::size_t i = 0; i < labels.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, labels.size() - i);
    append(instr::Spikes{
        .count = n, .label2 = n > 2 ? labels[i + 2] : 0u, .label1 = n > 1 ? labels[i + 1] : 0u, .label0 = labels[i]}
               .encode());
  }
}

void Program::spike(std::uint16_t label) { spikes(std::span(&label, 1)); }

void Program::barrier() { append(instr::Barrier{.reads = 1}.encode()); }

void Program::wait_global_interrupt() { append(instr::Barrier{.global_interrupt = 1}.encode()); }

std::size_t Program::size() const { return state_->instructions; }

std::vector<std::uint64_t> Program::encode(std::uint16_t halt_cookie) const {
  std::vector<std::uint64_t> words;
  words.reserve(state_->words.size() + 1);
  words.insert(words.end(), state_->words.begin(), state_->words.end());
  words.push_back(instr::Halt{.cookie = halt_cookie}.encode());
  return words;
}

std::string Program::describe(std::size_t index) const { return describe_at(*state_, index); }

// ---------------------------------------------------------------------------
// Program: results

bool Program::has_run() const { return state_->run == RunStatus::done; }

const std::vector<Spike>& Program::received_spikes() const { return state_->spikes; }

std::uint64_t Program::halt_systime() const {
  if (!has_run())
    throw std::logic_error(
        "Program::halt_systime: the program has not run to its halt; call "
        "Connection::run(program) first");
  return state_->halt_systime;
}

void Program::begin_run(std::string_view endpoint) {
  ProgramState& s = *state_;
  s.run = RunStatus::running;
  s.endpoint = endpoint;
  for (ReadSlot& slot : s.reads) slot.status = ReadStatus::pending;
  s.tag_answers.assign(std::min(s.reads.size(), tag_space), 0);
  s.answered = 0;
  s.errors.clear();
  s.protocol_errors.clear();
  s.protocol_error_count = 0;
  s.spikes.clear();
}

void Program::accept(const spec::resp::ReadData& answer) {
  ProgramState& s = *state_;
  ReadSlot* slot = outstanding(s, answer.tag);
  if (!slot)
    return reject(
        fmt::format("response {}: read_data with tag {} (data {:#010x}), but no read "
                    "with that tag is outstanding",
                    hex_word(answer.encode()), answer.tag, answer.data));
  settle(s, *slot, answer.tag, ReadStatus::answered, static_cast<std::uint32_t>(answer.data));
}

void Program::accept(const spec::resp::Error& error) {
  ProgramState& s = *state_;
  const auto reason = static_cast<spec::ErrorReason>(error.reason);
  const std::string word = hex_word(error.encode());
  if (error.index > s.instructions)
    return reject(
        fmt::format("response {}: {} for instruction #{}, but the program ends with "
                    "its halt at #{}",
                    word, spec::name_of(reason), error.index, s.instructions));
  const auto op = opcode_at(s, error.index);
  if (op == instr::Opcode::read) {
    ReadSlot* slot = outstanding(s, error.detail);
    if (!slot || slot->index != error.index)
      return reject(
          fmt::format("response {}: {} for {}, but its detail (tag {}) is not that "
                      "read's outstanding tag",
                      word, spec::name_of(reason), describe_at(s, error.index), error.detail));
    settle(s, *slot, error.detail, ReadStatus::failed, static_cast<std::uint32_t>(s.errors.size()));
  } else if (error.detail != static_cast<std::uint64_t>(op)) {
    return reject(
        fmt::format("response {}: {} for {}, but its detail {:#x} is not that "
                    "instruction's opcode {:#x}",
                    word, spec::name_of(reason), describe_at(s, error.index), error.detail, static_cast<unsigned>(op)));
  }
  s.errors.push_back({error.index, reason, static_cast<std::uint16_t>(error.detail)});
}

void Program::accept(const spec::resp::Spike& spike) {
  state_->spikes.push_back({static_cast<std::uint16_t>(spike.label), spike.systime});
}

void Program::reject(std::string problem) {
  ProgramState& s = *state_;
  if (s.protocol_errors.size() < max_protocol_errors) s.protocol_errors.push_back(std::move(problem));
  ++s.protocol_error_count;
}

std::size_t Program::missing_answers() const { return state_->reads.size() - state_->answered; }

void Program::abandon_run() { state_->run = RunStatus::timed_out; }

void Program::finish_run(std::uint64_t halt_systime) {
  ProgramState& s = *state_;
  s.run = RunStatus::done;
  s.halt_systime = halt_systime;
  if (const std::size_t missing = missing_answers()) {
    std::vector<std::string> listed;
    for (ReadSlot& slot : s.reads) {
      if (slot.status != ReadStatus::pending) continue;
      slot.status = ReadStatus::unanswered;
      if (listed.size() < errors_listed) listed.push_back(describe_at(s, slot.index));
    }
    reject(fmt::format("{} got no answer before the halt echo: {}{}", plural(missing, "read"), fmt::join(listed, "; "),
                       missing > listed.size() ? "; ..." : ""));
  }
  if (s.errors.empty() && s.protocol_error_count == 0) return;
  const std::string what = failure_report(s);
  if (s.protocol_error_count) throw ProtocolError(what, s.errors, s.protocol_errors);
  throw RunError(what, s.errors);
}

}  // namespace nmtwin::hostlink
