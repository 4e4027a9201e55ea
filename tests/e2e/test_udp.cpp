// End-to-end over real UDP on loopback: the host library against a running `nmtwin sim`.
// usage (CTest passes it): test_udp -- PATH/TO/nmtwin
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "nmtwin/connect.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/spec.hpp"
#include "tests/support/server_process.hpp"

namespace spec = nmtwin::spec;
namespace hl = nmtwin::hostlink;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string nmtwin_binary() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_REQUIRE_MESSAGE(suite.argc >= 2, "usage: test_udp -- PATH/TO/nmtwin");
  return suite.argv[suite.argc - 1];
}

// `nmtwin sim --port 0` in a child process, stopped with SIGTERM.
struct Server : nmtwin::testsupport::ServerProcess {
  explicit Server(const std::vector<std::string>& extra = {}) : ServerProcess(nmtwin_binary(), extra) {}
  std::string stop() {
    auto [printed, ok] = ServerProcess::stop();
    BOOST_TEST(ok, "nmtwin sim did not exit cleanly: " << printed);
    return printed;
  }
};

// 100 000 instructions, 10 000 of them tagged reads of registers written earlier.
struct BigProgram {
  hl::Program program;
  std::vector<hl::Ticket> tickets;
  BigProgram() {
    for (unsigned i = 0; i < 10'000; ++i) {
      const std::uint32_t value = i * 2654435761u;
      program.write(spec::fpga_reg::scratch, value);
      tickets.push_back(program.read(spec::fpga_reg::scratch));
      for (int k = 0; k < 4; ++k) program.nop();
      program.spike(static_cast<std::uint16_t>(i & 0xFF));
      program.nop();
      program.nop();
      program.nop();
    }
  }
  std::vector<std::uint32_t> values() const {
    std::vector<std::uint32_t> v;
    for (const auto& t : tickets) v.push_back(t.value());
    return v;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_big_program_survives_loss_duplication_and_reordering) {
  Server server;
  BigProgram clean;
  BOOST_REQUIRE_GE(clean.program.size(), 100'000u);
  {
    auto c = hl::connect(server.url());
    c->run(clean.program);
  }
  BigProgram impaired;
  auto c = hl::connect(server.url("impair=loss=0.05,dup=0.02,reorder=0.02,seed=11"));
  c->run(impaired.program);
  BOOST_TEST(impaired.values() == clean.values(), boost::test_tools::per_element());
  for (std::size_t i = 0; i < 10'000; i += 997)
    BOOST_TEST(clean.tickets[i].value() == static_cast<std::uint32_t>(i * 2654435761u));
  BOOST_TEST(c->stats().retransmits > 0u);
  BOOST_TEST_MESSAGE(c->stats());  // the example in docs/hostlink.md, "Statistics"
  const auto printed = server.stop();
  BOOST_TEST(printed.find("M cycles/s") != std::string::npos, printed);
  BOOST_TEST(printed.find("rx ") != std::string::npos, printed);
}

// The server's own --impair: both directions impaired at the server and at the host.
BOOST_AUTO_TEST_CASE(impairment_at_the_server_and_the_host_loses_nothing) {
  BigProgram clean;
  {
    Server server;
    auto c = hl::connect(server.url());
    c->run(clean.program);
  }
  Server server({"--impair", "loss=0.05,dup=0.02,reorder=0.02,seed=5"});
  BigProgram impaired;
  {
    auto c = hl::connect(server.url("impair=loss=0.05,dup=0.02,reorder=0.02,seed=12"));
    c->run(impaired.program);
    BOOST_TEST(impaired.values() == clean.values(), boost::test_tools::per_element());
    BOOST_TEST(c->stats().retransmits > 0u);
    BOOST_TEST(c->stats().duplicates > 0u);
  }
  const auto printed = server.stop();
  // "impaired: lost A/B, duplicated C/D, reordered E/F": every count above zero.
  const auto at = printed.find("impaired: lost ");
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, printed);
  unsigned counts[6] = {};
  BOOST_REQUIRE_EQUAL(std::sscanf(printed.c_str() + at, "impaired: lost %u/%u, duplicated %u/%u, reordered %u/%u",
                                  &counts[0], &counts[1], &counts[2], &counts[3], &counts[4], &counts[5]),
                      6);
  for (unsigned n : counts) BOOST_TEST(n > 0u, printed);
}

BOOST_AUTO_TEST_CASE(version_mismatch_is_refused_with_a_clear_error) {
  Server server;
  hl::ConnectOptions options;
  options.version = "9.0.0/9.0.0";
  const auto t0 = Clock::now();
  try {
    hl::connect(server.url(), options);
    BOOST_FAIL("the handshake should refuse another version");
  } catch (const hl::LinkError& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find(std::to_string(server.port())) != std::string::npos, what);
    BOOST_TEST(what.find(std::string(spec::version)) != std::string::npos, what);
    BOOST_TEST(what.find("9.0.0") != std::string::npos, what);
  }
  BOOST_TEST((Clock::now() - t0 < 10s));
}

BOOST_AUTO_TEST_CASE(no_server_gives_a_clear_error_in_bounded_time) {
  std::uint16_t free_port = 0;
  {
    Server server;  // a port that was just free, now closed again
    free_port = server.port();
  }
  const auto t0 = Clock::now();
  const std::string url = "udp://127.0.0.1:" + std::to_string(free_port);
  try {
    hl::connect(url);
    BOOST_FAIL("connecting to a closed port should fail");
  } catch (const hl::LinkError& e) {
    BOOST_TEST(std::string(e.what()).find(std::to_string(free_port)) != std::string::npos, e.what());
  }
  BOOST_TEST((Clock::now() - t0 < 15s));
}

BOOST_AUTO_TEST_CASE(wrong_ports_give_a_clear_error_in_bounded_time) {
  Server server;
  const std::string data = std::to_string(server.port());
  // The reset word to the data port: the FPGA drops it (counted), no CFG ever comes.
  hl::ConnectOptions quick;
  quick.reset_timeout = 20ms;
  const auto t0 = Clock::now();
  try {
    hl::connect("udp://127.0.0.1:" + data + "?reset_port=" + data, quick);
    BOOST_FAIL("a reset sent to the data port should not get a CFG reply");
  } catch (const hl::LinkError& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("udp://127.0.0.1:" + data) != std::string::npos, what);
    BOOST_TEST(what.find("no CFG reply") != std::string::npos, what);
    BOOST_TEST(what.find("data port") != std::string::npos, what);
  }
  BOOST_TEST((Clock::now() - t0 < 15s));
  // The data port one off: nothing listens on the reset port it implies.
  const std::string off = std::to_string(server.port() + 1000);
  try {
    hl::connect("udp://127.0.0.1:" + off);
    BOOST_FAIL("a port where nothing listens should fail");
  } catch (const hl::LinkError& e) {
    BOOST_TEST(std::string(e.what()).find("udp://127.0.0.1:" + off) != std::string::npos, e.what());
  }
  hl::Program p;  // the server took no harm and counted the 6 stray reset words
  auto dropped = p.read(spec::fpga_reg::arq_drop_window);
  auto c = hl::connect(server.url());
  c->run(p);
  BOOST_TEST(dropped.value() == 6u);
}

