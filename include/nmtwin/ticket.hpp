// Ticket: the answer to one Program::read, valid once the program has run.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace nmtwin::hostlink {

namespace detail {
struct ProgramState;
}

/// The answer to one Program::read. Cheap to copy; shares state with its
/// program, so it stays valid after the Program is gone.
class Ticket {
 public:
  Ticket() = default;  ///< empty: value() throws
  /// True when value() returns a value: the run answered this read.
  bool ready() const;
  /// The data read. Throws std::logic_error before the run, RunError when the
  /// read failed, ProtocolError when the FPGA never answered it.
  std::uint32_t value() const;
  std::uint32_t address() const;
  std::size_t index() const;  ///< instruction index in the program
  std::uint16_t tag() const;

 private:
  friend class Program;
  Ticket(std::shared_ptr<const detail::ProgramState> state, std::uint32_t read);
  const detail::ProgramState& state(const char* caller) const;
  std::shared_ptr<const detail::ProgramState> state_;
  std::uint32_t read_ = 0;  // number of the read within the program
};

}  // namespace nmtwin::hostlink
