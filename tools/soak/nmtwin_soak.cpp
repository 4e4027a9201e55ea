// nmtwin_soak: the load of `scripts/soak` (docs/reliability.md, "Soak") against one
// running `nmtwin sim --nodes 3`, for a given time, every result checked.
//
//   node 0, lane "clean":    read/write programs and the demo experiment over a clean link
//   node 1, lane "impaired": read/write programs through host-side loss, duplication, reordering
//   node 2, lane "chaos":    take-overs by a second client, raw resets by a third host,
//                            clients killed (SIGKILL) mid-program, sessions of malformed
//                            frames from the session's own host; after each, a good program
//   all nodes, "junk":       malformed datagrams from another host to every data and reset port
//
// Every read is compared with what the lane wrote; the demo's spikes and reads with an
// in-process run; every event's outcome with what docs/server.md says. The mix comes from
// --seed (each lane draws its own sequence of actions; how many of them run depends on
// the time each takes). Lines for the script, on stdout:
//   soak: counts elapsed_s=... rw=... ...     every --report-every seconds and at the end
//   soak: FAIL LANE KIND #N: what went wrong  at once, for every failure
//   soak: passed | soak: N failures           last line; exit status 0 | 1 (2: could not start)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <arpa/inet.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "experiment/demo_experiment.hpp"
#include "experiment/experiment.hpp"
#include "experiment/runner.hpp"
#include "experiment/system_runner.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/random.hpp"
#include "nmtwin/sim.hpp"
#include "nmtwin/spec.hpp"

namespace {

namespace hl = nmtwin::hostlink;
namespace spec = nmtwin::spec;
namespace rnd = nmtwin::random;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using Rng = rnd::Xoshiro256ss;

constexpr unsigned nodes = 3;
constexpr std::uint32_t id_value = 0x4E4D5457;  // spec: fpga register id
constexpr std::uint64_t forever = std::uint64_t{1} << 40;  // a wait no client sees the end of

// ---------------------------------------------------------------------------------------
// What happened, for the script.

struct Counts {
  std::atomic<std::uint64_t> rw{0}, demo{0}, impaired{0}, chaos_rw{0};
  std::atomic<std::uint64_t> takeover{0}, vanish{0}, reset{0}, gsession{0};
  std::atomic<std::uint64_t> junk{0}, session_junk{0}, failures{0};
};

class Report {
 public:
  explicit Report(Clock::time_point start) : start_(start) {}
  void fail(std::string_view lane, std::string_view kind, std::uint64_t n, std::string_view what) {
    ++counts.failures;
    std::string text(what);
    for (auto& c : text)
      if (c == '\n') c = ' ';
    line(fmt::format("soak: FAIL {} {} #{}: {}", lane, kind, n, text));
  }
  void note(std::string_view what) { line(fmt::format("soak: {}", what)); }
  void print_counts() {
    const double t = std::chrono::duration<double>(Clock::now() - start_).count();
    auto& c = counts;
    line(fmt::format("soak: counts elapsed_s={:.1f} rw={} demo={} impaired={} chaos_rw={} takeover={} vanish={} "
                     "reset={} gsession={} junk={} session_junk={} failures={}",
                     t, c.rw.load(), c.demo.load(), c.impaired.load(), c.chaos_rw.load(), c.takeover.load(),
                     c.vanish.load(), c.reset.load(), c.gsession.load(), c.junk.load(), c.session_junk.load(),
                     c.failures.load()));
  }
  Counts counts;

