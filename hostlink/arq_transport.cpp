#include "hostlink/arq_transport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "nmtwin/cancel.hpp"
#include "nmtwin/errors.hpp"

namespace nmtwin::hostlink {
namespace {

using Version = std::array<unsigned, 3>;

std::optional<Version> parse_version(std::string_view text) {
  Version v{};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && (p == end || *p++ != '.')) return std::nullopt;
    const auto [next, ec] = std::from_chars(p, end, v[i]);
    if (ec != std::errc{} || next == p) return std::nullopt;
    p = next;
  }
  if (p != end) return std::nullopt;
  return v;
}

// "VERSION/COMPATIBLE_UNTIL": this side speaks VERSION and every version back to
// COMPATIBLE_UNTIL.
struct VersionRange {
  Version version, oldest;
};

std::optional<VersionRange> parse_version_range(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto version = parse_version(text.substr(0, slash));
  auto oldest = parse_version(text.substr(slash + 1));
  if (!version || !oldest || *oldest > *version) return std::nullopt;
  return VersionRange{*version, *oldest};
}

// Two sides talk when the older one lies in the range the newer one still speaks.
bool compatible(const VersionRange& a, const VersionRange& b) {
  const VersionRange& newer = a.version >= b.version ? a : b;
  const VersionRange& older = a.version >= b.version ? b : a;
  return older.version >= newer.oldest;
}

std::string describe_range(std::string_view text) {
  const auto slash = text.find('/');
  return fmt::format("{} (compatible down to {})", text.substr(0, slash), text.substr(slash + 1));
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Fewer words acknowledged at once say more about the round trip than about the FPGA's pace.
constexpr std::uint64_t min_word_sample = 256;

}  // namespace

ArqTransport::ArqTransport(DatagramLink& link, ConnectOptions options)
    : link_(link),
      options_(std::move(options)),
      rto_(options_.rto),
      word_time_(std::chrono::duration_cast<Clock::duration>(options_.initial_word_time)) {
  if (!parse_version_range(options_.version))
    throw std::invalid_argument(fmt::format(
        "ConnectOptions::version '{}' is not 'VERSION/COMPATIBLE_UNTIL' (e.g. '0.2.0/0.1.0')", options_.version));
  if (options_.reset_attempts == 0) throw std::invalid_argument("ConnectOptions::reset_attempts must be at least 1");
  stats_.rto = rto_.rto();
}

void ArqTransport::require_connected(const char* caller) const {
  if (!connected_)
    throw std::logic_error(fmt::format("ArqTransport::{} on {} before a successful handshake()", caller, endpoint()));
}

void ArqTransport::handshake() {
  connected_ = false;
  if (std::exchange(taken_over_, false)) drain_after_takeover();
  auto wait = Clock::duration(options_.reset_timeout);
  const auto start = link_.now();
  for (unsigned attempt = 1; attempt <= options_.reset_attempts;
       ++attempt, wait = std::min<Clock::duration>(2 * wait, options_.rto.max)) {
    const auto sent = link_.now();
    link_.send(Port::reset, encode_reset());
    ++stats_.resets_sent;
    const auto deadline = sent + wait;
    do {
      inbox_.clear();
      link_.receive(inbox_, deadline);
      for (const Datagram& d : inbox_) {
        auto decoded = decode_datagram(d);
        auto* frame = std::get_if<ArqFrame>(&decoded);
        if (!frame || frame->ptype != static_cast<std::uint16_t>(spec::arq::Ptype::cfg)) {
          ++stats_.dropped;  // left over from before the reset
          continue;
        }
        ArqCfg cfg;
        try {
          cfg = decode_cfg(frame->words);
        } catch (const std::invalid_argument& e) {
          throw LinkError(fmt::format("{}: malformed CFG reply to the reset: {}", endpoint(), e.what()));
        }
        check_cfg(cfg);
        const auto now = link_.now();
        if (attempt == 1) {  // Karn: after a second reset, which one was answered is unknown
          rto_.sample(now - sent);
          stats_.add_rtt(now - sent);
        }
        establish(cfg);
        handshake_resets_ = attempt;
        late_cfgs_ = 0;
        return;
      }
    } while (link_.now() < deadline);
  }
  throw LinkError(fmt::format(
      "{}: no CFG reply to {} resets over {:.1f} s; is `nmtwin sim` (or the FPGA) running there, and is that "
      "its data port (the reset port is the next one unless configured)? A `nmtwin sim --exclusive` also refuses "
      "the reset of a second host while another one is active (its log names both)",
      endpoint(), options_.reset_attempts, seconds(link_.now() - start)));
}

