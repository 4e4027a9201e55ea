// Connections by URL: parsing, errors naming the URL and the accepted forms,
// schemes registered from outside (as sim/ does), NMTWIN_TARGET.
#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "nmtwin/connect.hpp"
#include "hostlink/tests/message.hpp"
#include "hostlink/scheme.hpp"
#include "hostlink/tests/reference_fpga.hpp"

using namespace nmtwin::hostlink;
using namespace nmtwin::hostlink::test;

namespace {

void fails(const std::string& url, const std::string& part) {
  BOOST_CHECK_EXCEPTION(connect(url), std::invalid_argument, [&](const auto& e) {
    return message_contains(e, "'" + url + "': " + part) && message_contains(e, "accepted: ") &&
           message_contains(e, "udp://HOST:PORT[?reset_port=N][&node=I]");
  });
}

// A scheme as sim/ registers one: the factory builds the link from the URL.
ReferenceFpga* pipe_fpga = nullptr;
void register_pipe_scheme() {
  register_scheme({.name = "pipe",
                   .form = "pipe:[?latency_us=N]",
                   .options = {"latency_us"},
                   .make_link = [](const Url& url) -> std::unique_ptr<DatagramLink> {
                     auto link = std::make_unique<PipeLink>(*pipe_fpga);
                     if (auto it = url.options.find("latency_us"); it != url.options.end())
                       link->set_latency(std::chrono::microseconds(std::stoi(it->second)));
                     return link;
                   }});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connect_by_url)

BOOST_AUTO_TEST_CASE(a_url_is_scheme_body_and_options) {
  const Url url = Url::parse("udp://127.0.0.1:5000?impair=loss=0.05,dup=0.02&pcap=/tmp/a%20b.pcap");
  BOOST_TEST(url.scheme == "udp");
  BOOST_TEST(url.body == "//127.0.0.1:5000");
  BOOST_TEST(url.options.at("impair") == "loss=0.05,dup=0.02");
  BOOST_TEST(url.options.at("pcap") == "/tmp/a b.pcap");
  BOOST_TEST(Url::parse("sim:node0").body == "node0");
}

BOOST_AUTO_TEST_CASE(a_udp_url_has_host_ports_and_node) {
  const Url plain = Url::parse("udp://fpga.lab:5000");
  BOOST_TEST(plain.host() == "fpga.lab");
  BOOST_TEST(plain.port() == 5000u);
  BOOST_TEST(plain.reset_port() == 5001u);
  BOOST_TEST(plain.node() == 0u);
  // Node i of a multi-node server: data port PORT + 2i, reset port its data port + 1.
  const Url node3 = Url::parse("udp://127.0.0.1:5000?node=3");
  BOOST_TEST(node3.host() == "127.0.0.1");
  BOOST_TEST(node3.node() == 3u);
  BOOST_TEST(node3.port() == 5006u);
  BOOST_TEST(node3.reset_port() == 5007u);
  // An explicit reset port is node 0's; node i's is 2i above it, like the data port.
  const Url moved = Url::parse("udp://127.0.0.1:5000?reset_port=6000&node=2");
  BOOST_TEST(moved.port() == 5004u);
  BOOST_TEST(moved.reset_port() == 6004u);
}

BOOST_AUTO_TEST_CASE(host_and_port_of_a_url_that_has_none_name_the_url) {
  const auto rejects = [](const std::string& url, auto part, const std::string& expected) {
    BOOST_CHECK_EXCEPTION(part(Url::parse(url)), std::invalid_argument,
                          [&](const auto& e) { return message_contains(e, "'" + url + "': " + expected); });
  };
  const auto host = [](const Url& u) { return u.host(); };
  const auto port = [](const Url& u) { return u.port(); };
  const auto reset_port = [](const Url& u) { return u.reset_port(); };
  rejects("sim:node1", host, "host, port and node are parts of a udp://HOST:PORT URL");
  rejects("sim:node1", port, "host, port and node are parts of a udp://HOST:PORT URL");
  rejects("udp://127.0.0.1", host, "expected udp://HOST:PORT");
  rejects("udp://127.0.0.1:x", port, "port 'x' is not a port number from 1 to 65535");
  rejects("udp://127.0.0.1:5000?node=-1", port, "node '-1' is not a node number from 0 to 32767");
  rejects("udp://127.0.0.1:65000?node=300", port, "node 300 would be at port 65600 = 65000 + 2 * 300, beyond 65535");
  rejects("udp://127.0.0.1:65535", reset_port, "the reset port 65536 (PORT + 1) is beyond 65535; give reset_port=N");
}

BOOST_AUTO_TEST_CASE(bad_urls_name_the_url_the_problem_and_the_accepted_forms) {
  fails("127.0.0.1:5000", "unknown scheme '127.0.0.1'");
  fails("localhost", "expected SCHEME:...");
  fails("udp:127.0.0.1:5000", "a udp URL starts with udp://");
  fails("udp://127.0.0.1", "expected udp://HOST:PORT");
  fails("udp://127.0.0.1:0", "port '0' is not a port number from 1 to 65535");
  fails("udp://127.0.0.1:70000", "port '70000' is not a port number");
  fails("udp://127.0.0.1:5000?reset_port=x", "reset_port 'x' is not a port number");
  fails("udp://127.0.0.1:5000?bogus=1", "unknown option 'bogus'");
  fails("udp://127.0.0.1:5000?node=x", "node 'x' is not a node number from 0 to 32767");
  fails("udp://127.0.0.1:5000?pcap", "option 'pcap' is not NAME=VALUE");
  fails("udp://127.0.0.1:5000?pcap=a&pcap=b", "option 'pcap' given twice");
  fails("udp://127.0.0.1:5000?impair=loss=2", "impairment item 'loss=2': a rate is a probability from 0 to 1");
  fails("udp://127.0.0.1:5000?pcap=%zz", "'%zz' has a bad %-escape");
  fails("sim:node0", "this program has no in-process simulator");
  fails("tcp://127.0.0.1:5000", "unknown scheme 'tcp'");
}

BOOST_AUTO_TEST_CASE(a_registered_scheme_gets_impairment_and_capture_like_udp) {
  ReferenceFpga fpga;
  pipe_fpga = &fpga;
  register_pipe_scheme();
  auto connection = connect("pipe:?latency_us=100&impair=loss=0.1,seed=5");
  BOOST_TEST(connection->endpoint() == "pipe:fpga0");
  Program p;
  const Ticket t = p.read(42);
  for (int i = 0; i < 1000; ++i) p.nop();
  connection->run(p);
  BOOST_TEST(t.value() == ReferenceFpga::read_value(42));
  fails("pipe:?latency=1", "unknown option 'latency'");
}

BOOST_AUTO_TEST_CASE(nmtwin_target_overrides_the_default_url) {
  ReferenceFpga fpga;
  pipe_fpga = &fpga;
  register_pipe_scheme();
  ::setenv(target_variable, "pipe:", 1);
  auto connection = connect_from_env("udp://127.0.0.1:1");  // the default would fail
  BOOST_TEST(connection->endpoint() == "pipe:fpga0");
  ::setenv(target_variable, "pipe:?what=1", 1);
  BOOST_CHECK_EXCEPTION(connect_from_env("udp://127.0.0.1:1"), std::invalid_argument, [](const auto& e) {
    return message_contains(e, "'pipe:?what=1': unknown option 'what'") &&
           message_contains(e, "(from the environment variable NMTWIN_TARGET)");
  });
  ::unsetenv(target_variable);
  BOOST_CHECK_EXCEPTION(connect_from_env("pipe:?x=1"), std::invalid_argument,
                        [](const auto& e) { return !message_contains(e, "NMTWIN_TARGET"); });
}

BOOST_AUTO_TEST_SUITE_END()
