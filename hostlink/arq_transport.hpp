// ArqTransport: the host end of the ARQ protocol over a DatagramLink. Reset/CFG
// handshake, a sliding window of sequenced frames towards the FPGA, cumulative
// ACKs both ways (piggy-backed or standalone, delayed), in-order exactly-once
// delivery of the FPGA's response words, and a retransmission timeout that
// follows the measured round trip (a simulated FPGA is much slower than real
// hardware, so nothing here is a compile-time constant that must match).
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hostlink/arq_frame.hpp"
#include "hostlink/datagram_link.hpp"
#include "hostlink/rto_estimator.hpp"
#include "nmtwin/connect_options.hpp"
#include "nmtwin/connection_stats.hpp"

namespace nmtwin::hostlink {

class ArqTransport {
 public:
  /// Does not touch the link yet; call handshake().
  ArqTransport(DatagramLink& link, ConnectOptions options = {});

  /// Resets the FPGA's ARQ engine (magic word on the reset port, retried with a
  /// doubling timeout) and adopts the window, sequence space and payload size of
  /// its CFG reply. Anything in flight is forgotten. Throws LinkError naming the
  /// endpoint when no CFG arrives or the FPGA is incompatible (both values named).
  void handshake();
  bool connected() const { return connected_; }
  /// The CFG of the last handshake.
  const ArqCfg& cfg() const { return cfg_; }

  /// Queues the words and returns once each went out in a frame at least once
  /// (the window permitting). Throws LinkError when the FPGA stopped answering.
  void send(std::span<const std::uint64_t> words);
  /// Waits until response words are available or `deadline` passes; appends them
  /// in order, each exactly once; returns false on deadline. Keeps the protocol
  /// going meanwhile (retransmissions, ACKs). Throws LinkError as send().
  bool receive(std::vector<std::uint64_t>& out, Clock::time_point deadline);
  /// Waits until every word sent has been acknowledged; false on deadline.
  bool drain(Clock::time_point deadline);

  const ConnectionStats& stats() const { return stats_; }
  std::string endpoint() const { return link_.endpoint(); }
  const ConnectOptions& options() const { return options_; }

 private:
  struct OutFrame {
    std::vector<std::uint64_t> words;
    Clock::time_point first_sent, last_sent;
    unsigned sends = 1;
    // Last sent again after a gap the FPGA reported: it dropped the earlier copy
    // (it takes frames only in order), so the ACK answers this one.
    bool after_gap = false;
    // Copies sent on timeouts, and next_seq_ when the last of them went.
    unsigned probes = 0;
    std::uint64_t probe_mark = 0;
  };
  // Echoes still due: copies sent on a timeout whose frame the FPGA had taken from an
  // earlier copy. The FPGA answers each with an ACK for nothing new once it looks at it,
  // which is before it takes any frame first sent after the copy (seq >= mark).
  struct EchoesDue {
    std::uint64_t mark;
    unsigned count;
  };

  void require_connected(const char* caller) const;
  std::uint32_t seq_mod(std::uint64_t n) const { return static_cast<std::uint32_t>(n % cfg_.seq_space); }
  void check_cfg(const ArqCfg& cfg) const;
  void establish(const ArqCfg& cfg);
  // One round: send what the window admits, wait for datagrams or a timer (at the
  // latest `until`), handle what arrived, fire due timers.
  void pump(Clock::time_point until);
  void transmit_new(Clock::time_point now);
  void handle(const Datagram& datagram, Clock::time_point now);
  /// Returns whether the ACK acknowledged new frames.
  bool on_ack(std::uint32_t ack, Clock::time_point now, bool standalone);
  void on_standalone_ack(std::uint32_t ack, Clock::time_point now);
  /// Sends every unacknowledged frame again; the next `-budget` ACKs that
  /// acknowledge nothing new do not count towards another gap.
  void go_back(Clock::time_point now, std::int64_t budget);
  /// Sends the oldest `frames` unacknowledged frames again.
  void resend(std::size_t frames, Clock::time_point now, bool after_gap);
  void on_data(std::uint32_t seq, std::vector<std::uint64_t>&& words, Clock::time_point now);
  void on_timers(Clock::time_point now);
  void send_ack();
  void acked_by_sending() { ack_owed_ = false, ack_now_ = false, frames_unacked_ = 0, ack_deadline_ = never; }
  [[noreturn]] void give_up(Clock::time_point now);
  void on_late_cfg();
  void drain_after_takeover();

