#include "hostlink/pcap.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace nmtwin::hostlink {
namespace {

constexpr std::size_t max_payload = 65535 - pcap::ipv4_header_bytes - pcap::udp_header_bytes;

// pcap headers are in the writer's byte order (the magic tells readers which);
// we always write little-endian so files are the same on every machine.
void put_le(std::vector<std::uint8_t>& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void put_be(std::vector<std::uint8_t>& out, std::uint32_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void patch_be16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t value) {
  out[at] = static_cast<std::uint8_t>(value >> 8);
  out[at + 1] = static_cast<std::uint8_t>(value);
}

}  // namespace

std::uint16_t pcap::internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial) {
  std::uint64_t sum = initial;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) sum += std::uint32_t{bytes[i]} << 8 | bytes[i + 1];
  if (bytes.size() % 2) sum += std::uint32_t{bytes.back()} << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

std::chrono::nanoseconds PcapWriter::wall_clock() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
}

PcapWriter::PcapWriter(std::string path, TimeSource clock) : path_(std::move(path)), clock_(std::move(clock)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_)
    throw std::runtime_error(
        fmt::format("{}: cannot create the capture file: {}; check the directory exists and is writable", path_,
                    std::strerror(errno)));
  std::vector<std::uint8_t> header;
  put_le(header, pcap::magic_nanoseconds, 4);
  put_le(header, 2, 2);  // version 2.4
  put_le(header, 4, 2);
  put_le(header, 0, 4);  // GMT
  put_le(header, 0, 4);  // timestamp accuracy
  put_le(header, 65535, 4);
  put_le(header, pcap::linktype_raw, 4);
  std::fwrite(header.data(), 1, header.size(), file_);
}

PcapWriter::~PcapWriter() {
  if (file_) std::fclose(file_);
}

void PcapWriter::write(const UdpEndpoint& from, const UdpEndpoint& to, std::span<const std::uint8_t> payload) {
  write(from, to, payload, clock_());
}

void PcapWriter::write(const UdpEndpoint& from, const UdpEndpoint& to, std::span<const std::uint8_t> payload,
                       std::chrono::nanoseconds timestamp) {
  if (payload.size() > max_payload)
    throw std::invalid_argument(fmt::format("{}: a datagram of {} bytes does not fit an IPv4 packet (at most {})",
                                            path_, payload.size(), max_payload));
  const auto udp_length = static_cast<std::uint32_t>(pcap::udp_header_bytes + payload.size());
  const auto ip_length = static_cast<std::uint32_t>(pcap::ipv4_header_bytes + udp_length);
  std::vector<std::uint8_t> record;
  record.reserve(pcap::record_header_bytes + ip_length);
  const auto ns = timestamp.count();
  put_le(record, static_cast<std::uint32_t>(ns / 1'000'000'000), 4);
  put_le(record, static_cast<std::uint32_t>(ns % 1'000'000'000), 4);
  put_le(record, ip_length, 4);  // captured
  put_le(record, ip_length, 4);  // on the wire
  const std::size_t ip = record.size();
  put_be(record, 0x4500, 2);  // IPv4, 20-byte header, no TOS
  put_be(record, ip_length, 2);
  put_be(record, ip_id_++, 2);
  put_be(record, 0x4000, 2);        // don't fragment
  put_be(record, 64 << 8 | 17, 2);  // TTL 64, UDP
  put_be(record, 0, 2);             // header checksum, below
  put_be(record, from.ipv4, 4);
  put_be(record, to.ipv4, 4);
  patch_be16(record, ip + 10, pcap::internet_checksum(std::span(record).subspan(ip, pcap::ipv4_header_bytes)));
  const std::size_t udp = record.size();
  put_be(record, from.port, 2);
  put_be(record, to.port, 2);
  put_be(record, udp_length, 2);
  put_be(record, 0, 2);  // checksum, below
  record.insert(record.end(), payload.begin(), payload.end());
  // The UDP checksum covers a pseudo header: addresses, protocol, UDP length.
  const std::uint32_t pseudo =
      (from.ipv4 >> 16) + (from.ipv4 & 0xFFFF) + (to.ipv4 >> 16) + (to.ipv4 & 0xFFFF) + 17 + udp_length;
  const std::uint16_t checksum = pcap::internet_checksum(std::span(record).subspan(udp), pseudo);
  patch_be16(record, udp + 6, checksum == 0 ? 0xFFFF : checksum);  // 0 would mean "no checksum"
  std::fwrite(record.data(), 1, record.size(), file_);
  ++records_;
}

void PcapWriter::flush() {
  if (std::fflush(file_) != 0 || std::ferror(file_))
    throw std::runtime_error(fmt::format("{}: writing the capture failed: {}", path_, std::strerror(errno)));
}

}  // namespace nmtwin::hostlink