// Taken over, this host had every datagram it sent answered with a CFG (docs/server.md,
// "A second host"). One still under way would be taken for the reply to the reset that
// follows, so that this host sent its frames before the FPGA had that reset and drew more
// CFGs than one reset explains: the run that takes the link back failed as taken over
// again (86 of 100 at once after the take-over error; found by scripts/soak). So first
// wait until nothing has arrived for twice the retransmission timeout (20 ms at least),
// dropping what comes; at most rto.max in all.
void ArqTransport::drain_after_takeover() {
  using namespace std::chrono_literals;
  const auto quiet = std::clamp<Clock::duration>(2 * rto_.rto(), 20ms, options_.rto.max);
  const auto give_up = link_.now() + options_.rto.max;
  for (auto now = link_.now(); now < give_up; now = link_.now()) {
    inbox_.clear();
    if (!link_.receive(inbox_, std::min(now + quiet, give_up))) return;
    stats_.dropped += inbox_.size();
  }
}

void ArqTransport::check_cfg(const ArqCfg& cfg) const {
  const auto fpga = parse_version_range(cfg.version);
  if (!fpga)
    throw LinkError(
        fmt::format("{}: the FPGA's version string '{}' is not 'VERSION/COMPATIBLE_UNTIL'; this host "
                    "library speaks {}",
                    endpoint(), cfg.version, describe_range(options_.version)));
  if (!compatible(*fpga, *parse_version_range(options_.version)))
    throw LinkError(fmt::format(
        "{}: the FPGA speaks ARQ protocol {}, this host library {}: neither covers the other; use a host library "
        "and an FPGA bitfile (or `nmtwin sim`) built from compatible versions of spec/nmtwin.toml",
        endpoint(), describe_range(cfg.version), describe_range(options_.version)));
  if (cfg.window == 0 || cfg.window > cfg.seq_space / 2)
    throw LinkError(
        fmt::format("{}: the FPGA announces window {} with sequence space {}: a window must be between 1 "
                    "and half the sequence space ({}), or old and new frames look alike",
                    endpoint(), cfg.window, cfg.seq_space, cfg.seq_space / 2));
  if (cfg.window > options_.max_window)
    throw LinkError(
        fmt::format("{}: the FPGA announces window {}, this host accepts at most {} (ConnectOptions::max_window)",
                    endpoint(), cfg.window, options_.max_window));
  if (cfg.max_payload_words == 0 || cfg.max_payload_words > options_.max_payload_words)
    throw LinkError(
        fmt::format("{}: the FPGA announces frames of up to {} words, this host takes 1 to {} words "
                    "(ConnectOptions::max_payload_words)",
                    endpoint(), cfg.max_payload_words, options_.max_payload_words));
}

void ArqTransport::establish(const ArqCfg& cfg) {
  cfg_ = cfg;
  payload_words_ = cfg.max_payload_words;
  pending_.clear();
  pending_pos_ = 0;
  unacked_.clear();
  unacked_words_ = 0;
  next_seq_ = 0;
  rto_deadline_ = never;
  silent_timeouts_ = 0;
  duplicate_acks_ = 0;
  echoes_.clear();
  drops_seen_ = 0;
  probe_ = false;
  expected_ = 0;
  ahead_.clear();
  delivered_.clear();
  acked_by_sending();
  stats_.rto = rto_.rto();
  stats_.srtt = rto_.srtt();
  connected_ = true;
}

void ArqTransport::send(std::span<const std::uint64_t> words) {
  require_connected("send");
  pending_.insert(pending_.end(), words.begin(), words.end());
  transmit_new(link_.now());
  while (pending_pos_ < pending_.size()) pump(never);  // the window is full: wait for ACKs
}

bool ArqTransport::receive(std::vector<std::uint64_t>& out, Clock::time_point deadline) {
  require_connected("receive");
  while (delivered_.empty()) {
    check_cancel();  // nothing delivered yet: a cancel here loses no word
    pump(deadline);
    if (delivered_.empty() && link_.now() >= deadline) return false;
  }
  if (ack_owed_) send_ack();
  out.insert(out.end(), delivered_.begin(), delivered_.end());
  delivered_.clear();
  return true;
}

bool ArqTransport::drain(Clock::time_point deadline) {
  require_connected("drain");
  while (pending_pos_ < pending_.size() || !unacked_.empty()) {
    if (link_.now() >= deadline) return false;
    pump(deadline);
  }
  if (ack_owed_) send_ack();
  return true;
}

