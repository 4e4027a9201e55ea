// Cancelling a long blocking call from the thread that made it (the Python bindings
// turn Ctrl-C into this; docs/python.md, "Ctrl-C"). The blocking loops of the host
// library (the ARQ transport's receive) and of the in-process simulator (a link that runs
// the simulation while it waits) call check_cancel() where nothing received can be lost;
// a check that throws ends the call there. Connection::poll/run then abandon the program
// as after a timeout: the FPGA finishes it, and the next run on the connection discards
// its answers up to its halt echo.
#pragma once
#include <chrono>
#include <functional>
#include <stdexcept>

namespace nmtwin::hostlink {

/// What a cancel check throws when it has nothing more specific.
class Cancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// While it exists, check_cancel() on this thread calls `check` at most once per
/// `interval` of wall time; `check` throws to cancel. Scopes nest (the inner one
/// counts); destroy them in reverse order, on the thread that made them.
class CancelScope {
 public:
  explicit CancelScope(std::function<void()> check,
                       std::chrono::steady_clock::duration interval = std::chrono::milliseconds(20));
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  friend void check_cancel();
  std::function<void()> check_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point last_;
  CancelScope* outer_;
};

/// Runs this thread's innermost check when its interval has passed; nothing without a
/// scope (one thread-local load).
void check_cancel();

}  // namespace nmtwin::hostlink
