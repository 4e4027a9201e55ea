#include "sim/host/sim_server.hpp"

#include <sys/prctl.h>

#include <csignal>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "dist/bytes.hpp"
#include "dist/comm.hpp"
#include "hostlink/impairment.hpp"
#include "hostlink/pcap.hpp"
#include "sim/host/host_port.hpp"
#include "sim/simulation.hpp"

namespace nmtwin::sim {

namespace {
using Clock = std::chrono::steady_clock;
// Idle, the server blocks until a datagram arrives (any port wakes it), a held datagram
// of the impairment is due, or this long has passed: the longest it takes to notice a stop
// request.  An idle server thus wakes 10 times a second and uses no measurable CPU.
constexpr auto idle_wait = std::chrono::milliseconds(100);
// Host input a node holds at most (Node::queued_bytes): 128 KB keep its FPGA busy for
// 16 384 cycles, longer than a quantum by far; a window of 128 full frames is 186 KB.
constexpr std::size_t max_queued = 128 * 1024;

// What stands between one FPGA's UDP ports and its node: optional impairment of the
// data-port traffic (the reset port is left alone, as on the host side) and capture.
class PortPath {
 public:
  PortPath(sim::HostPort& port, sim::Node& node, const std::string& impairment, hostlink::PcapWriter* pcap,
           std::mutex& pcap_mutex)
      : port_(port), node_(node), pcap_(pcap), pcap_mutex_(pcap_mutex) {
    if (!impairment.empty()) {
      const auto config = hostlink::ImpairmentConfig::parse(impairment);
      in_.emplace(config);
      out_.emplace(config.reverse());
    }
    node_.set_datagram_sink([this](std::vector<std::uint8_t>&& d) { emit(std::move(d)); });
  }
  ~PortPath() { node_.set_datagram_sink({}); }
  PortPath(const PortPath&) = delete;
  PortPath& operator=(const PortPath&) = delete;

  // Host -> node, while the node holds less than max_queued input: what a host sends
  // faster than the FPGA takes waits in the kernel's socket buffer, and beyond it is
  // dropped there and counted (`rx socket buffer full`), as a MAC's FIFO drops on
  // hardware, instead of growing the server without bound (found by scripts/soak).
  void deliver() {
    const auto now = Clock::now();
    while (node_.queued_bytes() < max_queued) {
      auto d = port_.receive();
      if (!d) break;
      host_ = {d->from_ipv4, d->from_port};
      capture(host_, {0x7F000001, d->reset_port ? port_.reset_port() : port_.data_port()}, d->bytes);
      if (d->reset_port || !in_) {
        node_.push_datagram(d->reset_port, std::move(d->bytes));
        continue;
      }
      scratch_.clear();
      in_->push(std::move(d->bytes), now, scratch_);
      for (auto& x : scratch_) node_.push_datagram(false, std::move(x));
    }
    if (in_) {
      scratch_.clear();
      in_->release_due(now, scratch_);
      for (auto& x : scratch_) node_.push_datagram(false, std::move(x));
    }
  }

  // Node -> host, called by the node on the cycle a datagram is complete (mid-quantum).
  void emit(std::vector<std::uint8_t>&& d) {
    scratch_out_.clear();
    if (out_)
      out_->push(std::move(d), Clock::now(), scratch_out_);
    else
      scratch_out_.push_back(std::move(d));
    send(scratch_out_);
  }

  // Sends what the impairment held back (delay, reordering) once it is due.
  void release_due() {
    if (!out_) return;
    scratch_out_.clear();
    out_->release_due(Clock::now(), scratch_out_);
    send(scratch_out_);
  }

  /// When a held (delayed or reordered) datagram is due, if any.
  Clock::time_point next_due() const {
    auto t = Clock::time_point::max();
    if (in_) t = std::min(t, in_->next_due());
    if (out_) t = std::min(t, out_->next_due());
    return t;
  }

  std::string impairment_summary() const {
    if (!in_) return "";
    const auto& a = in_->stats();
    const auto& b = out_->stats();
    return fmt::format(", impaired: lost {}/{}, duplicated {}/{}, reordered {}/{}, delayed {}/{} (to/from the FPGA)",
                       a.lost, b.lost, a.duplicated, b.duplicated, a.reordered, b.reordered, a.delayed, b.delayed);
  }

