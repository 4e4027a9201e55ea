#include "nmtwin/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <utility>
#include <variant>

#include "nmtwin/response.hpp"

namespace nmtwin::hostlink {

using Clock = std::chrono::steady_clock;

Connection::~Connection() = default;

void Connection::reset_stream() {
  carry_.clear();
  abandoned_.reset();
}

namespace {

bool is_halt_echo(std::uint64_t word, std::uint16_t cookie) {
  try {
    const Response response = decode_response(word);
    const auto* halt = std::get_if<spec::resp::Halt>(&response);
    return halt && halt->cookie == cookie;
  } catch (const ProtocolError&) {
    return false;  // a word of before the takeover, discarded like the others
  }
}

}  // namespace

template <typename IsLast, typename TimedOut>
bool Connection::receive_through(Clock::time_point& deadline, Clock::time_point until, IsLast is_last,
                                 TimedOut timed_out) {
  std::vector<std::uint64_t> batch = std::exchange(carry_, {});
  for (bool waited = false;;) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (is_last(batch[i])) {
        carry_.assign(batch.begin() + static_cast<std::ptrdiff_t>(i) + 1, batch.end());
        return true;
      }
    }
    // The clock, not receive()'s result, decides: an early return cannot end the run.
    if (!batch.empty()) deadline = now() + timeout_;
    if (now() >= deadline) timed_out();
    if (waited && now() >= until) return false;
    batch.clear();
    receive(batch, std::min(until, deadline));
    waited = true;
  }
}

void Connection::resynchronize() {
  reset_stream();
  const auto cookie = fixed_resync_cookie_ ? *fixed_resync_cookie_ : static_cast<std::uint16_t>(std::random_device{}());
  next_cookie_ = static_cast<std::uint16_t>(cookie + 1);
  const std::uint64_t halt = spec::instr::Halt{.cookie = cookie}.encode();
  send(std::span(&halt, 1));
  auto deadline = now() + timeout_;
  receive_through(
      deadline, Clock::time_point::max(), [&](std::uint64_t word) { return is_halt_echo(word, cookie); },
      [&] {
        throw TimeoutError(fmt::format("no echo from {} for {} ms of the halt (cookie {}) that follows a link reset: "
                                       "the FPGA looks stuck; if it is only slow, raise the timeout with "
                                       "Connection::set_timeout",
                                       endpoint(), timeout_.count(), cookie),
                           1);
      });
}

void Connection::run(Program& program) {
  start(program);
  while (!poll(program, timeout_)) {
  }
}

void Connection::start(Program& program) {
  if (pending_)
    throw std::logic_error(
        fmt::format("Connection::start on {}: the previous run has not completed; poll() it first", endpoint()));
  const std::uint16_t cookie = next_cookie_++;
  program.begin_run(endpoint());
  try {
    send(program.encode(cookie));
  } catch (...) {
    program.abandon_run();
    throw;
  }
  pending_ = Pending{&program, cookie, now() + timeout_};
}

bool Connection::poll(Program& program, Clock::duration wait) {
  if (!pending_ || pending_->program != &program)
    throw std::logic_error(fmt::format("Connection::poll on {}: this program was not started here", endpoint()));
  try {
    return poll_once(program, wait);
  } catch (...) {
    if (pending_) fail_run(program);  // else the run completed and reports its own errors
    throw;
  }
}

// The FPGA may still be executing a failed program: its answers, up to its halt echo,
// must not be taken for the next run's.
void Connection::fail_run(Program& program) {
  program.abandon_run();
  abandoned_ = pending_->cookie;
  pending_.reset();
}

bool Connection::poll_once(Program& program, Clock::duration wait) {
  const auto until = std::min(pending_->deadline, now() + wait);
  if (!receive_through(
          pending_->deadline, until,
          [&](std::uint64_t word) { return handle(word, pending_->cookie, program) == Step::halted; },
          [&] { time_out(program, pending_->cookie); }))
    return false;
  pending_.reset();
  program.finish_run(halt_systime_);
  return true;
}

Connection::Step Connection::handle(std::uint64_t word, std::uint16_t cookie, Program& program) {
  Response response;
  try {
    response = decode_response(word);
  } catch (const ProtocolError& e) {
    program.reject(e.what());
    return Step::more;
  }
  if (const auto* spike = std::get_if<spec::resp::Spike>(&response)) {
    program.accept(*spike);  // the chip fires whenever it likes: always this run's
    return Step::more;
  }
  if (const auto* sample = std::get_if<spec::resp::Sample>(&response)) {
    program.accept(*sample);  // the sampler runs whenever it is on: always this run's
    return Step::more;
  }
  if (const auto* halt = std::get_if<spec::resp::Halt>(&response)) {
    if (abandoned_) {
      if (halt->cookie == *abandoned_) abandoned_.reset();
      return Step::more;  // this or an older abandoned program ended
    }
    if (halt->cookie != cookie) {
      program.reject(
          fmt::format("response {}: halt echo with cookie {}, but this run's halt has "
                      "cookie {}",
                      hex_word(word), halt->cookie, cookie));
      return Step::more;
    }
    halt_systime_ = halt->systime;
    return Step::halted;
  }
  if (abandoned_) return Step::more;  // an answer to the abandoned program
  if (const auto* answer = std::get_if<spec::resp::ReadData>(&response))
    program.accept(*answer);
  else
    program.accept(std::get<spec::resp::Error>(response));
  return Step::more;
}

void Connection::time_out(Program& program, std::uint16_t cookie) {
  const std::size_t reads = program.missing_answers();
  std::string what = fmt::format(
      "no response from {} for {} ms; responses still missing: {} (the halt echo with cookie {} "
      "and {}) of a program of {}",
      endpoint(), timeout_.count(), reads + 1, cookie, detail::plural(reads, "read answer"),
      detail::plural(program.size(), "instruction"));
  if (abandoned_)
    what += fmt::format(
        "; nor has the halt echo of an earlier timed-out program (cookie {}) "
        "arrived, so the FPGA looks stuck",
        *abandoned_);
  what +=
      "; if it is only slow (a simulated FPGA runs slower than real time), raise the timeout "
      "with Connection::set_timeout";
  throw TimeoutError(what, reads + 1);
}

}  // namespace nmtwin::hostlink
