// Bench for the control FPGA as the host sees it: programs go in as ARQ frames
// over the UDP payload stream and the responses come back as ARQ frames.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <map>

#include "Vnmtwin_top.h"
#include "arq_host.hpp"
#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace spec = nmtwin::spec;
using nmtwin::tb::Harness;
using namespace nmtwin::tb::arq_host;

namespace {

/// The top level with a host model on the UDP side; the chip side takes
/// everything and sends nothing.
class Top {
 public:
  explicit Top(const std::string& name) : h_(name), host(wire) {
    auto& d = h_.dut();
    wire.bind({&d.udp_rx_tvalid_i, &d.udp_rx_tkeep_i, &d.udp_rx_tlast_i, &d.udp_rx_port_i, &d.udp_rx_tready_o,
               &d.udp_rx_tdata_i, &d.udp_tx_tvalid_o, &d.udp_tx_tkeep_o, &d.udp_tx_tlast_o, &d.udp_tx_tready_i,
               &d.udp_tx_tdata_o});
  }

 private:
  Harness<Vnmtwin_top> h_;

 public:
  ArqWire wire;
  HostModel host;

  Vnmtwin_top& dut() { return h_.dut(); }
  std::uint64_t now() const { return h_.cycle(); }

  void step() {
    host.pump(now());
    auto& d = h_.dut();
    wire.drive();
    d.chip_tx_ready_i = 1;
    d.chip_rx_valid_i = 0;
    h_.settle();
    wire.sample(now());
    h_.rise();
  }
  void run(std::uint64_t n) {
    for (std::uint64_t i = 0; i < n; ++i) step();
  }
  void run_until(const std::function<bool()>& done, std::uint64_t limit = 200000) {
    for (std::uint64_t i = 0; i < limit && !done(); ++i) step();
    BOOST_REQUIRE_MESSAGE(done(), "condition not reached within " << limit << " cycles");
  }
  /// Read data by tag from the responses so far; fails unless exactly one.
  std::uint64_t read_data(std::uint64_t tag) const {
    std::vector<std::uint64_t> hits;
    for (const auto w : host.responses)
      if (spec::resp::selector(w) == spec::resp::ResponseType::read_data && spec::resp::ReadData::decode(w).tag == tag)
        hits.push_back(spec::resp::ReadData::decode(w).data);
    BOOST_REQUIRE_MESSAGE(hits.size() == 1, "tag " << tag << ": " << hits.size() << " read_data responses");
    return hits.front();
  }
  bool has_halt(std::uint64_t cookie) const {
    for (const auto w : host.responses)
      if (spec::resp::selector(w) == spec::resp::ResponseType::halt && spec::resp::Halt::decode(w).cookie == cookie)
        return true;
    return false;
  }
};

std::uint64_t read(std::uint64_t tag, std::uint32_t addr) {
  return spec::instr::Read{.tag = tag, .addr = addr}.encode();
}

}  // namespace

BOOST_AUTO_TEST_CASE(reset_then_a_program_in_arq_frames_answers_in_arq_frames) {
  Top top("program");
  top.wire.send(ack_only(spec::arq::reset_magic), /*reset_port=*/true);
  top.run_until([&] { return !top.host.cfg_frames.empty(); }, 1000);
  const Frame& cfg = top.host.cfg_frames.front();
  BOOST_TEST(cfg.seq == spec::arq::unsequenced);
  BOOST_REQUIRE(!cfg.words.empty());
  BOOST_TEST(cfg.words[0] == (std::uint64_t{spec::arq::window} << 48 | std::uint64_t{spec::arq::seq_space} << 32 |
                              std::uint64_t{spec::arq::max_payload_words} << 16 | spec::arq::version_string.size()));

  // Two frames: reads and a write, then the rest with the halt.
  top.host.add_frame({read(1, spec::fpga_reg::id),
                      spec::instr::Write{.byte_enable = 0xF, .addr = spec::fpga_reg::scratch}.encode(),
                      spec::instr::WriteData{.data = 0x12345678}.encode()});
  top.host.add_frame({read(2, spec::fpga_reg::scratch), read(3, spec::fpga_reg::arq_rx_frames),
                      read(4, spec::fpga_reg::arq_resets), spec::instr::Halt{.cookie = 0x77}.encode()});
  top.run_until([&] { return top.has_halt(0x77); }, 5000);
  BOOST_TEST(top.read_data(1) == 0x4E4D5457u);
  BOOST_TEST(top.read_data(2) == 0x12345678u);
  BOOST_TEST(top.read_data(3) == 2u);  // both frames were received when the read executed
  BOOST_TEST(top.read_data(4) == 1u);
  BOOST_TEST(top.host.responses.size() == 5u);
  BOOST_TEST(spec::resp::selector(top.host.responses.back()) == spec::resp::ResponseType::halt);
  // Every response frame was acknowledged; the host's frames were acknowledged by them.
  top.run_until([&] { return top.host.base == 2; }, 1000);
  top.run(20);
  BOOST_TEST(top.dut().idle_o);
}

BOOST_AUTO_TEST_CASE(thousands_of_tagged_reads_return_exactly_once) {
  Top top("reads");
  std::vector<std::uint64_t> prog;
  const std::uint64_t n = 3000;
  for (std::uint64_t t = 0; t < n; ++t) {
    prog.push_back(read(t, t % 2 ? spec::fpga_reg::scratch : spec::fpga_reg::id));
    if (prog.size() == spec::arq::max_payload_words || t + 1 == n) {
      top.host.add_frame(prog);
      prog.clear();
    }
  }
  top.host.add_frame({spec::instr::Halt{.cookie = 5}.encode()});
  top.run_until([&] { return top.has_halt(5); }, 100000);
  std::map<std::uint64_t, int> seen;
  for (const auto w : top.host.responses)
    if (spec::resp::selector(w) == spec::resp::ResponseType::read_data) ++seen[spec::resp::ReadData::decode(w).tag];
  BOOST_TEST(seen.size() == n);
  for (const auto& [tag, count] : seen) BOOST_TEST(count == 1, "tag " << tag);
  BOOST_TEST(top.read_data(0) == 0x4E4D5457u);
  BOOST_TEST_MESSAGE(n << " reads in " << top.now() << " cycles");
}

BOOST_AUTO_TEST_CASE(idle_flag_and_idle_speed) {
  Top top("idle");
  top.run(4);
  BOOST_TEST(top.dut().idle_o);
  top.host.add_frame({spec::instr::TimerReset{}.encode(), spec::instr::WaitUntil{.time = 200}.encode(),
                      spec::instr::Halt{.cookie = 9}.encode()});
  top.run(20);
  BOOST_TEST(!top.dut().idle_o);  // waiting, and the frame is not acknowledged yet
  top.run_until([&] { return top.has_halt(9); }, 2000);
  BOOST_TEST(!top.dut().idle_o);  // the response frame is not acknowledged yet
  top.run_until([&] { return top.dut().idle_o; }, 200);

  // Raw model speed with nothing to do, as the node wrapper drives it.
  Harness<Vnmtwin_top> h("idle_speed");
  h->udp_tx_tready_i = 1;
  h->chip_tx_ready_i = 1;
  const std::uint64_t n = 2'000'000;
  nmtwin::tb::run_idle_and_report_speed(h, n);
  BOOST_TEST(h->systime_o == n);
  BOOST_TEST(h->idle_o);
}