 private:
  void send(std::vector<std::vector<std::uint8_t>>& datagrams) {
    if (datagrams.empty()) return;
    for (auto& d : datagrams) {
      capture({0x7F000001, port_.data_port()}, host_, d);
      port_.send(d);
    }
  }

  void capture(const hostlink::UdpEndpoint& from, const hostlink::UdpEndpoint& to, const std::vector<std::uint8_t>& d) {
    if (!pcap_) return;
    std::lock_guard lock(pcap_mutex_);  // nodes answer from their own threads
    pcap_->write(from, to, d);
  }

  sim::HostPort& port_;
  sim::Node& node_;
  hostlink::PcapWriter* pcap_;
  std::mutex& pcap_mutex_;
  std::optional<hostlink::Impairment> in_, out_;
  hostlink::UdpEndpoint host_{0x7F000001, 0};
  std::vector<std::vector<std::uint8_t>> scratch_, scratch_out_;
};
// The FPGAs' delayed ACK in cycles. Hosts time their retransmissions in wall-clock time,
// and a simulated cycle takes 0.2 us (4-6 M cycles/s) to 5 us (sanitizers, waveforms, a
// loaded machine): a fixed cycle count is either far too long for a slow server (a host
// with a 1 ms floor retransmits) or far too short for a fast one (a standalone ACK after
// nearly every frame of a write stream). Unless --ack-delay-cycles fixes it, the delay
// follows the measured speed: about `ack_delay_wall` of wall time (250 us), at least 16
// and at most 512 cycles, and 64 until the first measurement (docs/protocol.md, "Time in
// a simulated FPGA").
class AckDelay {
 public:
  explicit AckDelay(const SimServerOptions& o)
      : fixed_(o.ack_delay_cycles != 0), wall_(o.ack_delay_wall), cycles_(fixed_ ? o.ack_delay_cycles : 64) {}
  std::uint32_t cycles() const { return cycles_; }
  /// Adds one quantum's cycles and busy time; after 5 ms of busy time takes the speed
  /// they show. Returns whether the delay changed (by more than an eighth: each change
  /// costs the nodes one full evaluation).
  bool measure(std::uint64_t cycles, Clock::duration busy) {
    if (fixed_) return false;
    cycles_acc_ += cycles;
    busy_acc_ += busy;
    if (busy_acc_ < std::chrono::milliseconds(5)) return false;
    const double per_second = static_cast<double>(cycles_acc_) / std::chrono::duration<double>(busy_acc_).count();
    cycles_acc_ = 0;
    busy_acc_ = {};
    const auto want = static_cast<std::uint32_t>(
        std::clamp(per_second * std::chrono::duration<double>(wall_).count(), double{min_cycles}, double{max_cycles}));
    if (want * 8 > cycles_ * 7 && want * 8 < cycles_ * 9) return false;
    cycles_ = want;
    return true;
  }

