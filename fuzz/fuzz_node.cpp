// fuzz_node: the Verilated node itself (sim::Simulation, sim::Node: the FPGA's RTL with the
// chip model and its processor), through the in-process link (sim/host/memory_link.*) and
// the host's own ARQ transport, fed arbitrary datagrams and arbitrary instruction words.
//
// Input: records, each a tag byte:
//   tag % 4 == 0: a raw datagram for the data port (u16 big-endian length, then the bytes);
//             1: a raw datagram for the reset port (same form);
//             2: (tag / 4) % 32 + 1 instruction words (big-endian u64 each), sent in order
//                by the host's ARQ transport (hostlink::ArqTransport over a MemoryLink);
//             3: the simulation runs (tag / 4 + 1) x 256 cycles.
// Instruction words are as fuzzed, except where the words themselves may legitimately
// keep the executor busy for longer than the watchdog: a wait_until's time is cut to 12
// bits (4096 cycles after the last timer reset) and a barrier never waits for a global
// interrupt (which a single node never gets). This holds for every word of a raw data
// datagram that is a well-formed frame too (the FPGA takes one whose SEQ is the next it
// expects), whose writes also become nops: each record leaves the word stream at an
// instruction boundary (a write's data word is added to a record that ends between the
// two), so that the check's halt is taken as a halt. (A reset does not end a write whose
// data word never came: the next session's first word completes it; docs/reliability.md.)
// Expected outcomes: LinkError from the transport while the fuzzed datagrams confuse its
// session (another "host" talking on the same port looks so to it).
// Findings (no hang, no crash, every bad datagram counted): a sanitizer report or crash;
// afterwards a fresh connection (reset, CFG, the halt that resynchronizes) must get
// through and a program reading the ARQ drop counters must complete, all within
// `watchdog_cycles` of simulated time; the counters must count at least the malformed
// datagrams sent (unless a fuzzed write could have cleared them).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "hostlink/arq_frame.hpp"
#include "hostlink/arq_transport.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/ticket.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/simulation.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::hostlink;
namespace instr = spec::instr;

// The simulated time a fresh connection and one short program get after the input: far
// more than a node that works needs (a few thousand cycles), far less than a run.
constexpr std::uint64_t watchdog_cycles = 2'000'000;
constexpr auto watchdog = std::chrono::nanoseconds(watchdog_cycles * spec::cycle_ns);

std::uint64_t tame(std::uint64_t w) {
  switch (instr::selector(w)) {
    case instr::Opcode::wait_until: {
      constexpr std::uint64_t time = (std::uint64_t{1} << instr::WaitUntil::time_width) - 1;
      return (w & ~time) | (w & 0xFFF);
    }
    case instr::Opcode::barrier:
      return w & ~(std::uint64_t{1} << instr::Barrier::global_interrupt_lsb);
    default:
      return w;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  sim::Simulation simulation(sim::SimulationConfig{.threads = 1});
  std::uint64_t malformed_data = 0, malformed_reset = 0;
  bool wrote = false;
  {
    sim::MemoryLink link(simulation);
    ArqTransport transport(link);
    bool session = true;
    try {
      transport.handshake();
    } catch (const LinkError&) {
      fuzz::finding("the node did not answer the first reset");
    }
    std::vector<std::uint64_t> received;
    while (!in.done()) {
      const std::uint8_t tag = in.u8();
      switch (tag % 4) {
        case 0:
        case 1: {
          const auto bytes = in.take(in.u16());
          Datagram d(bytes.begin(), bytes.end());
          if (tag % 4 == 1) {
            malformed_reset += !is_reset(d);
          } else {
            auto decoded = decode_datagram(d);
            malformed_data += std::holds_alternative<MalformedFrame>(decoded);
            if (auto* frame = std::get_if<ArqFrame>(&decoded)) {
              for (auto& w : frame->words) {
                w = tame(w);
                if (instr::selector(w) == instr::Opcode::write)
                  w &= ~(std::uint64_t{0xFF} << instr::selector_lsb);  // opcode 0: nop
              }
              d = encode_frame(frame->ack, frame->seq, static_cast<spec::arq::Ptype>(frame->ptype), frame->words);
            }
          }
          link.send(tag % 4 == 1 ? Port::reset : Port::data, d);
          break;
        }
        case 2: {
          std::vector<std::uint64_t> words((tag / 4) % 32 + 1);
          bool data_word_owed = false;
          for (auto& w : words) {
            w = tame(in.u64());  // a write's data word too: its value may change, it stays a data word
            if (data_word_owed) {
              data_word_owed = false;
            } else {
              data_word_owed = instr::selector(w) == instr::Opcode::write;
              wrote |= data_word_owed;
            }
          }
          if (data_word_owed) words.push_back(0);
          if (session) {
            try {
              transport.send(words);
            } catch (const LinkError&) {
              session = false;  // the fuzzed datagrams broke this session: expected
            }
          }
          break;
        }
        default:
          simulation.run((tag / 4 + 1) * 256u);
          break;
      }
      if (session) {
        try {
          transport.receive(received, link.now());  // keeps the session going, never waits
        } catch (const LinkError&) {
          session = false;
        }
      }
    }
  }

  // The node must still work: a new host connects and runs a program.
  const std::uint64_t start = simulation.cycle();
  std::optional<sim::InProcessConnection> connection;
  const auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "after %llu cycles of the input, %llu of the check: %s\n",
                 static_cast<unsigned long long>(start), static_cast<unsigned long long>(simulation.cycle() - start),
                 what.c_str());
    if (connection) {
      const ConnectionStats& st = connection->stats();
      std::fprintf(stderr,
                   "the check's connection: %llu resets sent, %llu frames sent, %llu retransmits, "
                   "%llu timeouts, %llu frames and %llu words received, %llu dropped\n",
                   static_cast<unsigned long long>(st.resets_sent), static_cast<unsigned long long>(st.frames_sent),
                   static_cast<unsigned long long>(st.retransmits), static_cast<unsigned long long>(st.timeouts),
                   static_cast<unsigned long long>(st.frames_received),
                   static_cast<unsigned long long>(st.words_received), static_cast<unsigned long long>(st.dropped));
    }
    fuzz::finding("the node does not serve a new connection within the watchdog after the input");
  };
  try {
    ConnectOptions options;
    options.resync_cookie = 0x5eed;
    connection.emplace(simulation, 0, options);
    connection->set_timeout(std::chrono::duration_cast<std::chrono::milliseconds>(watchdog));
    Program p;
    const Ticket drop_short = p.read(spec::fpga_reg::arq_drop_short);
    const Ticket drop_length = p.read(spec::fpga_reg::arq_drop_length);
    const Ticket drop_reset = p.read(spec::fpga_reg::arq_drop_reset);
    connection->run(p);
    if (simulation.cycle() - start > watchdog_cycles) fail("served, but only after the watchdog");
    if (!wrote && drop_short.value() + std::uint64_t{drop_length.value()} < malformed_data)
      fuzz::finding("malformed datagrams on the data port were not counted");
    if (!wrote && drop_reset.value() < malformed_reset)
      fuzz::finding("bad datagrams on the reset port were not counted");
  } catch (const std::exception& e) {
    fail(e.what());
  }
  return 0;
}
