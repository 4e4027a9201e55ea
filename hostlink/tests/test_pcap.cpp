// PcapWriter: the file parses back as pcap with IPv4/UDP records whose lengths
// and checksums are right; tshark reads it when it is installed.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hostlink/capturing_link.hpp"
#include "hostlink/pcap.hpp"

using namespace nmtwin::hostlink;
using namespace std::chrono_literals;

namespace {

std::uint32_t le(const std::vector<std::uint8_t>& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | b[at + static_cast<std::size_t>(i)];
  return v;
}
std::uint32_t be(const std::vector<std::uint8_t>& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | b[at + static_cast<std::size_t>(i)];
  return v;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("nmtwin_" + std::to_string(::getpid()) + "_" + name)).string();
}

// A DatagramLink that echoes what is sent to its data port.
class EchoLink : public DatagramLink {
 public:
  void send(Port port, std::span<const Datagram> datagrams) override {
    if (port == Port::data) queue_.insert(queue_.end(), datagrams.begin(), datagrams.end());
  }
  using DatagramLink::send;
  bool receive(std::vector<Datagram>& out, Clock::time_point) override {
    out.insert(out.end(), queue_.begin(), queue_.end());
    const bool any = !queue_.empty();
    queue_.clear();
    return any;
  }
  std::string endpoint() const override { return "echo:"; }

 private:
  std::vector<Datagram> queue_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(pcap_writer)

BOOST_AUTO_TEST_CASE(records_parse_back_with_correct_lengths_and_checksums) {
  const std::string path = temp_path("records.pcap");
  std::int64_t tick = 1'700'000'000'000'000'000;
  {
    PcapWriter writer(path, [&] { return std::chrono::nanoseconds(tick += 1'500); });
    writer.write({0x7F000001, 40000}, {0x7F000001, 5000}, Datagram{1, 2, 3, 4, 5});  // odd length
    writer.write({0x7F000001, 5000}, {0x7F000001, 40000}, Datagram(1452, 0xEE));
    writer.write({0x7F000001, 40000}, {0x7F000001, 5001}, Datagram{});
    BOOST_TEST(writer.records() == 3u);
  }
  const auto b = read_file(path);
  BOOST_TEST_REQUIRE(b.size() == 24u + 3 * (16 + 28) + 5 + 1452);
  BOOST_TEST(le(b, 0, 4) == pcap::magic_nanoseconds);
  BOOST_TEST(le(b, 4, 2) == 2u);
  BOOST_TEST(le(b, 6, 2) == 4u);
  BOOST_TEST(le(b, 20, 4) == pcap::linktype_raw);
  std::size_t at = 24;
  const std::size_t payloads[] = {5, 1452, 0};
  const std::uint16_t destinations[] = {5000, 40000, 5001};
  for (int r = 0; r < 3; ++r) {
    const std::uint64_t ns = tick - 1'500 * (2 - r);
    BOOST_TEST(le(b, at, 4) == ns / 1'000'000'000);
    BOOST_TEST(le(b, at + 4, 4) == ns % 1'000'000'000);
    const std::uint32_t captured = le(b, at + 8, 4);
    BOOST_TEST(captured == 28 + payloads[r]);
    BOOST_TEST(le(b, at + 12, 4) == captured);
    const std::size_t ip = at + 16;
    const std::span<const std::uint8_t> packet(b.data() + ip, captured);
    BOOST_TEST(packet[0] == 0x45);
    BOOST_TEST(be(b, ip + 2, 2) == captured);                     // IPv4 total length
    BOOST_TEST(packet[9] == 17);                                  // UDP
    BOOST_TEST(pcap::internet_checksum(packet.first(20)) == 0u);  // header checksum verifies
    BOOST_TEST(be(b, ip + 12, 4) == 0x7F000001u);
    BOOST_TEST(be(b, ip + 22, 2) == destinations[r]);
    BOOST_TEST(be(b, ip + 24, 2) == 8 + payloads[r]);  // UDP length
    const std::uint32_t pseudo = 0x7F00 + 0x0001 + 0x7F00 + 0x0001 + 17 + be(b, ip + 24, 2);
    BOOST_TEST(pcap::internet_checksum(packet.subspan(20), pseudo) == 0u);  // UDP checksum verifies
    at += 16 + captured;
  }
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(a_capturing_link_records_both_directions_and_tshark_reads_it) {
  const std::string path = temp_path("link.pcap");
  {
    CapturingLink link(std::make_unique<EchoLink>(), std::make_unique<PcapWriter>(path));
    link.send(Port::reset, Datagram{0xAB, 0xAB, 0xAB, 0xAB});
    link.send(Port::data, Datagram{0, 0, 0, 1});
    std::vector<Datagram> got;
    BOOST_TEST((link.receive(got, Clock::now())));
    BOOST_TEST(link.writer().records() == 3u);
  }
  const auto b = read_file(path);
  BOOST_TEST(b.size() == 24u + 3 * (16 + 28 + 4));
  if (std::system("command -v tshark >/dev/null 2>&1") == 0) {
    const std::string out = path + ".txt";
    BOOST_TEST(std::system(
                   ("tshark -r " + path + " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -V > " + out + " 2>&1")
                       .c_str()) == 0);
    const auto bytes = read_file(out);
    const std::string text(bytes.begin(), bytes.end());
    BOOST_TEST_MESSAGE(text);
    auto count = [&](const std::string& what) {
      std::size_t n = 0;
      for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
      return n;
    };
    BOOST_TEST(count("Destination Port: 5001") == 1u);
    BOOST_TEST(count("[Header checksum status: Good]") == 3u);
    BOOST_TEST(count("[Checksum Status: Good]") == 3u);
    std::filesystem::remove(out);
  } else {
    BOOST_TEST_MESSAGE("tshark not installed: the format is checked by parsing only");
  }
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(an_unwritable_path_is_an_error_naming_it) {
  BOOST_CHECK_EXCEPTION(PcapWriter("/nonexistent/dir/x.pcap"), std::runtime_error, [](const auto& e) {
    return std::string(e.what()).starts_with("/nonexistent/dir/x.pcap: cannot create the capture file");
  });
}

BOOST_AUTO_TEST_SUITE_END()