 private:
  static constexpr std::uint32_t min_cycles = 16, max_cycles = 512;
  bool fixed_;
  std::chrono::microseconds wall_;
  std::uint32_t cycles_;
  std::uint64_t cycles_acc_ = 0;
  Clock::duration busy_acc_{};
};

constexpr unsigned last_port = 65535;

// The ports of the nodes `mine` says (all when empty); nullptr for the others.
std::vector<std::unique_ptr<sim::HostPort>> open_block(const SimServerOptions& options, std::uint16_t first,
                                                       unsigned nodes, const std::shared_ptr<sim::InputSignal>& input,
                                                       const std::vector<bool>& mine = {}) {
  std::vector<std::unique_ptr<sim::HostPort>> ports;
  for (unsigned i = 0; i < nodes; ++i)
    ports.push_back(mine.empty() || mine[i]
                        ? std::make_unique<sim::HostPort>(
                              sim::HostPortConfig{.bind_address = options.bind_address,
                                                  .data_port = static_cast<std::uint16_t>(first + 2 * i),
                                                  .reset_port = 0,
                                                  .signal = input,
                                                  .exclusive = options.exclusive})
                        : nullptr);
  return ports;
}

// Every node's ports in the documented layout (node i: data port PORT + 2i, reset port
// one above), which `udp://HOST:PORT?node=I`, regress --target and scripts/ci-gate rely
// on. A block beyond port 65535 is refused; --port 0 asks the kernel for a free port and
// takes the block starting there if all of it is free, else tries again.
std::vector<std::unique_ptr<sim::HostPort>> open_ports(const SimServerOptions& options, unsigned nodes,
                                                       const std::shared_ptr<sim::InputSignal>& input,
                                                       std::ostream& out) {
  const unsigned span = 2 * nodes;
  if (options.port != 0) {
    if (options.port + span - 1 > last_port)
      throw std::invalid_argument(fmt::format(
          "--port {}: {} node{} need{} the {} ports {}..{} (node i: data port PORT + 2i, reset port one above), "
          "beyond the last port {}; choose --port {} or lower",
          options.port, nodes, nodes == 1 ? "" : "s", nodes == 1 ? "s" : "", span, options.port,
          options.port + span - 1, last_port, last_port + 1 - span));
    return open_block(options, options.port, nodes, input);
  }
  constexpr int attempts = 100;
  std::string last_error;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::uint16_t first = sim::free_udp_port(options.bind_address);
    if (first + span - 1 > last_port) continue;
    try {
      auto ports = open_block(options, first, nodes, input);
      // Worded so that no "reset port" precedes the listening lines' (scripts grep for it).
      fmt::print(out, "nmtwin sim: --port 0 chose the ports {}..{}: node i at {} + 2i (data) and {} + 2i + 1 (reset)\n",
                 first, first + span - 1, first, first);
      return ports;
    } catch (const std::runtime_error& e) {
      last_error = e.what();  // taken meanwhile, or part of the block in use: another block
    }
  }
  throw std::runtime_error(
      fmt::format("--port 0: found no block of {} free UDP ports in {} attempts ({}); give a "
                  "free one with --port",
                  span, attempts, last_error.empty() ? "each ended above 65535" : last_error));
}

// A system split over ranks (docs/scaleout.md): every rank serves the ports of its own
// nodes, in the one layout. With --port 0, rank 0 finds a block free for all of them and
// tells the others; a port another rank cannot bind then ends the job naming it.
std::vector<std::unique_ptr<sim::HostPort>> open_split_ports(const SimServerOptions& options, const Simulation& sim,
                                                             dist::Comm& comm,
                                                             const std::shared_ptr<sim::InputSignal>& input,
                                                             std::ostream& out) {
  const unsigned nodes = sim.size();
  std::vector<bool> mine(nodes);
  for (unsigned i = 0; i < nodes; ++i) mine[i] = sim.owns(i);
  std::uint16_t first = options.port;
  if (first == 0) {
    dist::Bytes chosen(2);
    std::vector<std::unique_ptr<sim::HostPort>> held;  // rank 0: the block, bound until the others know it
    if (comm.rank() == 0) {
      held = open_ports(options, nodes, input, out);
      first = held[0]->data_port();
      chosen = {static_cast<std::uint8_t>(first & 0xff), static_cast<std::uint8_t>(first >> 8)};
    }
    comm.broadcast(chosen, 0);
    first = static_cast<std::uint16_t>(chosen[0] | chosen[1] << 8);
    for (unsigned i = 0; i < held.size(); ++i)  // rank 0 keeps its own nodes' ports and lets the others go
      if (!mine[i]) held[i].reset();
    comm.allreduce_sum(0);  // before the other ranks bind them
    if (comm.rank() == 0) return held;
  } else if (first + 2 * nodes - 1 > last_port) {
    return open_ports(options, nodes, input, out);  // its error, on every rank alike
  }
  return open_block(options, first, nodes, input, mine);
}

// Lines of every rank, in node order, on rank 0 (the others print nothing to `out`).
std::vector<std::string> gather_lines(dist::Comm& comm, const std::vector<std::pair<unsigned, std::string>>& mine) {
  dist::ByteWriter w;
  for (const auto& [node, line] : mine) {
    w.u32(node);
    w.u64(line.size());
    w.bytes({reinterpret_cast<const std::uint8_t*>(line.data()), line.size()});
  }
  std::vector<std::pair<unsigned, std::string>> all;
  for (const auto& b : comm.allgather(w.data())) {
    dist::ByteReader in(b, "a rank's server lines");
    while (in.remaining() > 0) {
      const auto node = in.u32("a node index");
      const auto n = in.u64("a line's length");
      const auto bytes = in.bytes(n, "a line");
      all.emplace_back(node, std::string(bytes.begin(), bytes.end()));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> lines;
  for (auto& [node, line] : all) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

SimServerSummary run_sim_server(const SimServerOptions& options, const std::atomic<bool>& stop, std::ostream& out) {
  // A CI gate killed without the chance to tear its servers down takes them along.
  if (options.exit_with_parent) ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  sim::Simulation simulation(options.system);
  const unsigned nodes = simulation.size();
  // Split over ranks (docs/scaleout.md): this rank serves its own nodes' ports; what it
  // prints goes to rank 0, and the ranks agree on when to simulate, wait and stop.
  dist::Comm* comm = simulation.rank_split() ? options.system.share->comm : nullptr;
  std::ostream& node_log = !comm || comm->rank() == 0 ? out : std::cerr;
  const auto input = std::make_shared<sim::InputSignal>();
  const auto ports = comm ? open_split_ports(options, simulation, *comm, input, out) : open_ports(options, nodes, input, out);
  std::unique_ptr<hostlink::PcapWriter> pcap;
  if (!options.pcap.empty()) {
    if (comm && comm->size() > 1)
      throw std::invalid_argument("--pcap: a capture is one file, written by one process; run without mpirun");
    pcap = std::make_unique<hostlink::PcapWriter>(options.pcap);
  }
  std::mutex pcap_mutex;
  std::vector<std::unique_ptr<PortPath>> paths;  // stable addresses: each node calls its path; none for another rank's
  std::vector<unsigned> local;                   // this process's nodes
  for (unsigned i = 0; i < nodes; ++i) {
    paths.push_back(simulation.owns(i) ? std::make_unique<PortPath>(*ports[i], simulation.node(i), options.impairment,
                                                                    pcap.get(), pcap_mutex)
                                       : nullptr);
    if (simulation.owns(i)) local.push_back(i);
  }
  AckDelay ack_delay(options);
  const auto apply_ack_delay = [&] {
    for (unsigned i : local) simulation.node(i).set_ack_delay(ack_delay.cycles());
  };
  apply_ack_delay();
  // A server runs for days: the chip models' logs of every input spike and every spike
  // fired (for in-process analysis and the system trace, neither of which a server has)
  // would grow by 16 bytes a spike without bound (found by scripts/soak).
  for (unsigned i : local) simulation.node(i).chip().set_logging(false);
  if (options.trace && simulation.owns(0)) simulation.open_trace(0, *options.trace);
  if (!options.fw_log.empty() && simulation.owns(0)) simulation.open_commit_log(0, options.fw_log);
  const auto& net = simulation.network();
  {
    std::vector<std::pair<unsigned, std::string>> listening;
    for (unsigned i : local)
      listening.emplace_back(i, fmt::format("nmtwin sim: node {} listening on {}\n", i, ports[i]->endpoint()));
    if (comm) {
      for (const auto& line : gather_lines(*comm, listening)) fmt::print(out, "{}", line);
    } else {
      for (const auto& [i, line] : listening) fmt::print(out, "{}", line);
    }
  }
  if (options.bind_address.rfind("127.", 0) != 0)
    fmt::print(out,
               "nmtwin sim: warning: listening on {}, not on loopback only: the protocol has no authentication, "
               "so any host that reaches these ports can reset and drive the simulated FPGAs (as on hardware)\n",
               options.bind_address);
  if (options.describe_network) {
    fmt::print(out, "nmtwin sim: {} nodes, {} switches, {} links, quantum {} cycles\n", nodes, net.switches(), net.links(),
               simulation.quantum());
    for (unsigned i = 0; i < nodes; ++i)
      fmt::print(out, "nmtwin sim: node {} has node id {}, global interrupt latency from node {}: {} cycles\n", i,
                 net.spec().node_ids[i], net.spec().gi_root, net.gi_latency()[i]);
  }
  out.flush();

  SimServerSummary summary;
  const auto start = Clock::now();
  while (comm || !stop.load(std::memory_order_relaxed)) {
    // Every pass got here right after looking at the sockets: the idle wait below, or
    // the look after a quantum.
    bool busy = false;
    auto next_due = Clock::time_point::max();
    for (unsigned i : local) {
      paths[i]->deliver();
      for (const auto& line : ports[i]->take_log()) {
        fmt::print(node_log, "nmtwin sim: node {}: {}\n", i, line);
        node_log.flush();  // a log read while the server runs
      }
      busy = busy || !simulation.node(i).idle();
      next_due = std::min(next_due, paths[i]->next_due());
    }
    if (comm) {  // one decision for every rank: stop when any rank was told to, run when any is busy
      const std::uint64_t votes = comm->allreduce_sum((stop.load(std::memory_order_relaxed) ? 1ull << 32 : 0) + busy);
      if (votes >> 32) break;
      busy = (votes & 0xffffffffu) != 0;
    }
    if (!busy) {
      // Nothing can happen without host input: sleep instead of spinning the clock. Split
      // over ranks, input to another rank's node does not wake this one: look every ms.
      const auto now = Clock::now();
      const auto longest = comm ? Clock::duration(std::chrono::milliseconds(1)) : Clock::duration(idle_wait);
      const auto wait =
          next_due <= now ? Clock::duration::zero() : std::min<Clock::duration>(longest, next_due - now);
      input->wait_for(std::chrono::duration_cast<std::chrono::microseconds>(wait));  // input on any port wakes it
      for (unsigned i : local) paths[i]->release_due();
      continue;
    }
    const auto t0 = Clock::now();
    const auto c0 = simulation.cycle();
    simulation.run(options.quantum);
    const auto spent = Clock::now() - t0;
    summary.busy_seconds += std::chrono::duration<double>(spent).count();
    if (ack_delay.measure(simulation.cycle() - c0, spent)) apply_ack_delay();
    for (unsigned i : local) paths[i]->release_due();
    input->wait_for({});  // one look at every socket per quantum
  }
  if (simulation.owns(0)) simulation.close_trace(0);
  summary.cycles = simulation.cycle();
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  fmt::print(out, "nmtwin sim: {} cycles in {:.3f} s busy ({:.2f} M cycles/s), {:.3f} s wall\n", summary.cycles,
             summary.busy_seconds, summary.busy_seconds > 0 ? summary.cycles / summary.busy_seconds / 1e6 : 0.0,
             summary.wall_seconds);
  std::vector<std::pair<unsigned, std::string>> stats;
  for (unsigned i : local) {
    const auto s = ports[i]->stats();
    stats.emplace_back(
        i, fmt::format("  node {}: rx {} datagrams ({} B), tx {} datagrams ({} B), clients taken over {}, resets "
                       "refused {}, take-over notices {}, dropped: rx socket buffer full {}, from other hosts {}, no "
                       "client {}, send errors {}{}\n",
                       i, s.rx_datagrams, s.rx_bytes, s.tx_datagrams, s.tx_bytes, s.client_changes, s.resets_refused,
                       s.takeover_notices, s.rx_overflow, s.rx_other_host, s.tx_no_client, s.tx_errors,
                       paths[i]->impairment_summary()));
  }
  if (comm) {
    for (const auto& line : gather_lines(*comm, stats)) fmt::print(out, "{}", line);
  } else {
    for (const auto& [i, line] : stats) fmt::print(out, "{}", line);
  }
  if (pcap) {
    pcap->flush();
    fmt::print(out, "  capture: {} datagrams written to {}\n", pcap->records(), pcap->path());
  }
  return summary;
}

}  // namespace nmtwin::sim
