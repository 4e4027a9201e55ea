#include "hostlink/impairment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace nmtwin::hostlink {
namespace {

constexpr std::string_view accepted = "loss, dup, reorder, depth, delay, delay_ms, seed";

template <class T>
T parse_number(std::string_view item, std::string_view value) {
  T result{};
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (ec != std::errc{} || end != value.data() + value.size() || value.empty())
    throw std::invalid_argument(fmt::format("impairment item '{}': '{}' is not a number", item, value));
  return result;
}

double parse_probability(std::string_view item, std::string_view value) {
  const double p = parse_number<double>(item, value);
  if (!(p >= 0 && p <= 1))
    throw std::invalid_argument(fmt::format("impairment item '{}': a rate is a probability from 0 to 1", item));
  return p;
}

}  // namespace

ImpairmentConfig ImpairmentConfig::parse(std::string_view text) {
  ImpairmentConfig config;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      throw std::invalid_argument(
          fmt::format("impairment item '{}': expected NAME=VALUE with NAME one of {}", item, accepted));
    const std::string_view name = item.substr(0, eq), value = item.substr(eq + 1);
    if (name == "loss") {
      config.loss = parse_probability(item, value);
    } else if (name == "dup") {
      config.dup = parse_probability(item, value);
    } else if (name == "reorder") {
      config.reorder = parse_probability(item, value);
    } else if (name == "delay") {
      config.delay = parse_probability(item, value);
    } else if (name == "depth") {
      config.depth = parse_number<unsigned>(item, value);
      if (config.depth == 0)
        throw std::invalid_argument(fmt::format("impairment item '{}': depth is at least 1 datagram", item));
    } else if (name == "delay_ms") {
      const double ms = parse_number<double>(item, value);
      if (!(ms >= 0 && ms <= 3.6e6))
        throw std::invalid_argument(fmt::format("impairment item '{}': delay_ms is from 0 to 3600000", item));
      config.delay_time = std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000));
    } else if (name == "seed") {
      config.seed = parse_number<std::uint64_t>(item, value);
    } else {
      throw std::invalid_argument(
          fmt::format("impairment item '{}': unknown name '{}'; accepted: {}", item, name, accepted));
    }
  }
  return config;
}

std::string ImpairmentConfig::to_string() const {
  return fmt::format("loss={},dup={},reorder={},depth={},delay={},delay_ms={},seed={}", loss, dup, reorder, depth,
                     delay, static_cast<double>(delay_time.count()) / 1000, seed);
}

ImpairmentConfig ImpairmentConfig::reverse() const {
  ImpairmentConfig other = *this;
  other.seed = seed ^ 0x5bd1e9955bd1e995;
  return other;
}

Impairment::Impairment(const ImpairmentConfig& config) : config_(config), rng_(config.seed) {}

void Impairment::push(Datagram datagram, Clock::time_point now, std::vector<Datagram>& out) {
  ++stats_.datagrams;
  const double lose = random::uniform(rng_), duplicate = random::uniform(rng_), reorder = random::uniform(rng_),
               depth = random::uniform(rng_), delay = random::uniform(rng_);
  // Held datagrams whose count runs out leave right after this one.
  std::vector<Datagram> behind;
  release_if([](Held& h) { return h.after > 0 && --h.after == 0; }, behind);
  if (lose < config_.loss) {
    ++stats_.lost;
  } else {
    if (duplicate < config_.dup) {
      ++stats_.duplicated;
      out.push_back(datagram);
    }
    if (reorder < config_.reorder) {
      ++stats_.reordered;
      const auto after = 1 + static_cast<unsigned>(depth * config_.depth);
      held_.push_back(Held{std::move(datagram), after, now + config_.delay_time});
    } else if (delay < config_.delay) {
      ++stats_.delayed;
      held_.push_back(Held{std::move(datagram), 0, now + config_.delay_time});
    } else {
      out.push_back(std::move(datagram));
    }
  }
  for (Datagram& d : behind) out.push_back(std::move(d));
  release_due(now, out);
}

void Impairment::release_due(Clock::time_point now, std::vector<Datagram>& out) {
  release_if([now](const Held& h) { return h.due <= now; }, out);
}

template <class Leaves>
void Impairment::release_if(Leaves leaves, std::vector<Datagram>& out) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < held_.size(); ++i) {
    if (leaves(held_[i]))
      out.push_back(std::move(held_[i].datagram));
    else if (kept++ != i)
      held_[kept - 1] = std::move(held_[i]);
  }
  held_.resize(kept);
}

Clock::time_point Impairment::next_due() const {
  Clock::time_point next = Clock::time_point::max();
  for (const Held& h : held_) next = std::min(next, h.due);
  return next;
}

}  // namespace nmtwin::hostlink
