// ConnectOptions: how a connection talks to its FPGA, given to connect(). The
// defaults suit hardware, `nmtwin sim` and the in-process simulator alike; tests
// and benchmarks change them. docs/hostlink.md ("The ARQ transport") explains each.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "nmtwin/spec.hpp"

namespace nmtwin::hostlink {

/// Bounds of the retransmission timeout, which follows the measured round trip.
struct RtoBounds {
  std::chrono::microseconds initial{200'000};  ///< before the first sample
  std::chrono::microseconds min{1'000};
  std::chrono::microseconds max{2'000'000};
};

struct ConnectOptions {
  RtoBounds rto;
  /// Give up (LinkError) when the retransmission timer expires more than this
  /// many times in a row with no datagram at all from the FPGA in between; with
  /// the RTO doubling up to rto.max, a dead FPGA is noticed within
  /// (max_resends + 1) * rto.max. A busy FPGA answers repeats and is never given up on.
  unsigned max_resends = 10;
  /// A received frame is acknowledged at the latest after ack_delay, or at once
  /// when ack_every frames wait, a duplicate or a frame after a gap arrives, or
  /// receive() hands words to the caller (no timer runs while the caller is away).
  std::chrono::microseconds ack_delay{500};
  unsigned ack_every = 16;
  /// Handshake: wait this long for the CFG reply, doubling per retry up to rto.max.
  std::chrono::milliseconds reset_timeout{200};
  unsigned reset_attempts = 6;
  /// The FPGA takes frames only in order and answers one it cannot take (after a
  /// lost frame, or a repeat) with an ACK at once. This many such ACKs (beyond
  /// those that datagrams still under way may cause) mean a gap: every
  /// unacknowledged frame goes again at once (fast retransmit, go-back-N). A
  /// retransmission timeout sends only the oldest frame again, unless the FPGA
  /// reported dropping later ones: it acknowledges a frame only once its executor
  /// took it, so a busy executor looks like a loss.
  unsigned duplicate_ack_threshold = 3;
  /// The FPGA acknowledges a frame once its executor took the words queued ahead of it,
  /// so the retransmission timer allows for them: RTO + unacknowledged words x the time
  /// the FPGA takes per word (at most rto.max). That time is measured from the ACKs of
  /// a stream; this is the guess before the first measurement (hardware: 8 ns a word;
  /// a simulated FPGA: 0.1-1 us, slower when traced).
  std::chrono::nanoseconds initial_word_time{1000};
  /// Limits of this host: an FPGA announcing more is refused at the handshake.
  std::uint32_t max_window = 4096;
  std::uint32_t max_payload_words = 8186;  ///< 12 + 8 * 8186 bytes fit a UDP datagram
  /// Cookie of the halt that follows every handshake; empty: random (see
  /// Connection::fix_resync_cookie). Fix it only when no other host reaches the FPGA.
  std::optional<std::uint16_t> resync_cookie;
  /// This side's "VERSION/COMPATIBLE_UNTIL" (tests pretend to be other versions).
  std::string version{spec::arq::version_string};
};

}  // namespace nmtwin::hostlink
