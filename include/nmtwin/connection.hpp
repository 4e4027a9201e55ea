// Connection: runs a Program on one FPGA. connect() makes one for a URL; its
// transport (ARQ over UDP, or in-process to the simulator) implements
// send/receive, and run() is the same for all of them.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nmtwin/connection_stats.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"

namespace nmtwin::hostlink {

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection();

  /// Sends the program with a halt carrying a fresh cookie, then collects
  /// responses until that halt's echo: read answers go to the tickets (matched
  /// by tag), spikes to program.received_spikes(). Throws RunError if any
  /// instruction failed, ProtocolError if a response broke the protocol,
  /// TimeoutError if no response arrived for timeout().
  void run(Program& program);

  /// run() in two halves, so that one host drives several FPGAs at once (programs
  /// that wait for each other, e.g. on a global interrupt): start() sends the
  /// program; poll() handles what arrived within `wait` and returns true once the
  /// run is complete (then it throws what run() would throw). One run at a time per
  /// connection: start() during a run throws std::logic_error.
  void start(Program& program);
  bool poll(Program& program, std::chrono::steady_clock::duration wait);
  /// True between start() and the poll() that completed (or failed) the run.
  bool running() const { return pending_.has_value(); }

  /// The longest the run waits without any response word arriving. A simulated
  /// FPGA runs slower than real time, hence the generous default.
  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  std::chrono::milliseconds timeout() const { return timeout_; }

  /// Where the FPGA is, for messages: "sim:node0", "udp://127.0.0.1:5000".
  virtual std::string endpoint() const = 0;
  /// What the link under this connection carried and repaired so far.
  virtual const ConnectionStats& stats() const = 0;

 protected:
  virtual void send(std::span<const std::uint64_t> words) = 0;
  /// Waits until at least one response word is available or `deadline` passes;
  /// appends the words to `out`; returns false on deadline.
  virtual bool receive(std::vector<std::uint64_t>& out, std::chrono::steady_clock::time_point deadline) = 0;
  /// For a transport whose link was reset (nothing in flight survives): forget
  /// the words kept from the last run and stop waiting for a timed-out halt.
  void reset_stream();
  /// Cookie of the halt that resynchronizes after a link reset: random unless fixed
  /// here, so that the echo of another host's program is not taken for ours. An
  /// in-process link (no other host) fixes it to stay deterministic.
  void fix_resync_cookie(std::uint16_t cookie) { fixed_resync_cookie_ = cookie; }
  /// The clock of the timeout: wall time, or the transport's own (simulated) clock.
  virtual std::chrono::steady_clock::time_point now() const { return std::chrono::steady_clock::now(); }
  /// For a transport that just (re)took the link while the FPGA may still run an
  /// earlier program, this host's or another's: sends a halt with a random
  /// cookie and discards every response word up to its echo, so no late answer
  /// is taken for the next run's. Later runs count their cookies on from there.
  /// Throws TimeoutError when the echo does not come within timeout().
  void resynchronize();

 private:
  enum class Step { more, halted };
  struct Pending {
    Program* program;
    std::uint16_t cookie;
    std::chrono::steady_clock::time_point deadline;  // of the timeout
  };
  bool poll_once(Program& program, std::chrono::steady_clock::duration wait);
  void fail_run(Program& program);
  // Hands the words kept from the last run, then every word received, to is_last
  // until it returns true (then keeps the words after that one for the next run and
  // returns true) or `until` passes (returns false). `deadline` moves on with every
  // word received; once no word arrived for timeout(), calls timed_out().
  template <typename IsLast, typename TimedOut>
  bool receive_through(std::chrono::steady_clock::time_point& deadline, std::chrono::steady_clock::time_point until,
                       IsLast is_last, TimedOut timed_out);
  Step handle(std::uint64_t word, std::uint16_t cookie, Program& program);
  [[noreturn]] void time_out(Program& program, std::uint16_t cookie);

  std::chrono::milliseconds timeout_{10'000};
  std::optional<std::uint16_t> fixed_resync_cookie_;
  std::uint16_t next_cookie_ = 0;
  std::uint64_t halt_systime_ = 0;  // of the halt echo handle() just saw
  // Words that arrived after the last halt echo in the same batch; the next run
  // takes them first, so spikes that fired after a halt are not lost.
  std::vector<std::uint64_t> carry_;
  // Cookie of the latest run that timed out: until its halt echo arrives, the
  // words on the link are answers to that abandoned program, not to this one.
  std::optional<std::uint16_t> abandoned_;
  std::optional<Pending> pending_;
};

}  // namespace nmtwin::hostlink