void ArqTransport::pump(Clock::time_point until) {
  transmit_new(link_.now());
  inbox_.clear();
  link_.receive(inbox_, std::min({until, rto_deadline_, ack_deadline_}));
  const auto now = link_.now();
  for (const Datagram& d : inbox_) handle(d, now);
  on_timers(now);
  transmit_new(now);  // the window may have opened; frames carry the ACK
  if (ack_now_ || (ack_owed_ && frames_unacked_ >= options_.ack_every)) send_ack();
}

void ArqTransport::transmit_new(Clock::time_point now) {
  std::vector<Datagram> batch;
  const bool was_idle = unacked_.empty();
  while (pending_pos_ < pending_.size() && unacked_.size() < cfg_.window) {
    const std::size_t n = std::min<std::size_t>(payload_words_, pending_.size() - pending_pos_);
    const auto first = pending_.begin() + static_cast<std::ptrdiff_t>(pending_pos_);
    OutFrame frame{.words = {first, first + static_cast<std::ptrdiff_t>(n)}, .first_sent = now, .last_sent = now};
    batch.push_back(encode_frame(seq_mod(expected_), seq_mod(next_seq_), spec::arq::Ptype::stream, frame.words));
    unacked_.push_back(std::move(frame));
    ++next_seq_;
    pending_pos_ += n;
    unacked_words_ += n;
    ++stats_.frames_sent;
    stats_.words_sent += n;
  }
  if (batch.empty()) return;
  if (pending_pos_ == pending_.size()) {
    pending_.clear();
    pending_pos_ = 0;
  }
  link_.send(Port::data, batch);
  // The frames left now, not when framing began: building a window of frames takes
  // milliseconds in a sanitized build, which the timer would otherwise count as waiting.
  const auto sent = link_.now();
  for (auto f = unacked_.end() - static_cast<std::ptrdiff_t>(batch.size()); f != unacked_.end(); ++f)
    f->first_sent = f->last_sent = sent;
  if (was_idle) {  // the FPGA's queue starts filling now
    busy_since_ = sent;
    busy_words_ = 0;
    busy_clean_ = true;
  }
  acked_by_sending();
  if (rto_deadline_ == never) rto_deadline_ = sent + timeout();
}

Clock::duration ArqTransport::timeout() const {
  // At most rto.max in all, so that a dead FPGA is noticed as soon as before.
  const auto queue = static_cast<std::int64_t>(unacked_words_) * word_time_;
  return std::max<Clock::duration>(rto_.rto(), std::min<Clock::duration>(rto_.rto() + queue, options_.rto.max));
}

void ArqTransport::handle(const Datagram& datagram, Clock::time_point now) {
  auto decoded = decode_datagram(datagram);
  if (const auto* ack = std::get_if<StandaloneAck>(&decoded)) {
    silent_timeouts_ = 0;
    ++stats_.acks_received;
    on_standalone_ack(ack->ack, now);
  } else if (auto* frame = std::get_if<ArqFrame>(&decoded);
             frame && frame->ptype == static_cast<std::uint16_t>(spec::arq::Ptype::stream)) {
    silent_timeouts_ = 0;
    on_ack(frame->ack, now, false);
    went_back_ = false;
    on_data(frame->seq, std::move(frame->words), now);
  } else if (frame && frame->ptype == static_cast<std::uint16_t>(spec::arq::Ptype::cfg)) {
    on_late_cfg();
  } else {
    ++stats_.dropped;  // malformed or unknown PTYPE
  }
}

// A CFG in mid-session answers one of this host's resets (a retried one, or a copy),
// or it is the FPGA's reply to another host's reset, which `nmtwin sim` copies to the
// host it took the link from, once and then for every datagram that host still sends.
// A standalone ACK asks: the FPGA of this session ignores it, a server whose link was
// taken over answers it with the CFG again.
void ArqTransport::on_late_cfg() {
  ++stats_.dropped;
  // Copies: an impaired link may duplicate the CFG at the server and again at the host.
  if (++late_cfgs_ <= 2 * handshake_resets_ + 1) {
    send_ack();
    return;
  }
  connected_ = false;
  taken_over_ = true;
  throw LinkError(fmt::format(
      "{}: another host reset the FPGA and took the link over (the FPGA sent this host its reply to a reset this "
      "host did not send); this host's run is lost. Hosts share an FPGA one at a time (`nmtwin sim --exclusive` "
      "refuses a second host while one is active); the next run of this connection resets the link and takes "
      "it back",
      endpoint()));
}

