// A reference FPGA end of the ARQ protocol, for tests: answers the reset with a
// CFG frame, takes frames in order only (as the RTL does: anything else is
// dropped and answered by an immediate ACK), ACKs them piggy-backed or after a delay, and
// sends its responses in a window of frames with a fixed per-frame timeout, as
// the hardware does. Its executor is a toy: reads answer `read_value(addr)`,
// halts echo their cookie, writes consume their data word, the rest is ignored.
#pragma once
#include <cstdint>
#include <deque>
#include <set>
#include <vector>

#include "hostlink/arq_frame.hpp"
#include "hostlink/datagram_link.hpp"

namespace nmtwin::hostlink::test {

struct ReferenceFpgaConfig {
  ArqCfg cfg;                                          ///< what the CFG frame announces
  Clock::duration rto = std::chrono::milliseconds(3);  ///< fixed, per frame
  Clock::duration ack_delay = std::chrono::microseconds(500);
  unsigned unanswered_resets = 0;     ///< resets ignored before one is answered
  std::set<std::uint32_t> drop_once;  ///< data frames (by SEQ) lost on their first arrival
  /// 0: frames are executed on arrival. Otherwise the executor takes one word per
  /// word_time, frames wait in order, and, as the RTL does, a frame counts as
  /// delivered (acknowledged) once its last word is taken, with an immediate ACK
  /// when half a window is delivered but unreported.
  Clock::duration word_time{};
  /// With word_time: as the RTL (and so `nmtwin sim`), the FPGA looks at a datagram of
  /// the data port only once its executor took every word accepted before it, so the ACK
  /// that answers a repeat comes after the ACKs of the frames ahead of it. Otherwise a
  /// repeat is answered on arrival.
  bool intake_waits = false;
};

class ReferenceFpga {
 public:
  explicit ReferenceFpga(ReferenceFpgaConfig config = {});

  static std::uint32_t read_value(std::uint32_t addr) { return addr * 2654435761u ^ 0x5a5a5a5a; }

  void on_datagram(Port port, const Datagram& datagram, Clock::time_point now);
  /// Retransmissions, delayed ACKs, new response frames.
  void on_timers(Clock::time_point now);
  Clock::time_point next_timer() const;
  /// Datagrams for the host, in order.
  std::vector<Datagram> take_outbox();

  bool silent = false;          ///< drops everything that arrives (a dead FPGA)
  bool hold_responses = false;  ///< responses wait in the core (a busy executor)
  /// As the RTL: a reset restarts the ARQ engine and ends the executor's program, but
  /// responses the core already made and not yet framed go out in the new session.
  bool core_survives_reset = false;

  // What happened, for the test's checks.
  std::uint64_t resets = 0, instructions = 0, reads = 0, halts = 0, frames_in_order = 0, frames_dropped = 0;
  std::uint64_t retransmits = 0;
  /// Over every executed instruction word but halts (their cookies are random), in order.
  std::uint64_t instruction_hash = 0;

 private:
  struct OutFrame {
    std::vector<std::uint64_t> words;
    Clock::time_point due;
  };
  void reset();
  void examine(const Datagram& datagram, Clock::time_point now);
  void execute(std::uint64_t word);
  void send_frame(std::uint64_t seq, const std::vector<std::uint64_t>& words);

  ReferenceFpgaConfig config_;
  std::vector<Datagram> outbox_;
  std::uint64_t expected_ = 0;  // next frame from the host, unwrapped
  bool ack_owed_ = false;
  Clock::time_point ack_due_ = Clock::time_point::max();
  bool write_data_next_ = false;
  std::uint64_t systime_ = 0;
  std::deque<std::uint64_t> responses_;  // not yet framed
  std::deque<OutFrame> unacked_;
  std::uint64_t next_seq_ = 0;
  // The paced executor (word_time > 0): accepted frames not yet delivered.
  void deliver_due(Clock::time_point now);
  struct Accepted {
    std::vector<std::uint64_t> words;
    Clock::time_point arrived;
  };
  std::deque<Accepted> accepted_;
  struct Arrived {
    Datagram datagram;
    Clock::time_point arrived;
  };
  std::deque<Arrived> intake_;  // intake_waits: data-port datagrams not yet looked at
  Clock::time_point executor_free_{};   // when the executor finished its last frame
  std::uint64_t delivered_ = 0;         // frames delivered, unwrapped: the ACK value
  std::uint64_t unreported_ = 0;        // delivered since the last ACK sent
  Clock::time_point next_delivery() const;
};

/// The host's end of an in-memory link to a ReferenceFpga, which runs inside
/// receive() in the caller's thread; each datagram takes `latency` each way.
class PipeLink : public DatagramLink {
 public:
  explicit PipeLink(ReferenceFpga& fpga, Clock::duration latency = {}) : fpga_(fpga), latency_(latency) {}
  void send(Port port, std::span<const Datagram> datagrams) override;
  using DatagramLink::send;
  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override;
  std::string endpoint() const override { return "pipe:fpga0"; }

  void set_latency(Clock::duration latency) { latency_ = latency; }

 private:
  struct InFlight {
    Clock::time_point due;
    Port port;
    Datagram datagram;
  };
  ReferenceFpga& fpga_;
  Clock::duration latency_;
  std::deque<InFlight> to_fpga_, to_host_;
};

}  // namespace nmtwin::hostlink::test
