// PcapWriter: datagrams as a standard pcap file (nanosecond timestamps,
// LINKTYPE_RAW: each record an IPv4 header, a UDP header with its checksum, the
// payload), so tshark and Wireshark read a capture of the ARQ traffic. Timestamps
// come from a supplied clock: wall time by default, simulated time for a server
// that wants captures to repeat byte for byte. Not thread-safe: one writer per
// thread, or a lock around it.
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>

namespace nmtwin::hostlink {

/// One end of a UDP flow; address in host byte order.
struct UdpEndpoint {
  std::uint32_t ipv4 = 0x7F000001;  // 127.0.0.1
  std::uint16_t port = 0;
};

class PcapWriter {
 public:
  /// Time since the Unix epoch.
  using TimeSource = std::function<std::chrono::nanoseconds()>;
  static std::chrono::nanoseconds wall_clock();

  /// Creates (truncates) the file and writes the global header; throws
  /// std::runtime_error naming the path when it cannot.
  explicit PcapWriter(std::string path, TimeSource clock = wall_clock);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  /// One datagram from `from` to `to`, stamped with the clock. A payload larger
  /// than an IPv4 datagram holds (65507 bytes) is std::invalid_argument.
  void write(const UdpEndpoint& from, const UdpEndpoint& to, std::span<const std::uint8_t> payload);
  void write(const UdpEndpoint& from, const UdpEndpoint& to, std::span<const std::uint8_t> payload,
             std::chrono::nanoseconds timestamp);
  /// Pushes buffered records to the file; throws std::runtime_error on a write error.
  void flush();

  const std::string& path() const { return path_; }
  std::uint64_t records() const { return records_; }

 private:
  std::string path_;
  TimeSource clock_;
  std::FILE* file_ = nullptr;
  std::uint64_t records_ = 0;
  std::uint16_t ip_id_ = 0;
};

namespace pcap {
constexpr std::uint32_t magic_nanoseconds = 0xA1B23C4D;
constexpr std::uint32_t linktype_raw = 101;
constexpr std::size_t global_header_bytes = 24, record_header_bytes = 16, ipv4_header_bytes = 20, udp_header_bytes = 8;
/// The Internet checksum (RFC 1071) of `bytes` after adding `initial` (a partial sum).
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial = 0);
}  // namespace pcap

}  // namespace nmtwin::hostlink