 private:
  void line(const std::string& text) {
    std::lock_guard lock(mutex_);
    std::cout << text << std::endl;
  }
  std::mutex mutex_;
  Clock::time_point start_;
};

// ---------------------------------------------------------------------------------------
// Read/write programs on the PPU mailbox (256 words behind the chip link) and the FPGA's
// scratch register, checked against what the lane wrote.

constexpr unsigned mailbox_words = spec::chip::ppu_mailbox::count;
constexpr unsigned scratch_slot = mailbox_words;  // model slot of the scratch register

struct Memory {
  std::array<std::optional<std::uint32_t>, mailbox_words + 1> words{};
  void forget() { words.fill(std::nullopt); }
};

struct Check {
  hl::Ticket ticket;
  std::uint32_t expected;
  unsigned slot;
};

struct RwProgram {
  hl::Program program;
  std::vector<Check> checks;
  std::uint64_t instructions = 0;
};

// `ops` reads and writes in a random order; a read is made only of a word whose value the
// lane knows. The model moves on as if the program ran (a failed run forgets it).
RwProgram build_rw(Rng& rng, Memory& model, unsigned ops) {
  RwProgram out;
  auto& p = out.program;
  for (unsigned i = 0; i < ops; ++i) {
    const unsigned slot = rnd::bernoulli(rng, 0.2) ? scratch_slot : rnd::uniform_int<unsigned>(rng, 0, mailbox_words - 1);
    auto& known = model.words[slot];
    const auto pick = rnd::uniform_int<unsigned>(rng, 0, 99);
    if (known && pick < 45) {
      const auto t = slot == scratch_slot ? p.read(spec::fpga_reg::scratch) : nmtwin::fw::read_mailbox(p, slot, 1).front();
      out.checks.push_back({t, *known, slot});
    } else if (pick < 95 || slot != scratch_slot) {
      const auto v = static_cast<std::uint32_t>(rng());
      if (slot == scratch_slot)
        p.write(spec::fpga_reg::scratch, v);
      else
        nmtwin::fw::write_mailbox(p, slot, std::span(&v, 1));
      known = v;
    } else {
      // A partial write of the scratch register: only the enabled bytes change.
      const auto v = static_cast<std::uint32_t>(rng());
      const auto be = rnd::uniform_int<std::uint8_t>(rng, 0, 15);
      p.write(spec::fpga_reg::scratch, v, be);
      if (known) {
        std::uint32_t merged = *known;
        for (unsigned b = 0; b < 4; ++b)
          if (be & (1u << b)) merged = (merged & ~(0xFFu << (8 * b))) | (v & (0xFFu << (8 * b)));
        known = merged;
      }
    }
    if (rnd::bernoulli(rng, 0.01)) p.barrier();
  }
  out.checks.push_back({p.read(spec::fpga_reg::id), id_value, ~0u});
  out.instructions = p.size();
  return out;
}

// Empty when every read matched; else the first mismatches.
std::string verify(const RwProgram& rw) {
  std::string problems;
  unsigned wrong = 0;
  for (const auto& c : rw.checks) {
    const auto got = c.ticket.value();
    if (got == c.expected) continue;
    if (++wrong <= 3)
      problems += fmt::format("{}{} read {:#010x}, expected {:#010x} (instruction {})", problems.empty() ? "" : "; ",
                              c.slot == ~0u           ? std::string("id")
                              : c.slot == scratch_slot ? std::string("scratch")
                                                       : fmt::format("mailbox word {}", c.slot),
                              got, c.expected, c.ticket.index());
  }
  if (wrong > 3) problems += fmt::format("; {} wrong reads in all", wrong);
  return problems;
}

// ---------------------------------------------------------------------------------------
// The demo experiment, checked against an in-process run.

struct DemoReference {
  nmtwin::apps::Experiment experiment;
  std::vector<std::pair<std::uint16_t, std::uint64_t>> spikes;  // label, cycles after the start
  std::vector<std::uint32_t> reads;
};

DemoReference demo_reference() {
  DemoReference ref{nmtwin::apps::parse_experiment(nmtwin::apps::demo_experiment, "examples/demo.toml"), {}, {}};
  const auto r = nmtwin::apps::run_experiment(ref.experiment, {});
  for (const auto& s : r.spikes) ref.spikes.emplace_back(s.label, s.systime - r.start_systime);
  ref.reads = r.reads;
  if (ref.spikes.size() < 10) throw std::runtime_error("the in-process demo gave fewer than 10 spikes");
  return ref;
}

std::string run_demo(hl::Connection& connection, const DemoReference& ref) {
  hl::Connection* one = &connection;
  const auto run = nmtwin::apps::run_system(std::span(&one, 1), std::span(&ref.experiment, 1));
  const auto& spikes = run.node_spikes.front();
  std::string problems;
  if (spikes.size() != ref.spikes.size())
    problems = fmt::format("{} spikes, the in-process run gave {}", spikes.size(), ref.spikes.size());
  for (std::size_t i = 0; problems.empty() && i < spikes.size(); ++i) {
    const auto rel = spikes[i].systime - run.start_systime.front();
    if (spikes[i].label != ref.spikes[i].first || rel != ref.spikes[i].second)
      problems = fmt::format("spike {} is label {} at cycle {}, the in-process run has label {} at cycle {}", i,
                             spikes[i].label, rel, ref.spikes[i].first, ref.spikes[i].second);
  }
  if (problems.empty() && run.reads.front() != ref.reads)
    problems = fmt::format("register reads [{}], the in-process run read [{}]", fmt::join(run.reads.front(), ", "),
                           fmt::join(ref.reads, ", "));
  return problems;
}

// ---------------------------------------------------------------------------------------
// A raw host: a UDP socket of its own, for what no well-behaved client sends.

class RawHost {
 public:
  RawHost() : fd_(::socket(AF_INET, SOCK_DGRAM, 0)) {
    if (fd_ < 0) throw std::runtime_error(fmt::format("socket(): {}", std::strerror(errno)));
  }
  ~RawHost() { ::close(fd_); }
  RawHost(const RawHost&) = delete;
  RawHost& operator=(const RawHost&) = delete;

