#pragma once
// A switch of the EXTOLL-style network (docs/network.md): 7 ports, each the far end
// of one link, running the same link layer as the FPGA's NIC on both directions
// (sequence numbers, CRC, ACK/NAK, credits, go-back-N, timeout).  Store and forward:
// a packet whose last word arrived on cycle t may leave on t + latency, routed by
// its header's destination (a node id, or a multicast group) through tables built by
// extoll::Network.  A global interrupt is passed on to the ports of its tree.
//
// Event driven and exact: advance(until) handles every cycle before `until` on which
// something happens, given that every symbol arriving before `until` was delivered
// (the quantum is at most the smallest link latency).  Nothing is lost silently:
// packets dropped for a bad CRC, a gap or no route are counted.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "extoll/pacer.hpp"
#include "extoll/symbol.hpp"

namespace nmtwin::extoll {

struct SwitchConfig {
  static constexpr unsigned ports = 7;
  std::uint16_t id = 0;
  /// From the cycle a packet's last word arrived to the cycle its first word may leave.
  std::uint64_t latency_cycles = 16;
  std::array<bool, ports> connected{};
  std::array<double, ports> bits_per_cycle{50, 50, 50, 50, 50, 50, 50};
  std::map<std::uint16_t, unsigned> routes;      ///< destination node id -> port
  std::map<std::uint16_t, std::uint8_t> groups;  ///< multicast group -> ports (a copy to each but the input)
  std::uint8_t gi_children = 0;                  ///< ports a global interrupt is passed on to
  /// Ring dimension of each port (-1: none).  A packet entering a ring (from another
  /// dimension or a node) needs two credits of the next buffer, one continuing in
  /// the ring needs one (bubble flow control: rings and tori cannot deadlock).
  std::array<int, ports> dimension{-1, -1, -1, -1, -1, -1, -1};
};

struct SwitchStats {
  std::uint64_t packets_received = 0;  ///< kept: good and in sequence
  std::uint64_t packets_sent = 0;      ///< copies sent (first sends)
  std::uint64_t retransmits = 0;       ///< packets sent again after a NAK or a timeout
  std::uint64_t crc_errors = 0;        ///< dropped: bad CRC or length, or no free buffer
  std::uint64_t sequence_drops = 0;    ///< dropped: out of sequence (after a loss) or a repeat
  std::uint64_t unroutable_packets = 0, unroutable_events = 0;  ///< no route for the destination
  std::uint64_t gi_forwarded = 0;      ///< global interrupt pulses passed on
};

class Switch {
 public:
  static constexpr unsigned ports = SwitchConfig::ports;
  /// A global interrupt or a measurement reflection leaves this many cycles after it came in.
  static constexpr std::uint64_t pulse_latency = 1;

  explicit Switch(const SwitchConfig& config);

  /// A symbol arriving on `port` (from its link), in cycle order per kind.
  void deliver(unsigned port, const Symbol& symbol);
  /// Moves what `port` sent into `out` (words may be stamped ahead of the current cycle).
  void take_sent(unsigned port, std::vector<Symbol>& out);
  /// Handles every cycle before `until`.
  void advance(std::uint64_t until);

  /// No packet, symbol or acknowledgement outstanding.
  bool idle() const;
  const SwitchConfig& config() const { return config_; }
  const SwitchStats& stats() const { return stats_; }

 private:
  struct Held {                       // a packet in an input buffer
    std::vector<std::uint64_t> words;  // as received
    std::uint64_t ready = 0;           // may leave from this cycle on
    std::uint8_t pending = 0;          // output ports still to get a copy
  };
  struct Port {
    // Receiving side.
    std::deque<Symbol> words, controls, pulses;  // delivered, not yet handled
    std::vector<std::uint64_t> current;          // the packet arriving
    std::uint8_t expected = 0;
    bool gap_naked = false;
    std::deque<Held> held;
    // Sending side.
    Pacer pacer;
    std::uint64_t next_start = 0;  // a packet may start from this cycle on
    struct Sent {
      std::vector<std::uint64_t> words;
      unsigned credits_needed;  // the bubble rule holds for sending it again too
    };
    std::deque<Sent> window;  // sent, not acknowledged; front has seq `base`
    std::uint8_t base = 0;
    std::size_t resend = 0;  // index in `window` of the next packet to send again (window.size(): none)
    unsigned credits = 0;
    std::uint64_t quiet_since = 0;  // last ACK/NAK, or the send that made the window non-empty
    unsigned next_input = 0;        // round robin over the inputs
    std::vector<Symbol> sent;
  };

  void handle(std::uint64_t cycle);
  void receive_word(unsigned port, const Symbol& s, std::uint64_t cycle);
  void complete_packet(unsigned port, std::uint64_t cycle);
  void acknowledge(unsigned port, const Symbol& s, std::uint64_t cycle);
  void pass_pulse(unsigned port, const Symbol& s);
  std::uint8_t route(const std::vector<std::uint64_t>& words, unsigned in) const;
  unsigned credits_needed(unsigned in, unsigned out) const;
  bool try_send(unsigned out, std::uint64_t cycle);
  void put_on_wire(unsigned out, const std::vector<std::uint64_t>& words, std::uint64_t cycle);
  void release(unsigned in, std::uint64_t cycle);
  std::uint64_t next_event() const;
  void control(unsigned port, Symbol::Kind kind, std::uint8_t seq, std::uint64_t cycle);

  SwitchConfig config_;
  std::array<Port, ports> port_;
  std::uint64_t now_ = 0;  // every cycle before this one is handled
  SwitchStats stats_;
};

}  // namespace nmtwin::extoll
