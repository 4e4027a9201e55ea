// fuzz_make_seeds DIR: writes the seed corpora of fuzz_arq, fuzz_responses and fuzz_node
// into DIR/TARGET/ from a real session: a program of reads, writes and spikes runs on an
// in-process node (the Verilated FPGA) through the host's ARQ transport, and what crossed
// the link is recorded in each target's input format (see the targets' headers).
// Run by fuzz/make_corpus.py; the corpora in fuzz/corpus/ were made with it.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hostlink/arq_frame.hpp"
#include "hostlink/arq_transport.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/response.hpp"
#include "sim/host/memory_link.hpp"
#include "sim/simulation.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::hostlink;
namespace fs = std::filesystem;

// Records what a MemoryLink carries.
class RecordingLink : public DatagramLink {
 public:
  explicit RecordingLink(sim::Simulation& s) : link_(s) {}
  void send(Port port, std::span<const Datagram> datagrams) override {
    for (const auto& d : datagrams) sent.push_back({port, d});
    link_.send(port, datagrams);
  }
  using DatagramLink::send;
  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override {
    const std::size_t before = out.size();
    const bool any = link_.receive(out, deadline);
    if (out.size() > before) received.emplace_back(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    return any;
  }
  std::string endpoint() const override { return link_.endpoint(); }
  Clock::time_point now() const override { return link_.now(); }
  bool exclusive() const override { return true; }

  std::vector<std::pair<Port, Datagram>> sent;
  std::vector<std::vector<Datagram>> received;  // per receive() that got any

 private:
  sim::MemoryLink link_;
};

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
}

struct Session {
  std::vector<std::uint64_t> program_words, responses;
  std::vector<std::pair<Port, Datagram>> sent;
  std::vector<std::vector<Datagram>> received;
};

// Runs `p` (halt cookie 0) on a fresh node; records the session.
Session record(const Program& p) {
  sim::Simulation simulation(sim::SimulationConfig{.threads = 1});
  RecordingLink link(simulation);
  ArqTransport transport(link);
  transport.handshake();
  Session s;
  s.program_words = p.encode(0);
  transport.send(s.program_words);
  for (bool halted = false; !halted;) {
    const std::size_t before = s.responses.size();
    if (!transport.receive(s.responses, link.now() + std::chrono::milliseconds(50)))
      throw std::runtime_error("the node did not answer the seed program");
    for (std::size_t i = before; i < s.responses.size(); ++i)
      if (std::holds_alternative<spec::resp::Halt>(decode_response(s.responses[i]))) halted = true;
  }
  transport.drain(link.now() + std::chrono::milliseconds(50));
  s.sent = link.sent;
  s.received = link.received;
  return s;
}

// The programs: reads only, reads with writes between, reads with spikes (fuzz_responses'
// shapes 0, 2, 3), and one of writes, a timer reset, timed spikes and a barrier.
Program shape(unsigned reads, unsigned between) {
  Program p;
  for (unsigned i = 0; i < reads; ++i) {
    (void)p.read(0x8000'0000u + 4 * (i % 64));
    if (between == 2) p.write(0x8000'0100u, i);
    if (between == 3) p.spike(static_cast<std::uint16_t>(i));
  }
  return p;
}

Program timed() {
  Program p;
  p.write(spec::fpga_reg::scratch, 0x1234);
  (void)p.read(spec::fpga_reg::scratch);
  p.timer_reset();
  for (unsigned t = 1; t <= 8; ++t) {
    p.wait_until(t * 200);
    p.spike(static_cast<std::uint16_t>(t));
  }
  p.systime_sync();
  p.barrier();
  (void)p.read(spec::fpga_reg::arq_rx_frames);
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds DIR\n");
    return 2;
  }
  const fs::path dir = argv[1];
  struct Case {
    std::string name;
    Program program;
    unsigned reads, between;
  };
  std::vector<Case> cases;
  cases.push_back({"reads4", shape(4, 0), 4, 0});
  cases.push_back({"reads40_writes", shape(40, 2), 40, 2});
  cases.push_back({"reads300_spikes", shape(300, 3), 300, 3});
  cases.push_back({"timed", timed(), 0, 0});
  for (const Case& c : cases) {
    const Session s = record(c.program);
    // fuzz_arq: the FPGA's datagrams as it sent them, batch by batch (the CFG among them).
    std::string arq;
    arq.push_back(static_cast<char>(std::min<std::size_t>(s.program_words.size() / 4, 127) << 1));
    for (const auto& batch : s.received) {
      for (const Datagram& d : batch) {
        arq.push_back(0);
        put_be(arq, d.size(), 2);
        arq.append(d.begin(), d.end());
      }
      arq.push_back(1);  // arrives at once
    }
    write(dir / "fuzz_arq" / (c.name + ".bin"), arq);
    // fuzz_responses: the response words, in batches of up to 32.
    if (c.reads > 0) {
      std::string resp;
      resp.push_back(static_cast<char>(c.between));
      put_be(resp, c.reads, 2);
      for (std::size_t i = 0; i < s.responses.size(); i += 32) {
        const std::size_t n = std::min<std::size_t>(32, s.responses.size() - i);
        resp.push_back(static_cast<char>(n - 1));
        for (std::size_t j = 0; j < n; ++j) put_be(resp, s.responses[i + j], 8);
      }
      write(dir / "fuzz_responses" / (c.name + ".bin"), resp);
    }
    // fuzz_node: the program's words through the transport, 32 a record, runs between;
    // and the host's datagrams as it sent them (raw, after a reset of its own).
    std::string node;
    for (std::size_t i = 0; i < s.program_words.size(); i += 32) {
      const std::size_t n = std::min<std::size_t>(32, s.program_words.size() - i);
      node.push_back(static_cast<char>(((n - 1) << 2) | 2));
      for (std::size_t j = 0; j < n; ++j) put_be(node, s.program_words[i + j], 8);
      node.push_back(static_cast<char>((7 << 2) | 3));
    }
    write(dir / "fuzz_node" / (c.name + "_words.bin"), node);
    std::string raw;
    for (const auto& [port, d] : s.sent) {
      raw.push_back(port == Port::reset ? 1 : 0);
      put_be(raw, d.size(), 2);
      raw.append(d.begin(), d.end());
      raw.push_back(3);
    }
    write(dir / "fuzz_node" / (c.name + "_datagrams.bin"), raw);
  }
  return 0;
}
