// Host transport figures: round trip of a halt-only program and write throughput to
// `nmtwin sim` over UDP on loopback, next to a raw UDP echo on the same machine and
// what the simulated FPGA itself can consume: the same program in-process
// (MemoryLink), counting only the time spent simulating (the host's own work, which
// in-process shares the thread, left out).
//
// usage: bench_arq PATH/TO/nmtwin [writes, default 200000] [nmtwin sim options...]

#include <arpa/inet.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "bench/report.hpp"
#include "nmtwin/connect.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "sim/host/inprocess_connection.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/simulation.hpp"
#include "tests/support/server_process.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;
using Clock = std::chrono::steady_clock;

namespace {

double us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

std::pair<double, double> median_p99(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

// A UDP echo thread on 127.0.0.1 and a client socket connected to it.
struct Echo {
  int server = ::socket(AF_INET, SOCK_DGRAM, 0);
  int client = ::socket(AF_INET, SOCK_DGRAM, 0);
  std::atomic<bool> stop{false};
  std::thread thread;
  Echo() {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    ::bind(server, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(server, reinterpret_cast<sockaddr*>(&sa), &len);
    ::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    thread = std::thread([this] {
      std::vector<char> buf(2048);
      while (!stop) {
        pollfd p{server, POLLIN, 0};
        if (::poll(&p, 1, 50) != 1) continue;
        sockaddr_in from{};
        socklen_t fl = sizeof from;
        const auto n = ::recvfrom(server, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
        if (n > 0) ::sendto(server, buf.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), fl);
      }
    });
  }
  ~Echo() {
    stop = true;
    thread.join();
    ::close(server);
    ::close(client);
  }
};

void raw_udp(nmtwin::bench::Report& report) {
  Echo echo;
  std::vector<double> rtt;
  char small[8] = {};
  for (int i = 0; i < 2000; ++i) {
    const auto t0 = Clock::now();
    ::send(echo.client, small, sizeof small, 0);
    ::recv(echo.client, small, sizeof small, 0);
    rtt.push_back(us(Clock::now() - t0));
  }
  const auto [med, p99] = median_p99(rtt);
  fmt::print("{:<48} median {:7.1f} us   p99 {:7.1f} us\n", "raw UDP echo, 8-byte datagram round trip", med, p99);
  report.add("raw UDP echo round trip, median", med, "us", "lower");
  report.add("raw UDP echo round trip, p99", p99, "us", "lower");

  std::vector<char> big(1452);  // 12-byte ARQ header + 180 words
  constexpr int n = 20000, window = 32;
  int sent = 0, received = 0;
  const auto t0 = Clock::now();
  while (received < n) {
    while (sent < n && sent - received < window) {
      ::send(echo.client, big.data(), big.size(), 0);
      ++sent;
    }
    if (::recv(echo.client, big.data(), big.size(), 0) > 0) ++received;
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  fmt::print("{:<48} {:7.1f} MB/s\n", "raw UDP echo, 1452-byte datagrams, window 32", n * 1440.0 / s / 1e6);
  report.add("raw UDP echo throughput", n * 1440.0 / s / 1e6, "MB/s");
}

// A MemoryLink that adds up the time spent in receive(), where the simulation runs.
class TimedMemoryLink : public nmtwin::sim::MemoryLink {
 public:
  using MemoryLink::MemoryLink;
  bool receive(std::vector<hl::Datagram>& out, hl::Clock::time_point deadline) override {
    const auto t0 = Clock::now();
    const bool any = MemoryLink::receive(out, deadline);
    simulating += Clock::now() - t0;
    return any;
  }
  Clock::duration simulating{};
};

hl::Program writes(unsigned count) {
  hl::Program p;
  for (unsigned i = 0; i < count; ++i) p.write(spec::fpga_reg::scratch, i);
  return p;
}

// Instruction bytes per second of a write-only program (8 bytes per instruction word).
double write_rate(hl::Connection& c, unsigned count) {
  auto p = writes(count);
  const auto t0 = Clock::now();
  c.run(p);
  return count * 16.0 / std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_arq PATH/TO/nmtwin [writes] [nmtwin sim options...]\n");
    return 2;
  }
  const unsigned count = argc > 2 ? static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)) : 200000;
  nmtwin::bench::Report report("bench_arq");
  raw_udp(report);

  {
    // An idle server: 8 nodes on a ring, no host; its CPU time over 10 s (2 s for a short run).
    const double seconds = count >= 100000 ? 10 : 2;
    nmtwin::testsupport::ServerProcess idle(argv[1], {"--topology", "ring8"});
    idle.node_url(7);  // up and listening on every port
    const double before = idle.cpu_seconds();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double share = 100 * (idle.cpu_seconds() - before) / seconds;
    fmt::print("{:<48} {:7.2f} % of a core over {:.0f} s   (target: < 1 %)\n", "idle nmtwin sim, 8 nodes, no host", share,
               seconds);
    report.add("idle nmtwin sim with 8 nodes, CPU", share, "% of a core", "lower");
  }

  nmtwin::testsupport::ServerProcess server(argv[1], std::vector<std::string>(argv + std::min(argc, 3), argv + argc));
  auto c = hl::connect(server.url());
  std::vector<double> rtt;
  for (int i = 0; i < 2000; ++i) {
    hl::Program p;
    const auto t0 = Clock::now();
    c->run(p);
    rtt.push_back(us(Clock::now() - t0));
  }
  if (std::getenv("BENCH_VERBOSE"))
    fmt::print("after the round trips: {} timeouts, {} retransmits\n", c->stats().timeouts, c->stats().retransmits);
  const auto [med, p99] = median_p99(rtt);
  fmt::print("{:<48} median {:7.1f} us   p99 {:7.1f} us   (target: median <= 150 us)\n",
             "ARQ to nmtwin sim, halt-only program round trip", med, p99);
  report.add("halt-only round trip to nmtwin sim, median", med, "us", "lower");
  report.add("halt-only round trip to nmtwin sim, p99", p99, "us", "lower");

  // Throughput alternates between UDP and in-process, 5 rounds each, and reports
  // medians: a virtual machine's neighbours move single figures by a third.
  // Stepping every cycle, as `nmtwin sim` does without --warp: the same simulated FPGA.
  nmtwin::sim::Simulation simulation({.warp = false});
  auto link = std::make_unique<TimedMemoryLink>(simulation);
  auto& timed = *link;
  hl::ArqConnection inproc(std::move(link));
  std::vector<double> udp_rates, mem_rates, fpga_rates;
  const auto before_throughput = c->stats();
  for (int round = 0; round < 5; ++round) {
    const double cpu0 = server.cpu_seconds();
    const auto w0 = Clock::now();
    udp_rates.push_back(write_rate(*c, count));
    if (std::getenv("BENCH_VERBOSE"))
      fmt::print("after UDP round {}: {} timeouts, {} retransmits so far; the server used {:.1f} ms CPU in {:.1f} ms\n", round,
                 c->stats().timeouts, c->stats().retransmits,
                 1e3 * (server.cpu_seconds() - cpu0), 1e3 * std::chrono::duration<double>(Clock::now() - w0).count());
    // Let the server's timers (delayed ACK, 500 us simulated) run out: its simulation
    // thread would otherwise share the two cores with this measurement.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    timed.simulating = {};
    const auto c0 = simulation.cycle();
    mem_rates.push_back(write_rate(inproc, count));
    if (std::getenv("BENCH_VERBOSE"))
      fmt::print("in-process: {} cycles for {} writes, {:.1f} ms simulating, {:.2f} M cycles/s while simulating\n", simulation.cycle() - c0,
                 count, 1e3 * std::chrono::duration<double>(timed.simulating).count(), (simulation.cycle() - c0) / std::chrono::duration<double>(timed.simulating).count() / 1e6);
    fpga_rates.push_back(count * 16.0 / std::chrono::duration<double>(timed.simulating).count());
  }
  const double udp = median_p99(udp_rates).first, mem = median_p99(mem_rates).first;
  const double fpga = median_p99(fpga_rates).first;
  const auto stats = c->stats();
  c.reset();
  const auto [server_output, server_ok] = server.stop();
  if (std::getenv("BENCH_VERBOSE")) fmt::print("the server printed:\n{}", server_output);
  const auto rate = [&report](const char* what, double r) {
    fmt::print("{:<48} {:7.2f} MB/s ({:.2f} M words/s), median of 5\n", what, r / 1e6, r / 8e6);
    report.add(what, r / 1e6, "MB/s");
  };
  rate("ARQ to nmtwin sim, write throughput", udp);
  rate("in-process (MemoryLink), same program", mem);
  rate("  of which the simulated FPGA alone", fpga);
  fmt::print("{:<48} {:7.1f} %   (target: >= 80 %)\n", "UDP path / simulated FPGA alone", 100.0 * udp / fpga);
  report.add("UDP path / simulated FPGA alone", 100.0 * udp / fpga, "%");
  report.add("ARQ retransmissions over UDP (round trips and throughput)", static_cast<double>(stats.retransmits),
             "frames", "lower");
  const auto throughput_retransmits = stats.retransmits - before_throughput.retransmits;
  fmt::print("{:<48} {:7d} frames   (target: 0 on a lossless loopback)\n",
             "ARQ retransmissions in the throughput runs", throughput_retransmits);
  report.add("ARQ retransmissions in the throughput runs", static_cast<double>(throughput_retransmits), "frames",
             "lower");
  report.add("ARQ retransmission timeouts over UDP", static_cast<double>(stats.timeouts), "timeouts", "lower");
  fmt::print("ARQ statistics of the UDP run:\n{}\n", stats.summary());
  return 0;
}
