#include "nmtwin/network_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace nmtwin::hostlink {

namespace {
namespace layout = spec::layout;

void check(std::string_view what, std::uint64_t value, std::uint64_t limit) {
  if (value >= limit)
    throw std::invalid_argument(fmt::format("{} = {} is out of range: it must be below {}", what, value, limit));
}

std::uint32_t table_addr(unsigned split, std::uint16_t source) {
  check("route split", split, spec::net::splits);
  check("route source label", source, spec::net::router_entries);
  return spec::bus::table_base + split * spec::net::router_entries + source;
}
}  // namespace

BusWrite route_write(const Route& r) {
  const auto addr = table_addr(r.split, r.source);
  check("route bucket", r.bucket, spec::net::buckets);
  check("route destination label", r.dest_label, layout::RouterEntry::label_max + 1);
  return {addr, static_cast<std::uint32_t>(layout::RouterEntry{.valid = 1, .bucket = r.bucket, .label = r.dest_label}.encode())};
}

void write_route(Program& program, const Route& r) {
  const auto w = route_write(r);
  program.write(w.addr, w.value);
}

void clear_route(Program& program, unsigned split, std::uint16_t source) {
  program.write(table_addr(split, source), 0);
}

std::vector<BusWrite> bucket_writes(unsigned index, const Bucket& b) {
  check("bucket index", index, spec::net::buckets);
  check("bucket delay", b.delay, std::uint64_t{spec::fpga_reg::bucket_delay_fields::delay.max()} + 1);
  check("bucket pulse_timeout", b.pulse_timeout, layout::BucketTimeout::pulse_timeout_max + 1);
  check("bucket packet_timeout", b.packet_timeout, layout::BucketTimeout::packet_timeout_max + 1);
  return {{spec::fpga_reg::bucket_dest(index),
           static_cast<std::uint32_t>(layout::BucketDest{.multicast = b.multicast, .dest = b.dest}.encode())},
          {spec::fpga_reg::bucket_delay(index), b.delay},
          {spec::fpga_reg::bucket_timeout(index),
           static_cast<std::uint32_t>(
               layout::BucketTimeout{.packet_timeout = b.packet_timeout, .pulse_timeout = b.pulse_timeout}.encode())}};
}

void write_bucket(Program& program, unsigned index, const Bucket& b) {
  for (const auto& w : bucket_writes(index, b)) program.write(w.addr, w.value);
}

std::uint64_t Counter48::value() const { return (std::uint64_t{hi_.value()} << 32) | lo_.value(); }

Counter48 read_counter48(Program& program, std::uint32_t addr) {
  Counter48 c;
  c.lo_ = program.read(addr);
  c.hi_ = program.read(addr + 1);
  return c;
}

std::vector<std::uint64_t> gi_delays(std::span<const std::uint64_t> latency) {
  if (latency.empty()) return {};
  const std::uint64_t longest = *std::max_element(latency.begin(), latency.end());
  std::vector<std::uint64_t> delays;
  for (std::uint64_t l : latency) delays.push_back(longest - l);
  return delays;
}

void prepare_systime_sync(Program& program, std::uint64_t gi_delay, std::uint64_t preset) {
  check("gi_delay", gi_delay, std::uint64_t{spec::fpga_reg::gi_delay_fields::delay_count.max()} + 1);
  check("systime preset", preset, std::uint64_t{1} << spec::systime_bits);
  program.write(spec::fpga_reg::gi_delay, static_cast<std::uint32_t>(gi_delay));
  program.write(spec::fpga_reg::systime_preset_lo, static_cast<std::uint32_t>(preset));
  program.write(spec::fpga_reg::systime_preset_hi, static_cast<std::uint32_t>(preset >> 32));
  program.write(spec::fpga_reg::gi_mode, 1);
}

void synchronized_start(Program& program, bool root) {
  if (root) {
    // Give the other FPGAs' programs time to reach their barrier (a firing they miss
    // is remembered, but their timers would start late).
    program.timer_reset();
    program.wait_until(sync_margin_cycles);
    program.write(spec::fpga_reg::gi_control, 1);
  }
  program.wait_global_interrupt();
  program.timer_reset();
}

}  // namespace nmtwin::hostlink
