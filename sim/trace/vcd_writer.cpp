#include "sim/trace/vcd_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace nmtwin::sim {

namespace {
// Identifier codes: printable ASCII 33..126, least significant digit first.
std::string code(std::size_t n) {
  std::string id;
  do {
    id += static_cast<char>(33 + n % 94);
    n /= 94;
  } while (n);
  return id;
}

std::vector<std::string> split(const std::string& scope) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = scope.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(scope.substr(start, dot - start));
  parts.push_back(scope.substr(start));
  return parts;
}
}  // namespace

VcdWriter::VcdWriter(const std::string& path, std::string_view comment) : path_(path), comment_(comment), out_(path) {
  if (!out_)
    throw std::runtime_error(fmt::format("cannot write waveform '{}': check that the directory exists and is writable",
                                         path));
}

VcdWriter::~VcdWriter() {
  if (!closed_) close(written_time_);
}

unsigned VcdWriter::add(const std::string& scope, const std::string& name, unsigned width) {
  if (started_) throw std::logic_error("VcdWriter::add after the first change");
  if (width < 1 || width > 64) throw std::invalid_argument(fmt::format("VCD wire '{}' of {} bits", name, width));
  signals_.push_back({scope, name, code(signals_.size()), width, 0});
  return static_cast<unsigned>(signals_.size() - 1);
}

void VcdWriter::header() {
  started_ = true;
  out_ << "$comment " << comment_ << " $end\n$timescale 1ps $end\n";
  // Scopes in the order first declared; nested by their dotted path.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    if (!members.count(signals_[i].scope)) order.push_back(signals_[i].scope);
    members[signals_[i].scope].push_back(i);
  }
  std::vector<std::string> open;
  for (const auto& scope : order) {
    const auto parts = split(scope);
    std::size_t common = 0;
    while (common < open.size() && common < parts.size() && open[common] == parts[common]) ++common;
    for (std::size_t k = open.size(); k > common; --k) out_ << "$upscope $end\n";
    open.resize(common);
    for (std::size_t k = common; k < parts.size(); ++k) {
      out_ << "$scope module " << parts[k] << " $end\n";
      open.push_back(parts[k]);
    }
    for (std::size_t i : members[scope]) {
      const auto& s = signals_[i];
      out_ << "$var wire " << s.width << ' ' << s.id << ' ' << s.name;
      if (s.width > 1) out_ << " [" << s.width - 1 << ":0]";
      out_ << " $end\n";
    }
  }
  for (std::size_t k = open.size(); k > 0; --k) out_ << "$upscope $end\n";
  out_ << "$enddefinitions $end\n#0\n$dumpvars\n";
  for (const auto& s : signals_) put(s, 0);
  out_ << "$end\n";
  time_written_ = true;
}

void VcdWriter::put(const Signal& s, std::uint64_t value) {
  if (s.width == 1) {
    out_ << (value & 1) << s.id << '\n';
    return;
  }
  std::string bits;
  for (unsigned b = s.width; b-- > 0;)
    if (!bits.empty() || (value >> b & 1) || b == 0) bits += (value >> b & 1) ? '1' : '0';
  out_ << 'b' << bits << ' ' << s.id << '\n';
}

void VcdWriter::change(std::uint64_t time_ps, unsigned signal, std::uint64_t value) {
  if (!started_) header();
  pending_.push_back({std::max(time_ps, written_time_), signal, value});  // never before what is written
}

void VcdWriter::flush(std::uint64_t horizon_ps) {
  if (!started_) header();
  // By time, and within a time by signal: one order however the changes came in (a
  // system split over ranks gathers them rank by rank); a signal's changes keep theirs.
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const Change& a, const Change& b) { return a.time != b.time ? a.time < b.time : a.signal < b.signal; });
  std::size_t k = 0;
  std::vector<std::pair<unsigned, std::uint64_t>> finals;  // of one time: the last value of each signal
  while (k < pending_.size() && pending_[k].time < horizon_ps) {
    const std::uint64_t t = pending_[k].time;
    finals.clear();
    for (; k < pending_.size() && pending_[k].time == t; ++k) {
      const auto& c = pending_[k];
      const auto& sig = signals_[c.signal];
      const std::uint64_t v = sig.width == 64 ? c.value : c.value & ((std::uint64_t{1} << sig.width) - 1);
      auto it = std::find_if(finals.begin(), finals.end(), [&](const auto& f) { return f.first == c.signal; });
      if (it == finals.end())
        finals.emplace_back(c.signal, v);
      else
        it->second = v;
    }
    for (const auto& [id, v] : finals) {
      auto& sig = signals_[id];
      if (v == sig.value) continue;
      if (t != written_time_ || !time_written_) {
        out_ << '#' << t << '\n';
        written_time_ = t;
        time_written_ = true;
      }
      put(sig, v);
      sig.value = v;
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(k));
}

void VcdWriter::close(std::uint64_t end_ps) {
  if (closed_) return;
  flush(UINT64_MAX);
  if (end_ps > written_time_) out_ << '#' << end_ps << '\n';
  out_.flush();
  closed_ = true;
  if (!out_) throw std::runtime_error(fmt::format("writing waveform '{}' failed (disk full?)", path_));
}

}  // namespace nmtwin::sim