void ArqTransport::on_standalone_ack(std::uint32_t ack, Clock::time_point now) {
  if (on_ack(ack, now, true)) {
    if (!std::exchange(went_back_, false)) duplicate_acks_ = 0;  // keep go_back's allowance
    return;
  }
  probe_ = false;  // the FPGA had the frame sent again on the timeout: busy, not short of it
  // The FPGA answers a frame it cannot take (one after a lost frame, or a repeat)
  // with an ACK at once. Those that datagrams still under way may cause say
  // nothing; beyond them, several in a row mean a gap.
  const std::uint64_t base = next_seq_ - unacked_.size();
  if (ack != seq_mod(base)) return;
  if (take_echo()) return;  // a timeout's copy of a frame the FPGA had taken before
  ++drops_seen_;
  if (++duplicate_acks_ < static_cast<std::int64_t>(options_.duplicate_ack_threshold) ||
      unacked_.size() <= options_.duplicate_ack_threshold)
    return;
  ++stats_.fast_retransmits;
  rto_.forget_back_off();  // frames are lost, not late: the timeouts were no sign of a slower FPGA
  stats_.rto = rto_.rto();
  // The frames sent after the gap may still be under way and be answered alike.
  go_back(now, -static_cast<std::int64_t>(unacked_.size() - 1 - options_.duplicate_ack_threshold));
}

bool ArqTransport::on_ack(std::uint32_t ack, Clock::time_point now, bool standalone) {
  if (ack >= cfg_.seq_space) return false;
  const std::uint64_t base = next_seq_ - unacked_.size();
  const std::uint64_t advance = (ack + cfg_.seq_space - seq_mod(base)) % cfg_.seq_space;
  if (advance == 0 || advance > unacked_.size()) return false;  // nothing new, or an old ACK overtaken
  std::optional<Clock::duration> rtt;
  std::uint64_t words = 0;
  // The copy sent on the timeout filled a gap: it is acknowledged at least a round trip
  // after it went (so this ACK answers it, not the original's delivery), the FPGA did
  // not call it a repeat, and it had dropped frames behind it (drops_seen_).
  const bool copy_taken = std::exchange(probe_, false) && now - probe_sent_ >= stats_.rtt_min() && drops_seen_ > 0;
  drops_seen_ = 0;
  for (std::uint64_t i = 0; i < advance; ++i) {
    // Karn: a frame sent again after a timeout gives no sample (which copy was answered?)
    const OutFrame& frame = unacked_.front();
    if (frame.sends == 1 || frame.after_gap) rtt = now - frame.last_sent;
    words += frame.words.size();
    // Every timeout's copy the FPGA did not take will be answered as a repeat.
    if (const unsigned due = frame.probes - (i == 0 && copy_taken ? 1 : 0); due > 0)
      echoes_.push_back({frame.probe_mark, due});
    unacked_.pop_front();
  }
  unacked_words_ -= words;
  // Every later frame reached the FPGA while the one filled was missing and was dropped
  // (it takes frames only in order): they all go again now, instead of one per doubling
  // timeout (under 5 % loss a tail took minutes).
  const bool gap_filled = copy_taken && !unacked_.empty();
  if (rtt) {
    rto_.sample(*rtt);
    stats_.add_rtt(*rtt);
    stats_.srtt = rto_.srtt();
  }
  // Time per word: since the FPGA's queue last filled, over every word acknowledged
  // since (robust against ACKs that arrive together), less the shortest round trip. Only at
  // ACKs the executor's progress sends: on the FPGA's own frames, and standalone after
  // half a window delivered (not the delayed ACK, which waits), and not after a loss.
  busy_words_ += words;
  if (busy_clean_ && busy_words_ >= min_word_sample && (!standalone || advance >= cfg_.window / 2)) {
    const auto elapsed = now - busy_since_;
    const Clock::duration shortest = stats_.rtt_min();
    word_time_ = (elapsed - std::min(elapsed, shortest)) / static_cast<std::int64_t>(busy_words_);
    stats_.word_time = word_time_;
  }
  stats_.rto = rto_.rto();
  rto_deadline_ = unacked_.empty() ? never : now + timeout();
  if (gap_filled) {
    ++stats_.fast_retransmits;
    rto_.forget_back_off();  // frames were lost, not late
    stats_.rto = rto_.rto();
    // Should the FPGA have had them after all, the ACKs their copies cause are no gap.
    go_back(now, -static_cast<std::int64_t>(unacked_.size()));
    went_back_ = true;
  }
  return true;
}

