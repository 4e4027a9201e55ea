#include "nmtwin/ticket.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "hostlink/program_state.hpp"

namespace nmtwin::hostlink {

namespace instr = spec::instr;
using detail::describe_at;
using detail::ProgramState;
using detail::ReadSlot;
using detail::ReadStatus;
using detail::reason_text;
using detail::RunStatus;
using detail::tag_space;
using detail::word_offset;

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

}  // namespace nmtwin::hostlink
