#include "nmtwin/program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "hostlink/program_state.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/response.hpp"

namespace nmtwin::hostlink {

namespace {

using detail::describe_at;
using detail::errors_listed;
using detail::failure_report;
using detail::max_instructions;
using detail::max_protocol_errors;
using detail::plural;
using detail::ProgramState;
using detail::ReadSlot;
using detail::ReadStatus;
using detail::RunStatus;
using detail::tag_space;
using detail::word_offset;
namespace instr = spec::instr;

instr::Opcode opcode_at(const ProgramState& s, std::size_t index) {
  return index == s.instructions ? instr::Opcode::halt : instr::selector(s.words[word_offset(s, index)]);
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

const std::vector<Sample>& Program::received_samples() const { return state_->samples; }

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
  s.samples.clear();
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

void Program::accept(const spec::resp::Sample& sample) {
  const auto code = static_cast<std::int16_t>(static_cast<std::uint16_t>(sample.value));
  state_->samples.push_back(
      {static_cast<std::uint16_t>(sample.neuron), code * std::int32_t{spec::chip::sample_lsb_uv}, sample.systime});
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
  for (Sample& sample : s.samples) sample.systime = sample_systime(sample.systime, halt_systime);
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
