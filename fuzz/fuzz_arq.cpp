// fuzz_arq: the ARQ frame codec and the host's transport state machine (hostlink/arq_frame.*,
// hostlink/arq_transport.*) fed with arbitrary datagrams from "the FPGA".
//
// Input: a flags byte, then records the link hands to the transport whenever it waits:
//   flags: bit 0 set: the first reset is answered with a well-formed CFG (this host's
//          defaults), so that the records reach the data path at once; bits 1-7: the
//          host sends 4 x that many instruction words after the handshake.
//   record: a tag byte; tag % 4 == 0: a datagram follows (u16 big-endian length, then
//           the bytes), added to the batch; 1: the batch arrives after (tag / 4) x 20 us;
//           2: nothing arrives until the transport's deadline (a timeout);
//           3: the batch arrives after (tag / 4) ms.
// The clock is the link's own (simulated), so runs are deterministic and timers fire.
// Expected outcomes: LinkError (the FPGA broke the protocol or stopped answering).
// Findings: any other exception, a sanitizer report, a malformed datagram sent by the
// host, or a codec that does not give back the bytes it decoded.
#include <chrono>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "hostlink/arq_frame.hpp"
#include "hostlink/arq_transport.hpp"
#include "nmtwin/errors.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::hostlink;
using namespace std::chrono_literals;

// The codec's own invariants on one received datagram.
void check_codec(const Datagram& d) {
  const DecodedDatagram decoded = decode_datagram(d);
  if (const auto* frame = std::get_if<ArqFrame>(&decoded)) {
    if (encode_frame(frame->ack, frame->seq, static_cast<spec::arq::Ptype>(frame->ptype), frame->words) != d)
      fuzz::finding("encode_frame(decode_datagram(d)) != d");
    if (frame->ptype == static_cast<std::uint16_t>(spec::arq::Ptype::cfg)) {
      try {
        const ArqCfg cfg = decode_cfg(frame->words);
        if (decode_cfg(encode_cfg(cfg)) != cfg) fuzz::finding("decode_cfg(encode_cfg(cfg)) != cfg");
      } catch (const std::invalid_argument&) {
        // a malformed CFG: the transport turns it into a LinkError
      }
    }
  } else if (const auto* ack = std::get_if<StandaloneAck>(&decoded)) {
    if (encode_ack(ack->ack) != d) fuzz::finding("encode_ack(decode_datagram(d)) != d");
  }
}

class ScriptLink : public DatagramLink {
 public:
  ScriptLink(fuzz::FuzzInput& in, bool answer_reset) : in_(in), answer_reset_(answer_reset) {}

  void send(Port port, std::span<const Datagram> datagrams) override {
    for (const Datagram& d : datagrams) {
      if (port == Port::reset) {
        if (!is_reset(d)) fuzz::finding("the host sent something else than the magic word to the reset port");
        if (answer_reset_) {
          answer_reset_ = false;
          cfg_reply_ = encode_frame(0, spec::arq::unsequenced, spec::arq::Ptype::cfg, encode_cfg(ArqCfg{}));
        }
        continue;
      }
      const DecodedDatagram decoded = decode_datagram(d);
      if (std::holds_alternative<MalformedFrame>(decoded)) fuzz::finding("the host sent a malformed datagram");
      if (const auto* frame = std::get_if<ArqFrame>(&decoded)) {
        if (frame->ptype != static_cast<std::uint16_t>(spec::arq::Ptype::stream))
          fuzz::finding("the host sent a frame that is no stream frame");
        if (frame->words.size() > spec::arq::max_payload_words * 64u)
          fuzz::finding("the host sent a frame longer than any FPGA announces");
      }
    }
  }
  using DatagramLink::send;

  bool receive(std::vector<Datagram>& out, Clock::time_point deadline) override {
    // A wait without end would be one here too: a simulated second at most.
    deadline = std::min(deadline, now_ + Clock::duration(1s));
    if (!cfg_reply_.empty()) {
      out.push_back(std::move(cfg_reply_));
      cfg_reply_.clear();
      now_ = std::min(deadline, now_ + Clock::duration(50us));
      return true;
    }
    while (!in_.done()) {
      const std::uint8_t tag = in_.u8();
      switch (tag % 4) {
        case 0: {
          const auto bytes = in_.take(in_.u16());
          Datagram d(bytes.begin(), bytes.end());
          check_codec(d);
          pending_.push_back(std::move(d));
          continue;
        }
        case 1:
          return deliver(out, deadline, Clock::duration(std::chrono::microseconds(20 * (tag / 4))));
        case 2:
          return deliver(out, deadline, deadline - now_);
        default:
          return deliver(out, deadline, Clock::duration(std::chrono::milliseconds(tag / 4)));
      }
    }
    // The end of the input: what is left arrives, then nothing more from the FPGA.
    return deliver(out, deadline, pending_.empty() ? deadline - now_ : Clock::duration{});
  }

  std::string endpoint() const override { return "fuzz:fpga0"; }
  Clock::time_point now() const override { return now_; }
  bool exclusive() const override { return true; }

 private:
  // The datagrams waiting arrive `after` from now, if that is before the deadline.
  bool deliver(std::vector<Datagram>& out, Clock::time_point deadline, Clock::duration after) {
    if (after > deadline - now_) {  // too late for this wait: the next one gets them
      now_ = std::max(now_, deadline);
      return false;
    }
    now_ += std::max(after, Clock::duration{});
    const bool any = !pending_.empty();
    out.insert(out.end(), pending_.begin(), pending_.end());
    pending_.clear();
    return any;
  }

  fuzz::FuzzInput& in_;
  bool answer_reset_;
  Datagram cfg_reply_;
  std::vector<Datagram> pending_;
  Clock::time_point now_ = Clock::time_point(Clock::duration(1h));
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const std::uint8_t flags = in.u8();
  ScriptLink link(in, flags & 1);
  ArqTransport transport(link);
  try {
    transport.handshake();
    std::vector<std::uint64_t> words(4u * (flags >> 1));
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = 0x0123'4567'89ab'cdefULL * (i + 1);
    transport.send(words);
    std::vector<std::uint64_t> received;
    while (!in.done()) transport.receive(received, link.now() + Clock::duration(5ms));
    transport.drain(link.now() + Clock::duration(100ms));
  } catch (const LinkError&) {
    // the FPGA broke the protocol or stopped answering: said so, as expected
  }
  return 0;
}
