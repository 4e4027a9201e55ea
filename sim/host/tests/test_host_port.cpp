#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "sim/host/host_port.hpp"
#include "tests/support/udp_client.hpp"

using nmtwin::sim::HostPort;
using nmtwin::testsupport::UdpClient;
using namespace std::chrono_literals;

namespace {

std::optional<nmtwin::sim::Inbound> wait_receive(HostPort& port) {
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto d = port.receive()) return d;
    port.wait_for_input(10ms);
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::uint8_t> reset_word{0xAB, 0xAB, 0xAB, 0xAB};
// A CFG frame as the FPGA sends it (PTYPE 0x8001), contents beside the point here.
const std::vector<std::uint8_t> cfg_frame{0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x01, 0, 0};

BOOST_AUTO_TEST_CASE(datagrams_cross_in_both_directions_and_a_reset_from_another_host_takes_the_link_over) {
  HostPort port({});
  BOOST_TEST(port.data_port() != 0);
  BOOST_TEST(port.reset_port() != port.data_port());

  UdpClient a;
  a.send_to(port.reset_port(), reset_word);
  auto in = wait_receive(port);
  BOOST_REQUIRE(in.has_value());
  BOOST_TEST(in->reset_port);
  BOOST_TEST(in->bytes == reset_word);

  port.send({1, 2, 3});
  auto reply = a.receive();
  BOOST_REQUIRE(reply.has_value());
  BOOST_TEST(*reply == (std::vector<std::uint8_t>{1, 2, 3}));

  UdpClient b;  // data from another host never reaches the FPGA
  b.send_to(port.data_port(), {9});
  b.send_to(port.reset_port(), {0xAB, 0xAB, 0xAB});  // not a reset: the FPGA's to count
  in = wait_receive(port);
  BOOST_REQUIRE(in.has_value());
  BOOST_TEST((in->reset_port && in->bytes.size() == 3u));
  BOOST_TEST(port.take_log().empty());

  b.send_to(port.reset_port(), reset_word);  // takes the link over
  in = wait_receive(port);
  BOOST_REQUIRE(in.has_value());
  BOOST_TEST(in->reset_port);
  const auto log = port.take_log();
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0].find("takes the link over from 127.0.0.1:") != std::string::npos, log[0]);
  port.send(cfg_frame);  // the FPGA's answer to b's reset: a gets a copy, once
  port.send({4});
  BOOST_TEST((b.receive() == std::optional(cfg_frame)));
  BOOST_TEST((b.receive() == std::optional(std::vector<std::uint8_t>{4})));
  BOOST_TEST((a.receive() == std::optional(cfg_frame)));
  BOOST_TEST(!a.receive(100).has_value());
  a.send_to(port.data_port(), {5});  // a, still talking: dropped, answered with the CFG again
  BOOST_TEST(!wait_receive(port).has_value());
  BOOST_TEST((a.receive() == std::optional(cfg_frame)));

  const auto s = port.stats();
  BOOST_TEST(s.rx_datagrams == 5u);
  BOOST_TEST(s.tx_datagrams == 3u);
  BOOST_TEST(s.client_changes == 1u);
  BOOST_TEST(s.rx_other_host == 2u);
  BOOST_TEST(s.takeover_notices == 2u);
}

BOOST_AUTO_TEST_CASE(exclusive_refuses_another_hosts_reset_while_the_session_is_active) {
  HostPort port({.bind_address = "127.0.0.1",
                 .data_port = 0,
                 .reset_port = 0,
                 .signal = {},
                 .exclusive = true,
                 .session_idle = 300ms});
  UdpClient a, b;
  a.send_to(port.reset_port(), reset_word);
  BOOST_REQUIRE(wait_receive(port).has_value());
  b.send_to(port.reset_port(), reset_word);  // refused: a was heard from just now
  BOOST_TEST(!wait_receive(port).has_value());
  auto log = port.take_log();
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0].find("refused: the link belongs to 127.0.0.1:") != std::string::npos, log[0]);
  port.send({1});
  BOOST_TEST((a.receive() == std::optional(std::vector<std::uint8_t>{1})));
  std::this_thread::sleep_for(400ms);  // a silent for longer than session_idle: the session ended
  b.send_to(port.reset_port(), reset_word);
  BOOST_REQUIRE(wait_receive(port).has_value());
  log = port.take_log();
  BOOST_REQUIRE_EQUAL(log.size(), 1u);
  BOOST_TEST(log[0].find("takes the link over") != std::string::npos, log[0]);
  const auto s = port.stats();
  BOOST_TEST(s.resets_refused == 1u);
  BOOST_TEST(s.client_changes == 1u);
}

BOOST_AUTO_TEST_CASE(a_port_in_use_is_a_clear_error) {
  HostPort first({});
  try {
    HostPort second({.bind_address = "127.0.0.1", .data_port = first.data_port(), .reset_port = 0, .signal = {}});
    BOOST_FAIL("binding a used port should throw");
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find(std::to_string(first.data_port())) != std::string::npos, what);
    BOOST_TEST(what.find("--port") != std::string::npos, what);
  }
  BOOST_CHECK_THROW(HostPort({.bind_address = "localhost!", .data_port = 0, .reset_port = 0, .signal = {}}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(input_on_any_port_sharing_a_signal_wakes_the_waiter) {
  auto signal = std::make_shared<nmtwin::sim::InputSignal>();
  HostPort first({.bind_address = "127.0.0.1", .data_port = 0, .reset_port = 0, .signal = signal});
  HostPort second({.bind_address = "127.0.0.1", .data_port = 0, .reset_port = 0, .signal = signal});
  UdpClient c;
  c.send_to(second.data_port(), {1, 2, 3});
  const auto t0 = std::chrono::steady_clock::now();
  std::optional<nmtwin::sim::Inbound> in;
  while (!in && std::chrono::steady_clock::now() - t0 < 5s) {
    first.wait_for_input(10s);  // woken by the second port's datagram, long before 10 s
    in = second.receive();
  }
  BOOST_REQUIRE(in.has_value());
  BOOST_TEST(in->bytes == (std::vector<std::uint8_t>{1, 2, 3}));
  BOOST_TEST(!first.receive().has_value());
}

BOOST_AUTO_TEST_CASE(every_datagram_the_kernel_drops_while_the_simulation_is_behind_is_counted) {
  HostPort port({});
  UdpClient c;
  // Far more than the socket buffer holds (the kernel caps it at net.core.rmem_max),
  // sent while nobody reads.
  const std::vector<std::uint8_t> big(32000, 0x5A);
  constexpr unsigned sent = 1000;
  for (unsigned i = 0; i < sent; ++i) c.send_to(port.data_port(), big);
  unsigned received = 0;
  while (wait_receive(port)) ++received;
  const auto s = port.stats();
  BOOST_TEST(s.rx_overflow > 0u);
  BOOST_TEST(s.rx_datagrams == received);
  BOOST_TEST(s.rx_datagrams + s.rx_overflow == sent);
}
