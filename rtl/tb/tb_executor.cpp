// Bench for the executor: decode and handshakes in program order under random
// stalls, exact wait_until timing, barrier and halt conditions, error
// responses, the instruction index and the abort of a reset host link.
#include <boost/test/unit_test.hpp>

#include <deque>
#include <sstream>
#include <string>
#include <vector>

#include "Vexecutor.h"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
namespace I = spec::instr;
namespace R = spec::resp;
using nmtwin::tb::chance;
using nmtwin::tb::Harness;
using nmtwin::tb::rand_bits;

namespace {

/// What the executor handed to a neighbour, as comparable text.
struct Event {
  std::string what;
  std::uint64_t systime;
};

std::uint64_t reason(spec::ErrorReason r) { return static_cast<std::uint64_t>(r); }

class Exec {
 public:
  explicit Exec(const std::string& name) : h(name) {
    h->bus_busy_i = 0;
    h->resp_queue_empty_i = 1;
    h->bus_queue_empty_i = 1;
  }
  Harness<Vexecutor> h;
  std::deque<std::uint64_t> instr;
  std::vector<Event> events;
  double bus_p = 1.0, chip_p = 1.0, resp_p = 1.0;
  unsigned instructions = 0, late = 0;

  std::uint64_t now() { return h.cycle(); }
  void step() {
    auto& d = h.dut();
    d.systime_i = now();
    d.instr_valid_i = !instr.empty();
    d.instr_data_i = instr.empty() ? 0 : instr.front();
    d.bus_ready_i = chance(bus_p);
    d.chip_ready_i = chance(chip_p);
    d.resp_ready_i = chance(resp_p);
    h.settle();
    std::ostringstream e;
    if (d.bus_valid_o && d.bus_ready_i) {
      if (d.bus_write_o)
        e << "write " << std::hex << d.bus_addr_o << " " << d.bus_wdata_o << " be" << int(d.bus_be_o);
      else
        e << "read " << std::hex << d.bus_addr_o << " tag" << d.bus_tag_o;
      e << std::dec << " #" << d.bus_index_o;
    }
    if (d.spikes_valid_o && d.chip_ready_i)
      e << "spikes " << int(d.spikes_count_o) << " " << std::hex << d.spikes_labels_o;
    if (d.sync_valid_o && d.chip_ready_i) e << "sync";
    if (d.resp_valid_o && d.resp_ready_i) {
      const std::uint64_t w = d.resp_data_o;
      if (R::selector(w) == R::ResponseType::halt) {
        e << "halt " << R::Halt::decode(w).cookie << " @" << R::Halt::decode(w).systime;
      } else {
        const auto er = R::Error::decode(w);
        e << "error r" << er.reason << " d" << er.detail << " #" << er.index;
      }
    }
    if (!e.str().empty()) events.push_back({e.str(), now()});
    instructions += d.instr_o;
    late += d.late_wait_o;
    if (d.instr_valid_i && d.instr_ready_o) instr.pop_front();
    h.rise();
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  void run_until_idle(std::uint64_t limit = 100000) {
    for (std::uint64_t i = 0; i < limit && !(instr.empty() && h->idle_o); ++i) step();
    run(4);
  }
  std::vector<std::string> what() const {
    std::vector<std::string> v;
    for (const auto& e : events) v.push_back(e.what);
    return v;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(instructions_reach_their_units_in_program_order_under_random_stalls) {
  Exec x("program_order");
  x.bus_p = 0.3;
  x.chip_p = 0.4;
  x.resp_p = 0.5;
  std::vector<std::string> want;
  std::uint32_t index = 0;
  const auto err = [&](spec::ErrorReason r, std::uint64_t detail) {
    return "error r" + std::to_string(reason(r)) + " d" + std::to_string(detail) + " #" + std::to_string(index);
  };
  for (int n = 0; n < 400; ++n, ++index) {
    std::ostringstream e;
    switch (rand_bits(4) % 8) {
      case 0:
        x.instr.push_back(I::Nop{}.encode());
        continue;
      case 1: {
        const I::Read r{.tag = rand_bits(16), .addr = rand_bits(32)};
        x.instr.push_back(r.encode());
        e << "read " << std::hex << r.addr << " tag" << r.tag << std::dec << " #" << index;
        break;
      }
      case 2: {
        const I::Write w{.byte_enable = rand_bits(4), .addr = rand_bits(32)};
        const I::WriteData d{.data = rand_bits(32)};
        x.instr.push_back(w.encode());
        x.instr.push_back(d.encode());
        e << "write " << std::hex << w.addr << " " << d.data << " be" << w.byte_enable << std::dec << " #" << index;
        break;
      }
      case 3: {
        const I::Spikes s{
            .count = rand_bits(2), .label2 = rand_bits(16), .label1 = rand_bits(16), .label0 = rand_bits(16)};
        x.instr.push_back(s.encode());
        if (s.count == 0)
          e << err(spec::ErrorReason::bad_operand, static_cast<std::uint64_t>(I::Opcode::spikes));
        else
          e << "spikes " << s.count << " " << std::hex << (s.label2 << 32 | s.label1 << 16 | s.label0);
        break;
      }
      case 4:
        x.instr.push_back(I::SystimeSync{}.encode());
        e << "sync";
        break;
      case 5: {
        const std::uint64_t op = 0x09 + rand_bits(8) % 0xF7;  // past the last opcode
        x.instr.push_back(op << I::selector_lsb | rand_bits(56));
        e << err(spec::ErrorReason::unknown_opcode, op);
        break;
      }
      case 6:
        x.instr.push_back(I::Barrier{.reads = 1}.encode());
        continue;
      default:
        x.instr.push_back(I::Barrier{.reads = 0}.encode() | std::uint64_t{1}
                                                                << (2 + rand_bits(5)));  // no such condition
        e << err(spec::ErrorReason::bad_operand, static_cast<std::uint64_t>(I::Opcode::barrier));
        break;
    }
    want.push_back(e.str());
  }
  x.run_until_idle();
  BOOST_TEST(x.what() == want, boost::test_tools::per_element());
  BOOST_TEST(x.instructions == index);
}

BOOST_AUTO_TEST_CASE(wait_until_resumes_on_the_exact_cycle) {
  for (std::uint64_t t : {1ull, 2ull, 17ull, 1000ull}) {
    Exec x("wait_until");
    x.instr = {I::TimerReset{}.encode(), I::WaitUntil{.time = t}.encode(), I::SystimeSync{}.encode()};
    x.run_until_idle();
    const std::uint64_t base = x.h->timer_base_o;
    BOOST_REQUIRE_EQUAL(x.events.size(), 1u);
    BOOST_TEST(x.events[0].systime == base + t, "wait_until(" << t << ")");
    BOOST_TEST(x.late == 0u);
  }
}

BOOST_AUTO_TEST_CASE(a_wait_for_a_time_already_reached_is_late_and_does_not_wait) {
  Exec x("late");
  x.instr = {I::TimerReset{}.encode(),         I::Nop{}.encode(),        I::Nop{}.encode(), I::Nop{}.encode(),
             I::WaitUntil{.time = 2}.encode(), I::SystimeSync{}.encode()};
  x.run_until_idle();
  const std::uint64_t base = x.h->timer_base_o;
  // Nops at timer 0..2, the wait at 3 (late), the sync at once.
  BOOST_REQUIRE_EQUAL(x.events.size(), 1u);
  BOOST_TEST(x.events[0].systime == base + 4);
  BOOST_TEST(x.late == 1u);
}

BOOST_AUTO_TEST_CASE(barrier_and_halt_wait_for_their_conditions) {
  Exec x("barrier_halt");
  x.h->bus_busy_i = 1;
  x.instr = {I::Barrier{.reads = 1}.encode(), I::SystimeSync{}.encode()};
  x.run(20);
  BOOST_TEST(x.events.empty());
  x.h->bus_busy_i = 0;
  x.run(5);
  BOOST_REQUIRE_EQUAL(x.events.size(), 1u);

  x.events.clear();
  x.h->bus_queue_empty_i = 0;
  x.instr = {I::Halt{.cookie = 0xBEEF}.encode(), std::uint64_t{0xFE} << I::selector_lsb};
  x.run(20);
  BOOST_TEST(x.events.empty());
  x.h->bus_queue_empty_i = 1;
  x.h->resp_queue_empty_i = 0;
  x.run(20);
  BOOST_TEST(x.events.empty());
  x.h->resp_queue_empty_i = 1;
  x.run(5);
  BOOST_REQUIRE_EQUAL(x.events.size(), 2u);
  BOOST_TEST(x.events[0].what == "halt 48879 @" + std::to_string(x.events[0].systime));
  // The index restarts after the halt.
  BOOST_TEST(x.events[1].what == "error r1 d254 #0");
}

BOOST_AUTO_TEST_CASE(a_global_interrupt_barrier_executes_on_the_firing_cycle) {
  Exec x("gi_barrier");
  x.instr = {I::Barrier{.global_interrupt = 1}.encode(), I::SystimeSync{}.encode()};
  x.run(30);  // no firing: the barrier waits, however long
  BOOST_TEST(x.events.empty());
  BOOST_TEST(!x.h->idle_o);
  // A pulse on cycle f releases it: the next instruction executes on f + 1.
  x.h->gi_fire_i = 1;
  const std::uint64_t f = x.now();
  x.step();
  x.h->gi_fire_i = 0;
  x.run(5);
  BOOST_REQUIRE_EQUAL(x.events.size(), 1u);
  BOOST_TEST(x.events[0].what == "sync");
  BOOST_TEST(x.events[0].systime == f + 1);
  // A firing before the barrier reaches the head is remembered: it passes at once,
  // and only once.
  x.events.clear();
  x.h->gi_fire_i = 1;
  x.step();
  x.h->gi_fire_i = 0;
  x.run(10);
  x.instr = {I::Barrier{.global_interrupt = 1}.encode(), I::SystimeSync{}.encode(),
             I::Barrier{.global_interrupt = 1}.encode(), I::SystimeSync{}.encode()};
  x.run(30);
  BOOST_TEST(x.events.size() == 1u);
}

BOOST_AUTO_TEST_CASE(idle_only_with_an_empty_fifo_and_no_wait) {
  Exec x("idle");
  x.run(3);
  x.h.settle();
  BOOST_TEST(x.h->idle_o);
  x.instr = {I::TimerReset{}.encode(), I::WaitUntil{.time = 50}.encode()};
  x.run(10);
  x.h.settle();
  BOOST_TEST(!x.h->idle_o);
  x.run(50);
  x.h.settle();
  BOOST_TEST(x.h->idle_o);
}

// The host link was reset (arq_engine clear_o): whatever the executor waits for, it
// stops, drops its queued words and counts instructions from 0 again.
BOOST_AUTO_TEST_CASE(an_abort_ends_a_wait_or_a_barrier_and_drops_the_queued_words) {
  Exec x("abort");
  const std::uint64_t bad = std::uint64_t{0xFE} << I::selector_lsb;
  const std::vector<std::vector<std::uint64_t>> stuck = {
      {I::TimerReset{}.encode(), I::WaitUntil{.time = std::uint64_t{1} << 40}.encode()},
      {I::Barrier{.global_interrupt = 1}.encode()}};
  for (const auto& program : stuck) {
    x.instr.assign(program.begin(), program.end());
    for (int i = 0; i < 3; ++i) x.instr.push_back(I::SystimeSync{}.encode());  // must never run
    x.run(50);
    x.h.settle();
    BOOST_TEST(!x.h->idle_o);
    BOOST_TEST(x.instr.empty());  // all of it queued in the executor
    x.h->abort_i = 1;
    x.step();
    x.h->abort_i = 0;
    x.h.settle();
    BOOST_TEST(x.h->idle_o);
    x.instr = {bad};  // the next host's first instruction has index 0
    x.run(10);
    BOOST_TEST(x.what() == std::vector<std::string>{"error r1 d254 #0"});
    x.events.clear();
  }
}
