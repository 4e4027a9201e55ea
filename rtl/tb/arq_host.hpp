// Host side of the ARQ protocol for the RTL benches: datagram building and
// parsing from the spec constants, a wire that moves datagrams beat by beat
// over the 64-bit AXI-Stream ports, and a small sliding-window host.
// Include after <boost/test/unit_test.hpp>.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include "nmtwin/spec.hpp"
#include "tb_harness.hpp"

namespace nmtwin::tb::arq_host {

namespace arq = nmtwin::spec::arq;
using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, std::uint16_t v) {
  for (int s = 8; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
inline void put32(Bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
inline void put64(Bytes& b, std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
}
inline std::uint64_t get_be(const Bytes& b, std::size_t at, unsigned n) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v = (v << 8) | b.at(at + i);
  return v;
}

/// A frame: big-endian ACK u32, SEQ u32, PTYPE u16, LEN u16, then LEN u64 words.
inline Bytes frame(std::uint32_t ack, std::uint32_t seq, arq::Ptype ptype, const std::vector<std::uint64_t>& words) {
  Bytes b;
  put32(b, ack);
  put32(b, seq);
  put16(b, static_cast<std::uint16_t>(ptype));
  put16(b, static_cast<std::uint16_t>(words.size()));
  for (const auto w : words) put64(b, w);
  return b;
}
/// A standalone ACK (also the reset request, with the magic word, on the reset port).
inline Bytes ack_only(std::uint32_t ack) {
  Bytes b;
  put32(b, ack);
  return b;
}

struct Frame {
  bool ack_only = false;
  std::uint32_t ack = 0, seq = 0;
  std::uint16_t ptype = 0;
  std::vector<std::uint64_t> words;
};

/// Parses a datagram from the FPGA; fails the test if it is not a well-formed frame.
inline Frame parse(const Bytes& b) {
  Frame f;
  f.ack = static_cast<std::uint32_t>(get_be(b, 0, 4));
  if (b.size() == arq::ack_only_bytes) {
    f.ack_only = true;
    return f;
  }
  BOOST_REQUIRE_MESSAGE(b.size() >= arq::header_bytes, "datagram of " << b.size() << " bytes from the FPGA");
  f.seq = static_cast<std::uint32_t>(get_be(b, 4, 4));
  f.ptype = static_cast<std::uint16_t>(get_be(b, 8, 2));
  const std::size_t len = get_be(b, 10, 2);
  BOOST_REQUIRE_MESSAGE(b.size() == arq::header_bytes + 8 * len,
                        "LEN " << len << " but " << b.size() << " bytes from the FPGA");
  for (std::size_t i = 0; i < len; ++i) f.words.push_back(get_be(b, arq::header_bytes + 8 * i, 8));
  return f;
}

/// Pointers to one side's AXI-Stream ports of a Verilated model.
struct Ports {
  std::uint8_t *rx_tvalid, *rx_tkeep, *rx_tlast, *rx_port, *rx_tready;
  std::uint64_t* rx_tdata;
  std::uint8_t *tx_tvalid, *tx_tkeep, *tx_tlast, *tx_tready;
  std::uint64_t* tx_tdata;
};

struct Received {
  Bytes bytes;
  Frame frame;
  std::uint64_t first_beat_at;  // cycle in which the first beat was handed over
};

/// Moves datagrams to the FPGA (byte lane 0 first, tkeep packed from lane 0,
/// tlast on the last beat) and collects the FPGA's datagrams.
class ArqWire {
 public:
  double gap_p = 0.0;           // chance of an idle cycle between beats to the FPGA
  double tx_ready_p = 1.0;      // chance that tx_tready is high
  double loss_to_fpga = 0.0;    // chance that a datagram to the FPGA is lost
  double loss_from_fpga = 0.0;  // chance that a datagram from the FPGA is lost
  std::uint64_t lost = 0;
  std::vector<Received> received;
  std::uint64_t last_input_end = 0;  // cycle in which the last beat to the FPGA was taken

  void bind(const Ports& p) { p_ = p; }
  /// Queues a datagram; `keeps` overrides tkeep per beat.
  void send(Bytes b, bool reset_port = false, std::vector<std::uint8_t> keeps = {}) {
    out_.push_back({std::move(b), reset_port, std::move(keeps)});
  }
  [[nodiscard]] bool input_idle() const { return out_.empty(); }
  [[nodiscard]] std::size_t queued() const { return out_.size(); }

  void drive() {
    while (beat_ == 0 && !out_.empty() && chance(loss_to_fpga)) {
      out_.pop_front();
      ++lost;
    }
    const bool offer = !out_.empty() && !chance(gap_p);
    *p_.rx_tvalid = offer;
    if (offer) {
      const Datagram& d = out_.front();
      const std::size_t beats = std::max<std::size_t>(1, (d.bytes.size() + 7) / 8);
      std::uint64_t data = 0;
      unsigned n = 0;
      for (; n < 8 && 8 * beat_ + n < d.bytes.size(); ++n) data |= std::uint64_t{d.bytes[8 * beat_ + n]} << (8 * n);
      *p_.rx_tdata = data;
      *p_.rx_tkeep = beat_ < d.keeps.size() ? d.keeps[beat_] : static_cast<std::uint8_t>((1u << n) - 1);
      *p_.rx_tlast = beat_ + 1 == beats;
      *p_.rx_port = d.reset_port;
    }
    *p_.tx_tready = chance(tx_ready_p);
  }

  void sample(std::uint64_t now) {
    if (*p_.rx_tvalid && *p_.rx_tready) {
      ++beat_;
      if (*p_.rx_tlast) {
        out_.pop_front();
        beat_ = 0;
        last_input_end = now;
      }
    }
    if (*p_.tx_tvalid && *p_.tx_tready) {
      if (cur_.empty()) cur_first_ = now;
      for (unsigned n = 0; n < 8; ++n)
        if ((*p_.tx_tkeep >> n) & 1) cur_.push_back(static_cast<std::uint8_t>(*p_.tx_tdata >> (8 * n)));
      if (*p_.tx_tlast) {
        if (chance(loss_from_fpga))
          ++lost;
        else
          received.push_back({cur_, parse(cur_), cur_first_});
        cur_.clear();
      }
    }
  }

 private:
  struct Datagram {
    Bytes bytes;
    bool reset_port;
    std::vector<std::uint8_t> keeps;
  };
  Ports p_{};
  std::deque<Datagram> out_;
  std::size_t beat_ = 0;
  Bytes cur_;
  std::uint64_t cur_first_ = 0;
};

/// A sliding-window host: sends its frames in order within the window,
/// retransmits from the oldest unacknowledged frame after `rto` cycles without
/// progress (go-back-N), accepts the FPGA's frames in order and acknowledges
/// each one at once.
class HostModel {
 public:
  explicit HostModel(ArqWire& w) : wire_(w) {}

  std::uint64_t base = 0, next = 0;  // frame numbers: oldest unacknowledged, next to send
  std::uint64_t rto = 20000;
  std::uint64_t expect = 0;              // FPGA frames accepted
  std::vector<std::uint64_t> responses;  // their words, in order
  std::vector<Frame> cfg_frames;

  void send_frames(std::vector<std::vector<std::uint64_t>> frames) { frames_ = std::move(frames); }
  void add_frame(std::vector<std::uint64_t> words) { frames_.push_back(std::move(words)); }
  [[nodiscard]] std::size_t frames() const { return frames_.size(); }

  void pump(std::uint64_t now) {
    for (; seen_ < wire_.received.size(); ++seen_) on_receive(wire_.received[seen_].frame, now);
    if (base < next && now - timer_ >= rto) {
      next = base;
      timer_ = now;
    }
    if (wire_.input_idle() && next < frames_.size() && next < base + arq::window) {
      if (base == next) timer_ = now;
      wire_.send(frame(static_cast<std::uint32_t>(expect % arq::seq_space),
                       static_cast<std::uint32_t>(next % arq::seq_space), arq::Ptype::stream, frames_[next]));
      ++next;
    }
  }

 private:
  void on_receive(const Frame& f, std::uint64_t now) {
    if (!f.ack_only && f.ptype == static_cast<std::uint16_t>(arq::Ptype::cfg)) {
      cfg_frames.push_back(f);
      return;
    }
    for (std::uint64_t n = next; n > base; --n)
      if (n % arq::seq_space == f.ack) {
        base = n;
        timer_ = now;
        break;
      }
    if (f.ack_only) return;
    if (f.seq == expect % arq::seq_space) {
      responses.insert(responses.end(), f.words.begin(), f.words.end());
      ++expect;
    }
    wire_.send(ack_only(static_cast<std::uint32_t>(expect % arq::seq_space)));
  }

  ArqWire& wire_;
  std::vector<std::vector<std::uint64_t>> frames_;
  std::size_t seen_ = 0;
  std::uint64_t timer_ = 0;
};

}  // namespace nmtwin::tb::arq_host
