// UdpLink against real sockets on 127.0.0.1: batches both ways, answers from
// either port, "nothing listens" as a clear error at once, and the whole ARQ
// stack over UDP by URL with impairment and capture.
#include <fmt/format.h>
#include <unistd.h>
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "nmtwin/connect.hpp"
#include "nmtwin/errors.hpp"
#include "hostlink/tests/message.hpp"
#include "hostlink/tests/udp_peer.hpp"
#include "hostlink/udp_link.hpp"

using namespace nmtwin::hostlink;
using namespace nmtwin::hostlink::test;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(udp_link)

BOOST_AUTO_TEST_CASE(datagrams_go_to_the_data_and_reset_ports_and_echoes_come_back) {
  UdpPeer echo;
  UdpLink link("127.0.0.1", echo.data_port(), echo.reset_port());
  BOOST_TEST(link.endpoint() == fmt::format("udp://127.0.0.1:{}", echo.data_port()));
  BOOST_TEST(link.local_port() != 0u);
  std::vector<Datagram> batch;
  for (std::uint8_t i = 0; i < 200; ++i) batch.push_back(Datagram(1 + i * 7u, i));
  link.send(Port::data, batch);
  link.send(Port::reset, Datagram{0xAB, 0xAB, 0xAB, 0xAB});
  std::vector<Datagram> got;
  const auto deadline = Clock::now() + 2s;
  while (got.size() < 201 && link.receive(got, deadline)) {
  }
  BOOST_TEST_REQUIRE(got.size() == 201u);
  for (std::size_t i = 0; i < 200; ++i) BOOST_REQUIRE(got[i] == batch[i]);  // loopback keeps the order
  BOOST_TEST(got[200] == (Datagram{0xAB, 0xAB, 0xAB, 0xAB}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(receive_waits_until_the_deadline_without_spinning) {
  UdpPeer echo;
  UdpLink link("127.0.0.1", echo.data_port(), echo.reset_port());
  std::vector<Datagram> got;
  const auto start = Clock::now();
  const std::clock_t cpu = std::clock();
  BOOST_TEST((!link.receive(got, start + 50ms)));
  BOOST_TEST((Clock::now() - start >= 50ms));
  BOOST_TEST(double(std::clock() - cpu) / CLOCKS_PER_SEC < 0.02);
}

BOOST_AUTO_TEST_CASE(nothing_listening_is_a_clear_error_at_once) {
  const std::uint16_t port = UdpPeer::closed_port();
  UdpLink link("127.0.0.1", port, port);
  link.send(Port::reset, Datagram{0xAB, 0xAB, 0xAB, 0xAB});
  std::vector<Datagram> got;
  const auto start = Clock::now();
  BOOST_CHECK_EXCEPTION(link.receive(got, start + 5s), LinkError, [&](const LinkError& e) {
    return message_contains(e, fmt::format("udp://127.0.0.1:{}: nothing listens on 127.0.0.1 port {} (the reset port)",
                                           port, port)) &&
           message_contains(e, "is `nmtwin sim` running?");
  });
  BOOST_TEST((Clock::now() - start < 1s));
}

BOOST_AUTO_TEST_CASE(connecting_to_a_server_that_is_not_running_fails_within_a_second) {
  const std::uint16_t port = UdpPeer::closed_port();
  const auto start = Clock::now();
  BOOST_CHECK_EXCEPTION(connect(fmt::format("udp://127.0.0.1:{}?reset_port={}", port, port)), LinkError,
                        [&](const LinkError& e) { return message_contains(e, "nothing listens"); });
  BOOST_TEST((Clock::now() - start < 1s));
}

BOOST_AUTO_TEST_CASE(a_host_that_does_not_resolve_is_named) {
  BOOST_CHECK_EXCEPTION(UdpLink("no-such-host.invalid", 5000), LinkError, [](const LinkError& e) {
    return message_contains(e, "udp://no-such-host.invalid:5000: cannot resolve the host 'no-such-host.invalid'");
  });
}

BOOST_AUTO_TEST_CASE(arq_over_udp_by_url_with_impairment_and_capture) {
  ReferenceFpga fpga;
  const std::string pcap =
      (std::filesystem::temp_directory_path() / ("nmtwin_" + std::to_string(::getpid()) + "_udp.pcap")).string();
  std::uint64_t frames_sent = 0;
  std::vector<Ticket> tickets;
  Program p;
  for (std::uint32_t i = 0; i < 2000; ++i) {
    tickets.push_back(p.read(i));
    p.write(i, i);
  }
  {
    UdpPeer peer(&fpga);
    auto connection =
        connect(fmt::format("udp://localhost:{}?reset_port={}&impair=loss%3D0.05,dup=0.02,reorder=0.02,"
                            "seed=3&pcap={}",
                            peer.data_port(), peer.reset_port(), pcap));
    BOOST_TEST(connection->endpoint() == fmt::format("udp://localhost:{}", peer.data_port()));
    connection->run(p);
    BOOST_TEST_MESSAGE(connection->stats());
    frames_sent = connection->stats().frames_sent + connection->stats().retransmits + connection->stats().acks_sent;
  }
  for (const Ticket& t : tickets) BOOST_REQUIRE(t.value() == ReferenceFpga::read_value(t.address()));
  BOOST_TEST(fpga.instructions == 1 + 4001u);  // the halt after the reset, the program
  // Every datagram the transport sent or received is in the capture.
  BOOST_TEST(std::filesystem::file_size(pcap) > 24 + frames_sent * 16);
  std::filesystem::remove(pcap);
}

BOOST_AUTO_TEST_SUITE_END()