  static constexpr Clock::time_point never = Clock::time_point::max();

  DatagramLink& link_;
  ConnectOptions options_;
  ArqCfg cfg_;
  bool connected_ = false;
  // CFG frames after the handshake: answers to its own resets (handshake_resets_ - 1 at
  // most) or copies of them (2 * handshake_resets_ + 1 in all), else another host reset
  // the FPGA (docs/server.md).
  unsigned handshake_resets_ = 0, late_cfgs_ = 0;
  // Set when a late CFG showed the link taken over: the next handshake first lets the
  // CFGs the server still sends this host arrive and drops them (drain_after_takeover).
  bool taken_over_ = false;
  RtoEstimator rto_;
  ConnectionStats stats_;
  std::vector<Datagram> inbox_;

  // Sender: words not yet framed, frames not yet acknowledged (oldest first).
  std::vector<std::uint64_t> pending_;
  std::size_t pending_pos_ = 0;
  std::deque<OutFrame> unacked_;
  std::uint64_t next_seq_ = 0;  // frames ever sent, unwrapped
  std::uint32_t payload_words_ = 0;
  Clock::time_point rto_deadline_ = never;
  // What the FPGA's queue adds to the timer: the words not yet acknowledged and the
  // measured time per word (ConnectOptions::initial_word_time).
  std::uint64_t unacked_words_ = 0;
  Clock::duration word_time_{0};
  Clock::time_point busy_since_{};  // the FPGA's queue is not empty since
  std::uint64_t busy_words_ = 0;     // words acknowledged since busy_since_
  bool busy_clean_ = true;           // nothing sent again since busy_since_
  Clock::duration timeout() const;
  unsigned silent_timeouts_ = 0;  // in a row, with nothing from the FPGA
  // Standalone ACKs since the last progress that acknowledged nothing new; below
  // zero by those that datagrams still under way may cause.
  std::int64_t duplicate_acks_ = 0;
  // The oldest frame went again on a timeout at probe_sent_, and no ACK has said yet
  // whether the FPGA had it (it answers a repeat at once with an ACK for nothing new).
  bool probe_ = false;
  Clock::time_point probe_sent_{};
  bool went_back_ = false;  // on_ack sent every unacknowledged frame again
  // The ACKs for nothing new that timeouts' copies still owe (EchoesDue), oldest first.
  // Behind a long queue the echoes come after the ACKs of the originals, which restart
  // the count of three; counted as drops they set off a go-back-N whose copies all echo
  // again, each go-back causing the next (a retransmission storm).
  std::deque<EchoesDue> echoes_;
  /// Consumes an echo still due, if any, after dropping those that can no longer come
  /// (the FPGA acknowledged a frame first sent after their copies).
  bool take_echo();
  // ACKs for nothing new since the last progress that no copy of ours explains: the FPGA
  // dropped frames behind the oldest unacknowledged one. Without one, the ACK after a
  // timeout's copy answers the original, late behind a long queue (a flood from another
  // host, a slow server), not a filled gap: going back N then only lengthened the queue.
  std::uint64_t drops_seen_ = 0;

  // Receiver: next frame expected (unwrapped), frames after a gap, words ready.
  std::uint64_t expected_ = 0;
  std::map<std::uint64_t, std::vector<std::uint64_t>> ahead_;
  std::vector<std::uint64_t> delivered_;
  bool ack_owed_ = false, ack_now_ = false;
  unsigned frames_unacked_ = 0;
  Clock::time_point ack_deadline_ = never;
};

}  // namespace nmtwin::hostlink
