#pragma once
// Every spike accounted for (docs/network.md, "The conservation law"): after a run the
// system's sources are stopped, the network drains, and every FPGA's spike-path
// counters (plus, in-process, the switches' unroutable counts) must balance:
//
//   per node, send side:    events_routed = Σ bucket_events
//   per node and split s:   decoder_events[s] = delay_events[s] + delay_loss_expired[s]
//                                               + delay_loss_full[s]
//   system:                 Σ copies × bucket_events = Σ decoder_events + unroutable events
//
// where a bucket's copies are the nodes its packets reach (1 for unicast; for a
// multicast group in a switched network, its members but the sender). The one place
// the law lives: run_system checks it for every system run (regression scenarios,
// study points, `nmtwin run` of a multi-chip system).

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "extoll/network.hpp"
#include "nmtwin/connection.hpp"

namespace nmtwin::apps {

/// One FPGA's spike-path counters, read together after the network drained.
struct NodeLedger {
  std::uint64_t events_routed = 0;
  std::uint64_t router_loss_disabled = 0, router_loss_invalid = 0;  ///< counted before the buckets
  std::array<std::uint64_t, 16> bucket_events{};                     ///< index bucket * 2 + split
  std::array<std::uint32_t, 8> bucket_dest{};                        ///< the buckets' destinations at the end
  std::array<std::uint64_t, 2> decoder_events{}, delay_events{}, delay_loss_expired{}, delay_loss_full{};

  /// Events this node put into the network (Σ bucket_events).
  std::uint64_t sent() const;
  bool operator==(const NodeLedger&) const = default;
};

/// The system's counters after a run.
struct SystemLedger {
  std::vector<NodeLedger> nodes;
  /// Events the switches dropped for want of a route; std::nullopt when the switches'
  /// counters cannot be read (a remote target: only the FPGAs answer the host).
  std::optional<std::uint64_t> unroutable_events;
  /// Drain rounds it took until the counters balanced or stood still.
  unsigned drain_rounds = 0;
  /// False when the counters still changed in the last round (traffic never stopped).
  bool settled = true;
};

/// Every broken balance of `ledger` on the network `spec`, one sentence each naming the
/// node (or "system") and the counters with their values; empty when the law holds.
/// Without switch counters (unroutable_events empty) the system law is checked as
/// "no more events arrived than were sent".
std::vector<std::string> conservation_violations(const extoll::NetworkSpec& spec, const SystemLedger& ledger);

/// A run that lost (or made up) a spike without counting it.
class ConservationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws ConservationError listing every violation.
void check_conservation(const extoll::NetworkSpec& spec, const SystemLedger& ledger);

/// FPGA cycles one drain round waits: longer than a bucket's longest timeouts
/// (2 × 255), the largest destination_delay (1023) and a packet's trip with link
/// retransmissions at zero load.
inline constexpr std::uint64_t drain_round_cycles = 4096;
/// Rounds after which counters that still change are an error (traffic never stopped).
inline constexpr unsigned max_drain_rounds = 64;

/// Stops every FPGA's event sources (event_source = 0), then waits drain rounds on all
/// FPGAs together and reads their counters until the law holds or two rounds read the
/// same (nothing is moving any more). `unroutable` gives the switches' count when they
/// can be read (in-process); empty otherwise. Throws what Connection::run throws.
SystemLedger drain_and_read(std::span<hostlink::Connection* const> fpgas, const extoll::NetworkSpec& spec,
                            const std::function<std::uint64_t()>& unroutable);

}  // namespace nmtwin::apps