  // False when the kernel refused it (a full socket buffer: the caller waits and retries).
  bool send(std::uint16_t port, const std::vector<std::uint8_t>& bytes) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&sa), sizeof sa) ==
           static_cast<ssize_t>(bytes.size());
  }
  std::optional<std::vector<std::uint8_t>> receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
    std::vector<std::uint8_t> buf(65536);
    const auto n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }

 private:
  int fd_;
};

void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put16(std::vector<std::uint8_t>& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
std::uint64_t get64(const std::vector<std::uint8_t>& b, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = v << 8 | b[at + i];
  return v;
}
std::vector<std::uint8_t> magic() {
  std::vector<std::uint8_t> b;
  put32(b, spec::arq::reset_magic);
  return b;
}
std::vector<std::uint8_t> frame(std::uint32_t ack, std::uint32_t seq, std::uint16_t ptype, std::uint16_t len,
                                const std::vector<std::uint64_t>& words) {
  std::vector<std::uint8_t> b;
  put32(b, ack);
  put32(b, seq);
  put16(b, ptype);
  put16(b, len);
  for (auto w : words)
    for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
  return b;
}

// Garbage that the FPGA drops and counts in arq_drop_short, _length, _ptype or _window
// (docs/protocol.md, "Malformed datagrams"), never a frame it takes.
std::vector<std::uint8_t> malformed_frame(Rng& rng) {
  std::vector<std::uint8_t> b;
  switch (rnd::uniform_int<int>(rng, 0, 3)) {
    case 0: {  // shorter than a header, not the 4 bytes of an ACK (empty included)
      auto n = rnd::uniform_int<std::size_t>(rng, 0, 10);
      if (n >= 4) ++n;
      for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(rng()));
      return b;
    }
    case 1: {  // LEN disagrees with the length, or is beyond the maximum
      const auto len = rnd::uniform_int<std::uint16_t>(rng, 0, 400);
      auto extra = rnd::uniform_int<std::size_t>(rng, 1, 7);
      if (len > spec::arq::max_payload_words && rnd::bernoulli(rng, 0.5)) extra = 0;
      b = frame(0, 0, 1, len, std::vector<std::uint64_t>(std::min<std::size_t>(len, 200), rng()));
      b.resize(spec::arq::header_bytes + 8 * std::min<std::size_t>(len, 200) + extra, 0x5A);
      return b;
    }
    case 2: {  // an unknown PTYPE, right length
      auto ptype = static_cast<std::uint16_t>(rng());
      if (ptype == static_cast<std::uint16_t>(spec::arq::Ptype::stream)) ptype = 0x7777;
      const auto len = rnd::uniform_int<std::uint16_t>(rng, 0, 4);
      return frame(0, 0, ptype, len, std::vector<std::uint64_t>(len, rng()));
    }
    default:  // a standalone ACK beyond the sequence space
      put32(b, rnd::uniform_int<std::uint32_t>(rng, spec::arq::seq_space, 0xFFFFFFFFu));
      return b;
  }
}

// Anything but the magic word, for the flood: of every size, or of the shapes above.
std::vector<std::uint8_t> junk(Rng& rng) {
  if (rnd::bernoulli(rng, 0.5)) return malformed_frame(rng);
  std::vector<std::uint8_t> b(rnd::uniform_int<std::size_t>(rng, 0, rnd::bernoulli(rng, 0.1) ? 9000 : 1500));
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  if (b == magic()) b.push_back(0);
  return b;
}

// ---------------------------------------------------------------------------------------

struct Options {
  std::uint16_t port = 0;
  double duration = 60;
  std::uint64_t seed = 1;
  double report_every = 1;
  double junk_rate = 500;
  std::string impair = "loss=0.05,dup=0.02,reorder=0.02";
  std::string self;  // this executable, for the vanishing clients
};

