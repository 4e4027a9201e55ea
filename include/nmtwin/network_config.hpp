// Typed helpers for the inter-chip spike path (docs/multichip.md): routing table
// entries, buckets, 48-bit counters, systime sync over the global interrupt. They add
// register writes and reads to a Program; values out of range throw
// std::invalid_argument naming the field, its value and its limit.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "nmtwin/program.hpp"

namespace nmtwin::hostlink {

/// Routing table entry: events of `split` with label bits 13:0 == `source` go to
/// `bucket` and arrive at the destination as `dest_label` (same split).
struct Route {
  unsigned split = 0;
  std::uint16_t source = 0;  ///< 14 bits
  unsigned bucket = 0;       ///< 0..7
  std::uint16_t dest_label = 0;
};
void write_route(Program& program, const Route& route);
/// One register-bus write; the helpers below give what write_route/write_bucket write.
struct BusWrite {
  std::uint32_t addr = 0, value = 0;
};
BusWrite route_write(const Route& route);
/// Makes the entry invalid: its events are dropped and counted (router_loss_invalid).
void clear_route(Program& program, unsigned split, std::uint16_t source);

/// One accumulation bucket.
struct Bucket {
  std::uint16_t dest = 0;  ///< node id, or multicast group id
  bool multicast = false;
  unsigned delay = 0;           ///< destination_delay in systime ticks, < 1024
  unsigned pulse_timeout = 0;   ///< cycles without a new event before a flush; 0: off
  unsigned packet_timeout = 0;  ///< cycles after the first event before a flush; 0: off
};
void write_bucket(Program& program, unsigned index, const Bucket& bucket);
std::vector<BusWrite> bucket_writes(unsigned index, const Bucket& bucket);

/// A 48-bit counter: two reads (the first latches the high half), one snapshot.
class Counter48 {
 public:
  Counter48() = default;
  std::uint64_t value() const;

 private:
  friend Counter48 read_counter48(Program&, std::uint32_t);
  Ticket lo_, hi_;
};
Counter48 read_counter48(Program& program, std::uint32_t addr);

/// Systime sync (docs/multichip.md), in two steps so that no FPGA can miss the
/// interrupt: run a program with prepare_systime_sync() on every FPGA to completion,
/// then start the programs that begin with synchronized_start() — the root's last.
///
/// gi_delay of each FPGA: `latency[i]` is the number of cycles from the root sending
/// the global interrupt to FPGA i receiving it (0 for the root), from the network's
/// distribution tree; every FPGA then fires on the same cycle.
std::vector<std::uint64_t> gi_delays(std::span<const std::uint64_t> latency);
/// Writes gi_delay, the systime preset and gi_mode (load systime when the interrupt fires).
void prepare_systime_sync(Program& program, std::uint64_t gi_delay, std::uint64_t preset);
/// The root waits sync_margin_cycles (the other FPGAs' programs reach their barrier
/// meanwhile), then sends the global interrupt; every FPGA waits for it to fire
/// (systime is then the preset everywhere) and resets its experiment timer.
inline constexpr std::uint64_t sync_margin_cycles = 2500;  // 20 us
void synchronized_start(Program& program, bool root);
}  // namespace nmtwin::hostlink
