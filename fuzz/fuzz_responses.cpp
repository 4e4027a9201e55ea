// fuzz_responses: response-word decoding and the matching of answers to reads by tag
// (hostlink/response.cpp, ticket.cpp, program.cpp, connection.cpp; program_state.hpp),
// fed with arbitrary response words from "the FPGA".
//
// Input: a shape byte and a u16, then batches of response words.
//   shape: bits 0-1 choose what goes between the reads (nothing, nops, writes, spikes);
//          bit 2: a barrier in the middle; bits 3-7: a second program of that many reads
//          runs after the first on the same connection (answers carried over, abandoned
//          runs' echoes).
//   u16 % 2048: reads in the first program.
//   batch: a byte n, then (n % 32) + 1 big-endian u64 words, delivered in one receive().
// Once the input is used up nothing more arrives: the connection's timeout (simulated
// time) ends the run.
// Expected outcomes: RunError, ProtocolError, TimeoutError from the run and from
// Ticket::value() (after a completed run), ProtocolError from decode_response.
// Findings: any other exception (a std::logic_error from a ticket of a completed run
// among them), a sanitizer report, an answered ticket whose value was never sent.
#include <chrono>
#include <cstdint>
#include <set>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/response.hpp"
#include "nmtwin/ticket.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::hostlink;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ScriptConnection : public Connection {
 public:
  explicit ScriptConnection(fuzz::FuzzInput& in) : in_(in) { set_timeout(100ms); }
  std::string endpoint() const override { return "fuzz:fpga0"; }
  const ConnectionStats& stats() const override { return stats_; }
  // Every read_data value the FPGA sent: an answered ticket must hold one of them.
  std::set<std::uint32_t> values_sent;

 protected:
  void send(std::span<const std::uint64_t> words) override { stats_.words_sent += words.size(); }
  bool receive(std::vector<std::uint64_t>& out, Clock::time_point deadline) override {
    if (in_.done()) {
      now_ = std::max(now_, deadline);
      return false;
    }
    const unsigned n = in_.u8() % 32 + 1;
    for (unsigned i = 0; i < n && !in_.done(); ++i) {
      const std::uint64_t word = in_.u64();
      try {
        const Response response = decode_response(word);
        if (const auto* answer = std::get_if<spec::resp::ReadData>(&response))
          values_sent.insert(static_cast<std::uint32_t>(answer->data));
      } catch (const ProtocolError&) {
        // a malformed word: the run reports it
      }
      out.push_back(word);
    }
    now_ += 1us;
    return true;
  }
  Clock::time_point now() const override { return now_; }

 private:
  fuzz::FuzzInput& in_;
  ConnectionStats stats_;
  Clock::time_point now_ = Clock::time_point(Clock::duration(1h));
};

struct Built {
  Program program;
  std::vector<Ticket> tickets;
};

Built build(unsigned reads, unsigned between, bool barrier) {
  Built b;
  for (unsigned i = 0; i < reads; ++i) {
    b.tickets.push_back(b.program.read(0x8000'0000u + 4 * (i % 64)));
    switch (between) {
      case 1:
        b.program.nop();
        break;
      case 2:
        b.program.write(0x8000'0100u, i);
        break;
      case 3:
        b.program.spike(static_cast<std::uint16_t>(i));
        break;
      default:
        break;
    }
    if (barrier && i == reads / 2) b.program.barrier();
  }
  return b;
}

// Runs `b` and checks what its tickets say afterwards.
void run(ScriptConnection& connection, Built& b) {
  bool completed = true;
  try {
    connection.run(b.program);
  } catch (const TimeoutError&) {
    completed = false;
  } catch (const RunError&) {
    // failed instructions or a broken protocol, reported: expected
  }
  if (!completed) return;  // Ticket::value() of a timed-out run is a logic_error by design
  for (const Ticket& ticket : b.tickets) {
    try {
      const std::uint32_t value = ticket.value();
      if (!connection.values_sent.contains(value)) fuzz::finding("a ticket holds a value the FPGA never sent");
    } catch (const RunError&) {
      // this read failed or got no answer: expected
    }
    (void)ticket.address();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t shape = in.u8();
  const unsigned reads = in.u16() % 2048;
  ScriptConnection connection(in);
  Built first = build(reads, shape & 3, shape & 4);
  run(connection, first);
  if (const unsigned second_reads = shape >> 3) {
    Built second = build(second_reads, 0, false);
    run(connection, second);
  }
  return 0;
}
