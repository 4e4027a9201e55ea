#include "nmtwin/errors.hpp"

namespace nmtwin::hostlink {

RunError::RunError(const std::string& what, std::vector<InstructionError> errors,
                   std::vector<std::string> protocol_errors)
    : std::runtime_error(what),
      details_(std::make_shared<Details>(Details{std::move(errors), std::move(protocol_errors)})) {}

const std::vector<InstructionError>& RunError::errors() const noexcept { return details_->errors; }

const std::vector<std::string>& RunError::protocol_errors() const noexcept { return details_->protocol_errors; }

std::size_t RunError::index() const {
  if (errors().empty())
    throw std::logic_error(
        "RunError::index: no instruction failed, the response stream broke "
        "the protocol; see protocol_errors()");
  return errors().front().index;
}

spec::ErrorReason RunError::reason() const {
  if (errors().empty())
    throw std::logic_error(
        "RunError::reason: no instruction failed, the response stream broke "
        "the protocol; see protocol_errors()");
  return errors().front().reason;
}

TimeoutError::TimeoutError(const std::string& what, std::size_t missing)
    : std::runtime_error(what), missing_(missing) {}

std::string detail::plural(std::size_t n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

}  // namespace nmtwin::hostlink
