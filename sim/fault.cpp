#include "sim/fault.hpp"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <stdexcept>

#include "extoll/network.hpp"
#include "nmtwin/spec.hpp"

namespace nmtwin::sim {

namespace {

constexpr std::string_view forms =
    "stuck_bit:addr=A,bit=B[,value=0|1][,node=N], dead_link:link=L (or node=N), lossy_link:link=L[,ber=X] (or node=N)";

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw std::invalid_argument(fmt::format("--fault '{}': {}; the forms are {}", text, why, forms));
}

std::uint64_t number(std::string_view text, std::string_view key, std::string_view v, std::uint64_t max) {
  int base = 10;
  if (v.starts_with("0x") || v.starts_with("0X")) {
    v.remove_prefix(2);
    base = 16;
  }
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n, base);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || n > max)
    bad(text, fmt::format("{}='{}' must be a whole number from 0 to {}", key, v, max));
  return n;
}

}  // namespace

Fault parse_fault(std::string_view text) {
  Fault f;
  f.text = std::string(text);
  const auto colon = text.find(':');
  const auto kind = text.substr(0, colon);
  if (kind == "stuck_bit")
    f.kind = Fault::Kind::stuck_bit;
  else if (kind == "dead_link")
    f.kind = Fault::Kind::dead_link;
  else if (kind == "lossy_link")
    f.kind = Fault::Kind::lossy_link;
  else
    bad(text, fmt::format("unknown fault kind '{}'", kind));
  std::map<std::string, std::string, std::less<>> keys;
  std::string_view rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) bad(text, fmt::format("'{}' is no key=value", item));
    if (!keys.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1))).second)
      bad(text, fmt::format("'{}' given twice", item.substr(0, eq)));
  }
  const auto allow = [&](std::initializer_list<std::string_view> allowed) {
    for (const auto& [k, v] : keys) {
      bool ok = false;
      for (auto a : allowed) ok = ok || k == a;
      if (!ok) bad(text, fmt::format("'{}' is no key of {}", k, kind));
    }
  };
  const auto has = [&](std::string_view k) { return keys.find(k) != keys.end(); };
  const auto get = [&](std::string_view k, std::uint64_t max) { return number(text, k, keys.find(k)->second, max); };
  if (f.kind == Fault::Kind::stuck_bit) {
    allow({"addr", "bit", "value", "node"});
    if (!has("addr") || !has("bit")) bad(text, "stuck_bit needs addr= and bit=");
    f.addr = static_cast<std::uint32_t>(get("addr", 0xFFFFFF));
    f.bit = static_cast<unsigned>(get("bit", 31));
    if (has("value")) f.value = get("value", 1) != 0;
    if (has("node")) f.node = static_cast<unsigned>(get("node", 0xFFFF));
    return f;
  }
  allow(f.kind == Fault::Kind::lossy_link ? std::initializer_list<std::string_view>{"link", "node", "ber"}
                                          : std::initializer_list<std::string_view>{"link", "node"});
  if (has("link") == has("node")) bad(text, fmt::format("{} needs link= or node= (one of them)", kind));
  f.by_node = has("node");
  f.link = static_cast<unsigned>(get(f.by_node ? "node" : "link", 0xFFFF));
  if (has("ber")) {
    const auto& v = keys.find("ber")->second;
    char* end = nullptr;
    f.ber = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !(f.ber > 0 && f.ber < 1))
      bad(text, fmt::format("ber='{}' must be a bit-error rate above 0 and below 1, e.g. 1e-3", v));
  }
  return f;
}

std::size_t fault_link(const extoll::NetworkSpec& network, const Fault& f) {
  if (!f.by_node) {
    if (f.link >= network.links.size())
      throw std::invalid_argument(fmt::format("--fault '{}': the system has {} link(s), numbered from 0", f.text,
                                              network.links.size()));
    return f.link;
  }
  for (std::size_t i = 0; i < network.links.size(); ++i) {
    const auto& l = network.links[i];
    if ((!l.a.is_switch && l.a.index == f.link) || (!l.b.is_switch && l.b.index == f.link)) return i;
  }
  throw std::invalid_argument(fmt::format("--fault '{}': node {} has no link in this system ({} node(s), {} link(s))",
                                          f.text, f.link, network.node_ids.size(), network.links.size()));
}

void apply_link_faults(extoll::NetworkSpec& network, std::span<const Fault> faults) {
  for (const auto& f : faults) {
    if (f.kind == Fault::Kind::stuck_bit) {
      if (f.node >= network.node_ids.size())
        throw std::invalid_argument(
            fmt::format("--fault '{}': the system has {} node(s), numbered from 0", f.text, network.node_ids.size()));
      continue;
    }
    auto& c = network.links[fault_link(network, f)].config;
    if (f.kind == Fault::Kind::dead_link) c.dead = true;
    if (f.kind == Fault::Kind::lossy_link) c.bit_error_rate = f.ber;
  }
}

}  // namespace nmtwin::sim
