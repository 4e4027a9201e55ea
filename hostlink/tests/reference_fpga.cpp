#include "hostlink/tests/reference_fpga.hpp"

#include <algorithm>
#include <thread>
#include <utility>
#include <variant>

namespace nmtwin::hostlink::test {

namespace instr = spec::instr;
namespace resp = spec::resp;

ReferenceFpga::ReferenceFpga(ReferenceFpgaConfig config) : config_(std::move(config)) {}

void ReferenceFpga::reset() {
  ++resets;
  expected_ = next_seq_ = delivered_ = unreported_ = 0;
  accepted_.clear();
  intake_.clear();
  ack_owed_ = false;
  ack_due_ = Clock::time_point::max();
  write_data_next_ = false;
  if (!core_survives_reset) responses_.clear();
  unacked_.clear();
  outbox_.push_back(encode_frame(0, spec::arq::unsequenced, spec::arq::Ptype::cfg, encode_cfg(config_.cfg)));
}

void ReferenceFpga::on_datagram(Port port, const Datagram& datagram, Clock::time_point now) {
  if (silent) return;
  if (port == Port::reset) {
    if (!is_reset(datagram)) return;
    if (config_.unanswered_resets > 0)
      --config_.unanswered_resets;
    else
      reset();
    return;
  }
  if (config_.intake_waits && config_.word_time > Clock::duration::zero()) {
    intake_.push_back({datagram, now});
    deliver_due(now);
    return;
  }
  examine(datagram, now);
}

void ReferenceFpga::examine(const Datagram& datagram, Clock::time_point now) {
  const auto decoded = decode_datagram(datagram);
  const std::uint32_t space = config_.cfg.seq_space;
  auto on_ack = [&](std::uint32_t ack) {
    const std::uint64_t base = next_seq_ - unacked_.size();
    const std::uint64_t advance = (ack + space - base % space) % space;
    if (advance <= unacked_.size()) unacked_.erase(unacked_.begin(), unacked_.begin() + static_cast<long>(advance));
  };
  if (const auto* ack = std::get_if<StandaloneAck>(&decoded)) return on_ack(ack->ack);
  const auto* frame = std::get_if<ArqFrame>(&decoded);
  if (!frame || frame->ptype != static_cast<std::uint16_t>(spec::arq::Ptype::stream)) return;
  if (config_.drop_once.erase(frame->seq)) return;
  on_ack(frame->ack);
  if (frame->seq != expected_ % space) {
    ++frames_dropped;  // a repeat or a frame after a gap: say at once what is expected
    outbox_.push_back(encode_ack(static_cast<std::uint32_t>(delivered_ % space)));
    return;
  }
  ++expected_;
  ++frames_in_order;
  if (config_.word_time > Clock::duration::zero()) {
    accepted_.push_back({frame->words, now});
    if (!config_.intake_waits) deliver_due(now);  // else the caller, deliver_due, goes on
    return;
  }
  ack_owed_ = true;
  ++delivered_;
  for (std::uint64_t w : frame->words) execute(w);
  ack_due_ = std::min(ack_due_, now + config_.ack_delay);
}

Clock::time_point ReferenceFpga::next_delivery() const {
  if (accepted_.empty()) return Clock::time_point::max();
  const auto& f = accepted_.front();
  return std::max(f.arrived, executor_free_) + static_cast<std::int64_t>(f.words.size()) * config_.word_time;
}

void ReferenceFpga::deliver_due(Clock::time_point now) {
  for (;;) {
    // The intake moves on while the executor has nothing accepted left.
    while (config_.intake_waits && accepted_.empty() && !intake_.empty()) {
      Arrived next = std::move(intake_.front());
      intake_.pop_front();
      examine(next.datagram, std::max(next.arrived, executor_free_));
    }
    const auto done = next_delivery();
    if (done > now) return;
    for (std::uint64_t w : accepted_.front().words) execute(w);
    accepted_.pop_front();
    executor_free_ = done;
    ++delivered_;
    ack_owed_ = true;
    ack_due_ = std::min(ack_due_, done + config_.ack_delay);
    if (++unreported_ >= config_.cfg.window / 2) {
      outbox_.push_back(encode_ack(static_cast<std::uint32_t>(delivered_ % config_.cfg.seq_space)));
      ack_owed_ = false;
      ack_due_ = Clock::time_point::max();
      unreported_ = 0;
    }
  }
}

void ReferenceFpga::execute(std::uint64_t word) {
  const auto op = instr::selector(word);
  if (write_data_next_ || op != instr::Opcode::halt) instruction_hash = (instruction_hash ^ word) * 0x100000001b3;
  if (std::exchange(write_data_next_, false)) return;
  ++instructions;
  ++systime_;
  switch (op) {
    case instr::Opcode::write:
      write_data_next_ = true;
      break;
    case instr::Opcode::read: {
      const auto r = instr::Read::decode(word);
      ++reads;
      responses_.push_back(
          resp::ReadData{.tag = r.tag, .data = read_value(static_cast<std::uint32_t>(r.addr))}.encode());
      break;
    }
    case instr::Opcode::halt:
      ++halts;
      responses_.push_back(resp::Halt{.cookie = instr::Halt::decode(word).cookie, .systime = systime_}.encode());
      break;
    default:
      break;
  }
}

void ReferenceFpga::send_frame(std::uint64_t seq, const std::vector<std::uint64_t>& words) {
  const std::uint32_t space = config_.cfg.seq_space;
  outbox_.push_back(encode_frame(static_cast<std::uint32_t>(delivered_ % space), static_cast<std::uint32_t>(seq % space),
                                 spec::arq::Ptype::stream, words));
  ack_owed_ = false;
  ack_due_ = Clock::time_point::max();
  unreported_ = 0;
}

void ReferenceFpga::on_timers(Clock::time_point now) {
  if (silent) return;
  deliver_due(now);
  std::uint64_t seq = next_seq_ - unacked_.size();
  for (OutFrame& frame : unacked_) {
    if (frame.due <= now) {
      send_frame(seq, frame.words);
      frame.due = now + config_.rto;
      ++retransmits;
    }
    ++seq;
  }
  while (!hold_responses && !responses_.empty() && unacked_.size() < config_.cfg.window) {
    const std::size_t n = std::min<std::size_t>(responses_.size(), config_.cfg.max_payload_words);
    OutFrame frame{{responses_.begin(), responses_.begin() + static_cast<long>(n)}, now + config_.rto};
    responses_.erase(responses_.begin(), responses_.begin() + static_cast<long>(n));
    send_frame(next_seq_++, frame.words);
    unacked_.push_back(std::move(frame));
  }
  if (ack_owed_ && ack_due_ <= now) {
    outbox_.push_back(encode_ack(static_cast<std::uint32_t>(delivered_ % config_.cfg.seq_space)));
    unreported_ = 0;
    ack_owed_ = false;
    ack_due_ = Clock::time_point::max();
  }
}

Clock::time_point ReferenceFpga::next_timer() const {
  if (silent) return Clock::time_point::max();
  Clock::time_point next = std::min(ack_owed_ ? ack_due_ : Clock::time_point::max(), next_delivery());
  for (const OutFrame& frame : unacked_) next = std::min(next, frame.due);
  return next;
}

std::vector<Datagram> ReferenceFpga::take_outbox() { return std::exchange(outbox_, {}); }

void PipeLink::send(Port port, std::span<const Datagram> datagrams) {
  const auto due = Clock::now() + latency_;
  for (const Datagram& d : datagrams) to_fpga_.push_back({due, port, d});
}

bool PipeLink::receive(std::vector<Datagram>& out, Clock::time_point deadline) {
  const std::size_t before = out.size();
  for (;;) {
    const auto now = Clock::now();
    // The FPGA's events up to now, each at its own time (arrivals, its timers, a paced
    // executor's deliveries), and each datagram leaves at the time of the event that
    // sent it: a host thread that wakes late (a loaded machine) finds what came
    // meanwhile, as from a real link. Event times only grow, so to_host_ stays in order.
    for (;;) {
      auto t = fpga_.next_timer();
      const bool arrival = !to_fpga_.empty() && to_fpga_.front().due <= t;
      if (arrival) t = to_fpga_.front().due;
      if (t > now) break;
      if (arrival) {
        fpga_.on_datagram(to_fpga_.front().port, to_fpga_.front().datagram, t);
        to_fpga_.pop_front();
      }
      fpga_.on_timers(t);
      for (Datagram& d : fpga_.take_outbox()) to_host_.push_back({t + latency_, Port::data, std::move(d)});
    }
    while (!to_host_.empty() && to_host_.front().due <= now) {
      out.push_back(std::move(to_host_.front().datagram));
      to_host_.pop_front();
    }
    if (out.size() > before) return true;
    if (now >= deadline) return false;
    auto wake = std::min(deadline, fpga_.next_timer());
    if (!to_fpga_.empty()) wake = std::min(wake, to_fpga_.front().due);
    if (!to_host_.empty()) wake = std::min(wake, to_host_.front().due);
    std::this_thread::sleep_until(wake);
  }
}

}  // namespace nmtwin::hostlink::test