std::string node_url(const Options& o, unsigned node, const std::string& extra = "") {
  return fmt::format("udp://127.0.0.1:{}?node={}{}", o.port, node, extra.empty() ? "" : "&" + extra);
}
std::uint16_t data_port(const Options& o, unsigned node) { return static_cast<std::uint16_t>(o.port + 2 * node); }
std::uint16_t reset_port(const Options& o, unsigned node) { return static_cast<std::uint16_t>(o.port + 2 * node + 1); }

bool taken_over(const std::exception& e) { return std::string_view(e.what()).find("took the link over") != std::string_view::npos; }

class Soak {
 public:
  Soak(const Options& o, Report& report, const DemoReference& demo) : o_(o), report_(report), demo_(demo) {}

  void run() {
    const auto start = Clock::now();
    deadline_ = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.duration));
    // arq_drop_reset before any junk: at the end, it must have grown by exactly the junk
    // sent to that node's reset port (nodes 1 and 2; the demo on node 0 clears counters).
    for (unsigned n = 1; n < nodes; ++n) drop_reset_start_[n] = read_register(n, spec::fpga_reg::arq_drop_reset);
    std::vector<std::thread> threads;
    threads.emplace_back([this] { guard("clean", [this] { clean_lane(); }); });
    threads.emplace_back([this] { guard("impaired", [this] { impaired_lane(); }); });
    threads.emplace_back([this] { guard("chaos", [this] { chaos_lane(); }); });
    threads.emplace_back([this] { guard("junk", [this] { junk_flood(); }); });
    auto next = start;
    while (Clock::now() < deadline_) {
      next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.report_every));
      std::this_thread::sleep_until(std::min(next, deadline_));
      report_.print_counts();
    }
    report_.note("time is up: the lanes finish what they run");
    for (auto& t : threads) t.join();
    final_check();
    report_.print_counts();
  }

 private:
  bool time_left() const { return Clock::now() < deadline_; }

  void guard(std::string_view lane, const std::function<void()>& body) {
    try {
      body();
    } catch (const std::exception& e) {
      report_.fail(lane, "lane", 0, fmt::format("stopped by an unexpected error: {}", e.what()));
    }
  }

  std::uint32_t read_register(unsigned node, std::uint32_t addr) {
    auto c = hl::connect(node_url(o_, node));
    hl::Program p;
    auto t = p.read(addr);
    c->run(p);
    return t.value();
  }

  // Runs a read/write program; true when it completed and every read matched.
  bool run_rw(hl::Connection& c, Rng& rng, Memory& model, unsigned ops, std::string_view lane, std::string_view kind,
              std::uint64_t n) {
    auto rw = build_rw(rng, model, ops);
    try {
      c.run(rw.program);
    } catch (const std::exception& e) {
      model.forget();
      report_.fail(lane, kind, n, fmt::format("{} instructions: {}", rw.instructions, e.what()));
      return false;
    }
    if (auto problems = verify(rw); !problems.empty()) {
      model.forget();
      report_.fail(lane, kind, n, fmt::format("{} instructions: {}", rw.instructions, problems));
      return false;
    }
    return true;
  }

  // Node 0: read/write programs of 50 to 5000 instructions and the demo experiment, now
  // and then on a new connection.
  void clean_lane() {
    Rng rng(o_.seed * 4 + 0);
    Memory model;
    auto c = hl::connect(node_url(o_, 0));
    for (std::uint64_t n = 1; time_left(); ++n) {
      if (rnd::bernoulli(rng, 0.05)) c = hl::connect(node_url(o_, 0));
      if (rnd::bernoulli(rng, 0.3)) {
        std::string problems;
        try {
          problems = run_demo(*c, demo_);
        } catch (const std::exception& e) {
          problems = e.what();
        }
        if (problems.empty())
          ++report_.counts.demo;
        else
          report_.fail("clean", "demo", n, problems);
      } else if (run_rw(*c, rng, model, rnd::uniform_int<unsigned>(rng, 50, 5000), "clean", "rw", n)) {
        ++report_.counts.rw;
      }
    }
  }

  // Node 1: read/write programs of up to 20 000 instructions through the host-side
  // impairment, a new connection (and impairment seed) every 20 programs or so.
  void impaired_lane() {
    Rng rng(o_.seed * 4 + 1);
    Memory model;
    auto connect = [&] {
      return hl::connect(node_url(o_, 1, fmt::format("impair={},seed={}", o_.impair, rng() % 1000000)));
    };
    auto c = connect();
    for (std::uint64_t n = 1; time_left(); ++n) {
      if (rnd::bernoulli(rng, 0.05)) c = connect();
      if (run_rw(*c, rng, model, rnd::uniform_int<unsigned>(rng, 50, 20000), "impaired", "rw", n))
        ++report_.counts.impaired;
    }
  }

  // Node 2: one event after another, each followed by a good program.
  void chaos_lane() {
    Rng rng(o_.seed * 4 + 2);
    Memory model;
    auto c = hl::connect(node_url(o_, 2));
    for (std::uint64_t n = 1; time_left(); ++n) {
      const auto pick = rnd::uniform_int<int>(rng, 0, 99);
      bool ok;
      std::string_view event;
      if (pick < 30)
        event = "after-takeover", ok = takeover(c, rng, model, n);
      else if (pick < 60)
        event = "after-vanish", ok = vanish(c, rng, model, n);
      else if (pick < 80)
        event = "after-reset", ok = raw_reset(*c, rng, n);
      else
        event = "after-gsession", ok = garbage_session(c, rng, model, n);
      // After every event, a good program on the lane's connection, as the next user runs it.
      if (!ok) model.forget();
      if (run_rw(*c, rng, model, rnd::uniform_int<unsigned>(rng, 50, 2000), "chaos", event, n))
        ++report_.counts.chaos_rw;
    }
  }

  // A program that writes `x` to scratch, reads it back, then waits for days of simulated time
  // before it would write ~x.
  struct Waiting {
    hl::Program program;
    hl::Ticket written;
  };
  static Waiting waiting_program(std::uint32_t x) {
    Waiting w;
    w.program.write(spec::fpga_reg::scratch, x);
    w.written = w.program.read(spec::fpga_reg::scratch);
    w.program.timer_reset();
    w.program.wait_until(forever);
    w.program.write(spec::fpga_reg::scratch, ~x);
    return w;
  }

  // Client A runs a program that waits; client B resets (takes the link over) and must find
  // A's first write and not its last; A's run must end in the take-over error; A's next run
  // takes the link back.
  bool takeover(std::unique_ptr<hl::Connection>& a, Rng& rng, Memory& model, std::uint64_t n) {
    const auto x = static_cast<std::uint32_t>(rng());
    auto w = waiting_program(x);
    a->start(w.program);
    const auto until = Clock::now() + 20s;
    try {
      while (!w.written.ready() && Clock::now() < until) a->poll(w.program, 10ms);
    } catch (const std::exception& e) {
      report_.fail("chaos", "takeover", n, fmt::format("client A's waiting program failed: {}", e.what()));
      a = hl::connect(node_url(o_, 2));
      return false;
    }
    if (!w.written.ready()) {
      report_.fail("chaos", "takeover", n, "client A's first read was not answered within 20 s");
      a = hl::connect(node_url(o_, 2));
      return false;
    }
    auto b = hl::connect(node_url(o_, 2));  // the take-over
    hl::Program check;
    auto found = check.read(spec::fpga_reg::scratch);
    try {
      b->run(check);
    } catch (const std::exception& e) {
      report_.fail("chaos", "takeover", n, fmt::format("client B's first program failed: {}", e.what()));
      a = std::move(b);
      return false;
    }
    if (found.value() != x) {
      report_.fail("chaos", "takeover", n,
                   fmt::format("client B read scratch {:#010x}; client A wrote {:#010x} before its wait and {:#010x} "
                               "after it (never to run)",
                               found.value(), x, ~x));
      a = std::move(b);
      return false;
    }
    model.words[scratch_slot] = x;
    if (!run_rw(*b, rng, model, rnd::uniform_int<unsigned>(rng, 50, 1000), "chaos", "takeover", n)) {
      a = std::move(b);
      return false;
    }
    std::string outcome;
    try {
      const auto give_up = Clock::now() + 30s;
      while (!a->poll(w.program, 50ms))
        if (Clock::now() > give_up) {
          outcome = "client A's run neither completed nor failed within 30 s after the take-over";
          break;
        }
      if (outcome.empty()) outcome = "client A's run completed although client B had taken the link over";
    } catch (const hl::LinkError& e) {
      if (!taken_over(e)) outcome = fmt::format("client A's run failed with another error: {}", e.what());
    } catch (const std::exception& e) {
      outcome = fmt::format("client A's run failed with another error: {}", e.what());
    }
    if (!outcome.empty()) {
      report_.fail("chaos", "takeover", n, outcome);
      a = std::move(b);
      return false;
    }
    ++report_.counts.takeover;
    return true;  // A takes the link back with the good program that follows
  }

  // A client in another process starts a program that waits and is killed (SIGKILL) after
  // 0-800 ms, at any point of its handshake, stream or wait; a new client must get the FPGA
  // at once, with the vanished client's first write done or not, its last never.
  bool vanish(std::unique_ptr<hl::Connection>& c, Rng& rng, Memory& model, std::uint64_t n) {
    const auto x = static_cast<std::uint32_t>(rng());
    const auto delay = std::chrono::milliseconds(rnd::uniform_int<int>(rng, 0, 800));
    const auto before = model.words[scratch_slot];
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error(fmt::format("pipe(): {}", std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const auto url = node_url(o_, 2);
    const auto value = std::to_string(x);
    const auto seed = std::to_string(rng());
    std::vector<const char*> argv{o_.self.c_str(), "--vanish-child", url.c_str(), "--value", value.c_str(),
                                  "--seed", seed.c_str(), nullptr};
    pid_t pid = -1;
    const int err = posix_spawn(&pid, o_.self.c_str(), &actions, nullptr, const_cast<char* const*>(argv.data()), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (err != 0) {
      ::close(out[0]);
      throw std::runtime_error(fmt::format("cannot start {} for a vanishing client: {}", o_.self, std::strerror(err)));
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::string said;
    char buf[256];
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    for (ssize_t k; (k = ::read(out[0], buf, sizeof buf)) > 0;) said.append(buf, static_cast<std::size_t>(k));
    ::close(out[0]);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      report_.fail("chaos", "vanish", n,
                   fmt::format("the vanishing client ended by itself before it was killed ({}): {}",
                               WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status)) : "a signal", said));
      return false;
    }
    const bool waited = said.find("waiting") != std::string::npos;
    // The next client, at once.
    c = hl::connect(node_url(o_, 2));
    hl::Program check;
    auto found = check.read(spec::fpga_reg::scratch);
    try {
      c->run(check);
    } catch (const std::exception& e) {
      report_.fail("chaos", "vanish", n,
                   fmt::format("the next client's first program failed after a client was killed {} ms after its "
                               "start: {}",
                               delay.count(), e.what()));
      return false;
    }
    const auto v = found.value();
    const bool expected = v == x || (!waited && before && v == *before) || (!waited && !before && v != ~x);
    if (!expected) {
      report_.fail("chaos", "vanish", n,
                   fmt::format("after a client was killed {} ms after its start ({}), scratch reads {:#010x}: "
                               "expected its first write {:#010x}{}",
                               delay.count(), waited ? "in its wait" : "before its wait", v, x,
                               waited ? "" : before ? fmt::format(" or the earlier {:#010x}", *before) : " or anything but its last"));
      return false;
    }
    model.forget();  // the killed client wrote mailbox words too
    model.words[scratch_slot] = v;
    ++report_.counts.vanish;
    return true;
  }

  // Sends the magic word to the reset port until the FPGA's CFG comes back.
  bool raw_handshake(RawHost& raw, std::string_view kind, std::uint64_t n) {
    for (int attempt = 0; attempt < 6; ++attempt) {
      if (!raw.send(reset_port(o_, 2), magic())) continue;
      const auto until = Clock::now() + 1s;
      while (Clock::now() < until) {
        const auto d = raw.receive(100ms);
        if (d && d->size() >= spec::arq::header_bytes && (*d)[8] == 0x80 && (*d)[9] == 0x01) return true;
      }
    }
    report_.fail("chaos", kind, n, "a raw host's reset got no CFG in 6 attempts");
    return false;
  }

  // A third host resets the idle FPGA; the lane's connection must then end its next run with
  // the take-over error (docs/hostlink.md, "Taken over"), and the run after it take the link back.
  bool raw_reset(hl::Connection& c, Rng&, std::uint64_t n) {
    {
      RawHost raw;
      if (!raw_handshake(raw, "reset", n)) return false;
    }
    hl::Program p;
    p.read(spec::fpga_reg::id);
    std::string outcome;
    try {
      c.run(p);
      outcome = "the run after another host's reset completed; it should end in the take-over error";
    } catch (const hl::LinkError& e) {
      if (!taken_over(e)) outcome = fmt::format("the run after another host's reset failed with another error: {}", e.what());
    } catch (const std::exception& e) {
      outcome = fmt::format("the run after another host's reset failed with another error: {}", e.what());
    }
    if (!outcome.empty()) {
      report_.fail("chaos", "reset", n, outcome);
      return false;
    }
    ++report_.counts.reset;
    return true;
  }

  // A raw host takes the link and sends malformed frames as the session's host, which reach
  // the FPGA: each must be dropped and counted (arq_drop_short + _length + _ptype + _window
  // grow by exactly their number), and a halt frame after them must be answered.
  bool garbage_session(std::unique_ptr<hl::Connection>& c, Rng& rng, Memory&, std::uint64_t n) {
    static constexpr std::array<std::uint32_t, 4> drops{spec::fpga_reg::arq_drop_short, spec::fpga_reg::arq_drop_length,
                                                         spec::fpga_reg::arq_drop_ptype, spec::fpga_reg::arq_drop_window};
    auto read_drops = [&](hl::Connection& conn) {
      hl::Program p;
      std::vector<hl::Ticket> t;
      for (auto a : drops) t.push_back(p.read(a));
      conn.run(p);
      std::uint64_t sum = 0;
      for (auto& x : t) sum += x.value();
      return sum;
    };
    std::uint64_t before = 0;
    try {
      before = read_drops(*c);
    } catch (const std::exception& e) {
      report_.fail("chaos", "gsession", n, fmt::format("reading the drop counters failed: {}", e.what()));
      return false;
    }
    const auto count = rnd::uniform_int<unsigned>(rng, 10, 300);
    {
      RawHost raw;
      if (!raw_handshake(raw, "gsession", n)) return false;
      for (unsigned i = 0; i < count; ++i) {
        const auto d = malformed_frame(rng);
        while (!raw.send(data_port(o_, 2), d)) std::this_thread::sleep_for(1ms);
      }
      report_.counts.session_junk += count;
      // A well-formed frame after them: its halt's echo shows the FPGA has taken them all.
      const auto cookie = static_cast<std::uint16_t>(rng());
      const auto halt = frame(0, 0, static_cast<std::uint16_t>(spec::arq::Ptype::stream), 1,
                              {spec::instr::Halt{.cookie = cookie}.encode()});
      bool echoed = false;
      for (int attempt = 0; attempt < 10 && !echoed; ++attempt) {
        raw.send(data_port(o_, 2), halt);
        const auto until = Clock::now() + 500ms;
        while (!echoed && Clock::now() < until) {
          const auto d = raw.receive(50ms);
          if (!d || d->size() < spec::arq::header_bytes || (*d)[8] != 0 || (*d)[9] != 1) continue;
          for (std::size_t at = spec::arq::header_bytes; at + 8 <= d->size(); at += 8) {
            const auto w = get64(*d, at);
            if (spec::resp::selector(w) == spec::resp::ResponseType::halt && spec::resp::Halt::decode(w).cookie == cookie)
              echoed = true;
          }
        }
      }
      if (!echoed) {
        report_.fail("chaos", "gsession", n, fmt::format("the halt sent after {} malformed frames was not echoed", count));
        return false;
      }
    }
    // The next client (the lane's connection was taken over) finds every one counted.
    c = hl::connect(node_url(o_, 2));
    std::uint64_t after = 0;
    try {
      after = read_drops(*c);
    } catch (const std::exception& e) {
      report_.fail("chaos", "gsession", n, fmt::format("reading the drop counters failed: {}", e.what()));
      return false;
    }
    if (after - before != count) {
      report_.fail("chaos", "gsession", n,
                   fmt::format("{} malformed frames from the session's host, but arq_drop_short + _length + _ptype + "
                               "_window grew by {}",
                               count, after - before));
      return false;
    }
    ++report_.counts.gsession;
    return true;
  }

  // Malformed datagrams from a host that never resets, to every port of every node, at
  // --junk-rate datagrams per second.
  void junk_flood() {
    if (o_.junk_rate <= 0) return;
    Rng rng(o_.seed * 4 + 3);
    RawHost raw;
    const auto step = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o_.junk_rate));
    auto next = Clock::now();
    while (time_left()) {
      const unsigned node = rnd::uniform_int<unsigned>(rng, 0, nodes - 1);
      const bool to_reset = rnd::bernoulli(rng, 0.5);
      const auto d = junk(rng);
      while (!raw.send(to_reset ? reset_port(o_, node) : data_port(o_, node), d)) std::this_thread::sleep_for(1ms);
      if (to_reset) ++junk_reset_[node];
      ++report_.counts.junk;
      next += step;
      std::this_thread::sleep_until(next);
    }
  }

  // Every node answers a fresh client, and the junk on the reset ports was counted.
  void final_check() {
    Rng rng(o_.seed * 4 + 4);
    for (unsigned node = 0; node < nodes; ++node) {
      try {
        auto c = hl::connect(node_url(o_, node));
        Memory model;
        if (!run_rw(*c, rng, model, 200, "final", fmt::format("node{}", node), 1)) continue;
        if (node == 0) continue;
        hl::Program p;
        auto t = p.read(spec::fpga_reg::arq_drop_reset);
        c->run(p);
        const std::uint64_t grew = t.value() - drop_reset_start_[node];
        if (grew != junk_reset_[node])
          report_.fail("final", fmt::format("node{}", node), 1,
                       fmt::format("{} junk datagrams went to the reset port, but arq_drop_reset grew by {} (a "
                                   "datagram lost in a full socket buffer of the server? see its statistics)",
                                   junk_reset_[node], grew));
        else
          report_.note(fmt::format("node {}: arq_drop_reset grew by {}, the junk sent to its reset port", node, grew));
      } catch (const std::exception& e) {
        report_.fail("final", fmt::format("node{}", node), 1, fmt::format("the server does not answer: {}", e.what()));
      }
    }
  }

  const Options& o_;
  Report& report_;
  const DemoReference& demo_;
  Clock::time_point deadline_;
  std::array<std::uint32_t, nodes> drop_reset_start_{};
  std::array<std::uint64_t, nodes> junk_reset_{};
};