bool ArqTransport::take_echo() {
  const std::uint64_t base = next_seq_ - unacked_.size();
  while (!echoes_.empty() && base > echoes_.front().mark) echoes_.pop_front();
  if (echoes_.empty()) return false;
  if (--echoes_.front().count == 0) echoes_.pop_front();
  return true;
}

void ArqTransport::on_data(std::uint32_t seq, std::vector<std::uint64_t>&& words, Clock::time_point now) {
  const std::uint32_t space = cfg_.seq_space;
  const std::uint64_t offset = (seq + space - seq_mod(expected_)) % space;
  if (seq >= space || (offset >= cfg_.window && offset < space - cfg_.window)) {
    ++stats_.dropped;  // neither new nor a repeat of a recent frame
    return;
  }
  ack_owed_ = true;
  if (offset >= cfg_.window || ahead_.contains(expected_ + offset)) {
    ++stats_.duplicates;  // our ACK got lost or came late: repeat it now
    ack_now_ = true;
    return;
  }
  ++stats_.frames_received;
  if (offset > 0) {
    ++stats_.out_of_order;
    ahead_.emplace(expected_ + offset, std::move(words));
    ack_now_ = true;  // tells the FPGA where the gap is
    return;
  }
  auto deliver = [&](const std::vector<std::uint64_t>& w) {
    delivered_.insert(delivered_.end(), w.begin(), w.end());
    stats_.words_received += w.size();
    ++expected_;
    ++frames_unacked_;
  };
  deliver(words);
  for (auto next = ahead_.find(expected_); next != ahead_.end(); next = ahead_.find(expected_)) {
    deliver(next->second);
    ahead_.erase(next);
  }
  if (ack_deadline_ == never) ack_deadline_ = now + options_.ack_delay;
}

void ArqTransport::on_timers(Clock::time_point now) {
  if (ack_owed_ && now >= ack_deadline_) ack_now_ = true;
  if (unacked_.empty() || now < rto_deadline_) return;
  ++stats_.timeouts;
  if (++silent_timeouts_ > options_.max_resends) give_up(now);
  rto_.back_off();
  stats_.rto = rto_.rto();
  // The oldest frame alone: the FPGA acknowledges a frame only once its executor
  // took it, so a busy FPGA looks like a lost frame, and sending it the whole
  // window again would be answered by as many ACKs that prove nothing. The answer
  // to this copy proves nothing either.
  resend(1, now, false);
  ++unacked_.front().probes;
  unacked_.front().probe_mark = next_seq_;
  duplicate_acks_ = -1;
  probe_ = true;
  probe_sent_ = now;
}

void ArqTransport::go_back(Clock::time_point now, std::int64_t unexplained_acks) {
  resend(unacked_.size(), now, true);
  duplicate_acks_ = std::min<std::int64_t>(unexplained_acks, 0);
}

void ArqTransport::resend(std::size_t frames, Clock::time_point now, bool after_gap) {
  std::vector<Datagram> batch;
  std::uint64_t seq = next_seq_ - unacked_.size();
  for (std::size_t i = 0; i < frames; ++i) {
    OutFrame& frame = unacked_[i];
    batch.push_back(encode_frame(seq_mod(expected_), seq_mod(seq++), spec::arq::Ptype::stream, frame.words));
    ++frame.sends;
    frame.last_sent = now;
    frame.after_gap = after_gap;
  }
  stats_.retransmits += batch.size();
  busy_clean_ = false;
  link_.send(Port::data, batch);
  acked_by_sending();
  rto_deadline_ = now + timeout();
}

void ArqTransport::send_ack() {
  link_.send(Port::data, encode_ack(seq_mod(expected_)));
  ++stats_.acks_sent;
  acked_by_sending();
}

void ArqTransport::give_up(Clock::time_point now) {
  connected_ = false;
  const OutFrame& oldest = unacked_.front();
  throw LinkError(fmt::format(
      "{}: the FPGA stopped answering: frame {} was sent {} times over {:.1f} s and nothing came back for {} "
      "retransmission timeouts in a row (the last after {:.0f} ms); is `nmtwin sim` (or the FPGA) still running? "
      "The next run resets the link",
      endpoint(), seq_mod(next_seq_ - unacked_.size()), oldest.sends, seconds(now - oldest.first_sent),
      silent_timeouts_, std::chrono::duration<double, std::milli>(rto_.rto()).count()));
}

}  // namespace nmtwin::hostlink