BOOST_AUTO_TEST_CASE(a_second_client_takes_the_link_over_and_a_vanished_one_leaves_it_serving) {
  Server server;
  {
    auto first = hl::connect(server.url());
    hl::Program p;
    p.write(spec::fpga_reg::scratch, 7);
    first->run(p);
  }  // vanishes without a goodbye
  auto second = hl::connect(server.url());
  hl::Program p;
  auto t = p.read(spec::fpga_reg::scratch);
  second->run(p);
  BOOST_TEST(t.value() == 7u);
}

BOOST_AUTO_TEST_CASE(tshark_reads_the_capture) {
  Server server;
  const auto pcap = std::filesystem::temp_directory_path() / ("nmtwin-udp-" + std::to_string(::getpid()) + ".pcap");
  {
    auto c = hl::connect(server.url("pcap=" + pcap.string()));
    hl::Program p;
    auto t = p.read(spec::fpga_reg::id);
    c->run(p);
    BOOST_TEST(t.value() == 0x4E4D5457u);
  }
  if (std::system("command -v tshark >/dev/null 2>&1") != 0) {
    BOOST_WARN_MESSAGE(false, "tshark is not installed (scripts/setup installs it); skipping its check");
  } else {
    const std::string cmd = "tshark -r '" + pcap.string() + "' 2>&1 | grep -c UDP";
    FILE* f = ::popen(cmd.c_str(), "r");
    char buf[64] = {};
    BOOST_REQUIRE(f && std::fgets(buf, sizeof buf, f));
    ::pclose(f);
    BOOST_TEST(std::atoi(buf) >= 3, "tshark saw " << buf << " UDP packets");
  }
  std::filesystem::remove(pcap);
}
