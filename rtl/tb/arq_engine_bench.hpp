#pragma once
// arq_engine driven cycle by cycle: its UDP side by the host model's ArqWire, its
// core side by a scripted executor; shared by the tb_arq_engine bench files.
#include <boost/test/unit_test.hpp>

#include <array>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "Varq_engine.h"
#include "arq_host.hpp"
#include "tb_harness.hpp"

namespace nmtwin::tb::arq_bench {

using namespace arq_host;

// Counter events, bit i of ev_o = FPGA register arq_rx_frames + i.
enum Ev : unsigned {
  rx_frames,
  tx_frames,
  retransmits,
  duplicates,
  drop_short,
  drop_length,
  drop_ptype,
  drop_window,
  resets,
  drop_reset,
  n_ev
};

/// The engine with its UDP side driven by an ArqWire and its core side by a
/// scripted executor (instruction sink, response source).
class Engine {
 public:
  explicit Engine(const std::string& name) : h_(name) {
    auto& d = h_.dut();
    wire.bind({&d.rx_tvalid_i, &d.rx_tkeep_i, &d.rx_tlast_i, &d.rx_port_i, &d.rx_tready_o, &d.rx_tdata_i,
               &d.tx_tvalid_o, &d.tx_tkeep_o, &d.tx_tlast_o, &d.tx_tready_i, &d.tx_tdata_o});
  }

  ArqWire wire;
  std::vector<std::uint64_t> delivered;      // instruction words, in order
  std::vector<std::uint64_t> delivered_at;   // cycle of each handshake
  std::deque<std::uint64_t> resp;            // response words to offer
  std::vector<std::uint64_t> resp_taken_at;  // cycle of each response handshake
  bool instr_ready = true;
  double instr_ready_p = 1.0;
  std::array<std::uint64_t, n_ev> ev{};
  std::function<void()> each_cycle;  // host model hook, runs before the inputs are set

  Varq_engine& dut() { return h_.dut(); }
  std::uint64_t now() const { return h_.cycle(); }

  void step() {
    if (each_cycle) each_cycle();
    auto& d = h_.dut();
    wire.drive();
    d.instr_ready_i = instr_ready && chance(instr_ready_p);
    d.resp_valid_i = !resp.empty();
    d.resp_data_i = resp.empty() ? 0 : resp.front();
    h_.settle();
    wire.sample(now());
    if (d.instr_valid_o && d.instr_ready_i) {
      delivered.push_back(d.instr_data_o);
      delivered_at.push_back(now());
    }
    if (d.resp_valid_i && d.resp_ready_o) {
      resp.pop_front();
      resp_taken_at.push_back(now());
    }
    for (unsigned i = 0; i < n_ev; ++i) ev[i] += (d.ev_o >> i) & 1;
    h_.rise();
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  /// Steps until `done` holds; fails the test after `limit` cycles, so no wait can hang.
  void run_until(const std::function<bool()>& done, std::uint64_t limit = 200000) {
    for (std::uint64_t i = 0; i < limit && !done(); ++i) step();
    BOOST_REQUIRE_MESSAGE(done(), "condition not reached within " << limit << " cycles (at cycle " << now() << ")");
  }
  /// Runs until the wire has delivered every queued datagram and `n` more cycles passed.
  void flush_input(std::uint64_t n = 4) {
    run_until([&] { return wire.input_idle(); });
    run(n);
  }

 private:
  Harness<Varq_engine> h_;
};

inline std::vector<std::uint64_t> words(std::size_t n, std::uint64_t tag) {
  std::vector<std::uint64_t> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = (tag << 32) | (0xA5ull << 24) | i;
  return w;
}

inline std::vector<std::uint64_t> concat(const std::vector<std::vector<std::uint64_t>>& frames) {
  std::vector<std::uint64_t> out;
  for (const auto& f : frames) out.insert(out.end(), f.begin(), f.end());
  return out;
}

/// The standalone ACK datagrams received from the engine.
inline std::vector<const Received*> ack_only_frames(const ArqWire& w) {
  std::vector<const Received*> out;
  for (const auto& r : w.received)
    if (r.frame.ack_only) out.push_back(&r);
  return out;
}

}  // namespace nmtwin::tb::arq_bench
