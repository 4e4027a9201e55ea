// Exceptions thrown by Connection::run, by Ticket::value and by the transports.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink {

/// One `error` response: instruction `index` of the program failed for `reason`.
/// `detail` is the read tag for reads, else the opcode (as the FPGA reported it).
struct InstructionError {
  std::size_t index;
  spec::ErrorReason reason;
  std::uint16_t detail;
  friend bool operator==(const InstructionError&, const InstructionError&) = default;
};

/// The program ran to its halt, but the FPGA reported errors. what() names the
/// endpoint, the first failing instruction with its neighbours and the reason.
class RunError : public std::runtime_error {
 public:
  explicit RunError(const std::string& what, std::vector<InstructionError> errors = {},
                    std::vector<std::string> protocol_errors = {});
  /// Every error response of the run, in arrival order.
  const std::vector<InstructionError>& errors() const noexcept;
  /// Responses that broke the protocol (first 100), each naming the word in hex.
  const std::vector<std::string>& protocol_errors() const noexcept;
  /// Index and reason of the first error response; std::logic_error if there was
  /// none (a pure ProtocolError).
  std::size_t index() const;
  spec::ErrorReason reason() const;

 private:
  struct Details {
    std::vector<InstructionError> errors;
    std::vector<std::string> protocol_errors;
  };
  std::shared_ptr<const Details> details_;  // shared: exceptions must copy without throwing
};

/// The response stream broke the protocol: a word of unknown type or with
/// reserved bits set, a read_data whose tag matches no outstanding read, an
/// error naming an instruction the program does not have, a read left unanswered.
class ProtocolError : public RunError {
 public:
  using RunError::RunError;
};

/// No response arrived for the connection's timeout while the run still waited.
class TimeoutError : public std::runtime_error {
 public:
  TimeoutError(const std::string& what, std::size_t missing);
  /// Responses still missing when the run gave up (read answers + the halt echo).
  std::size_t missing() const noexcept { return missing_; }

 private:
  std::size_t missing_;
};

/// The link to the FPGA failed: nothing listens at the endpoint, the handshake
/// found an incompatible FPGA, or the FPGA stopped answering retransmissions.
/// what() names the endpoint, what was expected and what to do.
class LinkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
/// "1 error", "3 errors": counts in messages.
std::string plural(std::size_t n, std::string_view noun);
}  // namespace detail

}  // namespace nmtwin::hostlink