// The vanishing client (its own process): starts a program that writes, streams 2 000
// mailbox writes, waits for days and would write again; says "waiting" once its first
// write is read back, and polls until it is killed.
int vanish_child(const std::string& url, std::uint32_t x, std::uint64_t seed) {
  Rng rng(seed);
  auto c = hl::connect(url);
  hl::Program p;
  p.write(spec::fpga_reg::scratch, x);
  auto written = p.read(spec::fpga_reg::scratch);
  std::vector<std::uint32_t> words(mailbox_words);
  for (int k = 0; k < 8; ++k) {
    for (auto& w : words) w = static_cast<std::uint32_t>(rng());
    nmtwin::fw::write_mailbox(p, 0, words);
  }
  p.timer_reset();
  p.wait_until(forever);
  p.write(spec::fpga_reg::scratch, ~x);
  c->start(p);
  bool said = false;
  for (;;) {
    c->poll(p, 10ms);
    if (!said && written.ready()) {
      std::cout << "waiting" << std::endl;
      said = true;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("nmtwin_soak: the load of scripts/soak against `nmtwin sim --nodes 3` (docs/reliability.md, Soak)");
  Options o;
  std::string vanish_url;
  std::uint32_t vanish_value = 0;
  app.add_option("--port", o.port, "data port of node 0 of a running `nmtwin sim --nodes 3`")->check(CLI::Range(1, 65530));
  app.add_option("--duration", o.duration, "seconds of load (default 60)")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "the mix of programs and events (default 1)");
  app.add_option("--report-every", o.report_every, "seconds between count lines (default 1)")->check(CLI::PositiveNumber);
  app.add_option("--junk-rate", o.junk_rate, "malformed datagrams per second to the ports (default 500; 0: none)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--impair", o.impair, "host-side impairment of node 1's lane (default loss=0.05,dup=0.02,reorder=0.02)");
  app.add_option("--vanish-child", vanish_url, "(internal) be a client that is killed mid-program");
  app.add_option("--value", vanish_value, "(internal) the vanishing client's scratch value");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!vanish_url.empty()) return vanish_child(vanish_url, vanish_value, o.seed);
    if (o.port == 0) throw CLI::RequiredError("--port");
    o.self = "/proc/self/exe";
    char path[4096];
    if (const auto k = ::readlink("/proc/self/exe", path, sizeof path - 1); k > 0) o.self.assign(path, static_cast<std::size_t>(k));
    nmtwin::sim::register_sim_scheme();
    const auto demo = demo_reference();
    Report report(Clock::now());
    report.note(fmt::format("seed {}, {} s against udp://127.0.0.1:{} (nodes 0-2), junk {} datagrams/s, impairment {}",
                            o.seed, o.duration, o.port, o.junk_rate, o.impair));
    Soak(o, report, demo).run();
    const auto failures = report.counts.failures.load();
    report.note(failures == 0 ? "passed" : fmt::format("{} failure{}", failures, failures == 1 ? "" : "s"));
    return failures == 0 ? 0 : 1;
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cout << "soak: cannot run: " << e.what() << std::endl;
    return 2;
  }
}
