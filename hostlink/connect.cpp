#include "nmtwin/connect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "hostlink/arq_connection.hpp"
#include "hostlink/capturing_link.hpp"
#include "hostlink/impaired_link.hpp"
#include "hostlink/scheme.hpp"
#include "hostlink/udp_link.hpp"

namespace nmtwin::hostlink {
namespace {

const std::vector<std::string> common_options = {"impair", "pcap"};

std::unique_ptr<DatagramLink> make_udp_link(const Url& url);

struct Registry {
  std::mutex mutex;
  std::map<std::string, Scheme> schemes{
      {"udp", Scheme{"udp", "udp://HOST:PORT[?reset_port=N][&node=I]", {"reset_port", "node"}, make_udp_link}}};
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string accepted_forms() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::string forms;
  for (const auto& [name, scheme] : r.schemes) forms += (forms.empty() ? "" : ", ") + scheme.form;
  return forms + ", each with options &impair=SPEC&pcap=FILE";
}

[[noreturn]] void bad_url(std::string_view url, std::string_view problem) {
  throw std::invalid_argument(fmt::format("'{}': {}; accepted: {}", url, problem, accepted_forms()));
}

template <class T>
bool parse_number(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size() && !text.empty();
}

std::string percent_decode(std::string_view url, std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned byte = 0;
    const char* first = text.data() + i + 1;
    const auto [end, ec] = std::from_chars(first, text.data() + std::min(i + 3, text.size()), byte, 16);
    if (ec != std::errc{} || end != first + 2) bad_url(url, fmt::format("'{}' has a bad %-escape", text));
    out += static_cast<char>(byte);
    i += 2;
  }
  return out;
}

std::uint16_t parse_port(const Url& url, std::string_view text, std::string_view what) {
  unsigned port = 0;
  if (!parse_number(text, port) || port == 0 || port > 65535)
    bad_url(url.text, fmt::format("{} '{}' is not a port number from 1 to 65535", what, text));
  return static_cast<std::uint16_t>(port);
}

// HOST and PORT of a udp URL, checked.
std::pair<std::string_view, std::uint16_t> udp_address(const Url& url) {
  if (url.scheme != "udp") bad_url(url.text, "host, port and node are parts of a udp://HOST:PORT URL");
  std::string_view body = url.body;
  if (!body.starts_with("//")) bad_url(url.text, "a udp URL starts with udp://");
  body.remove_prefix(2);
  const auto colon = body.rfind(':');
  if (colon == std::string_view::npos || colon == 0) bad_url(url.text, "expected udp://HOST:PORT");
  return {body.substr(0, colon), parse_port(url, body.substr(colon + 1), "port")};
}

// A port of node `node` of a server whose node 0 is at `base` (docs/hostlink.md).
std::uint16_t node_port(const Url& url, std::uint16_t base, std::string_view what) {
  const unsigned long port = base + 2ul * url.node();
  if (port > 65535)
    bad_url(url.text, fmt::format("node {} would be at {} {} = {} + 2 * {}, beyond 65535", url.node(), what, port, base,
                                  url.node()));
  return static_cast<std::uint16_t>(port);
}

std::unique_ptr<DatagramLink> make_udp_link(const Url& url) {
  return std::make_unique<UdpLink>(url.host(), url.port(), url.reset_port());
}

Scheme find_scheme(const Url& url) {
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  const auto it = r.schemes.find(url.scheme);
  if (it != r.schemes.end()) return it->second;
  lock.unlock();
  if (url.scheme == "sim")
    bad_url(url.text,
            "this program has no in-process simulator: sim: URLs work where the simulator registered its scheme "
            "(see docs/hostlink.md); `nmtwin sim` serves udp:// instead");
  bad_url(url.text, fmt::format("unknown scheme '{}'", url.scheme));
}

}  // namespace

Url Url::parse(std::string_view text) {
  Url url;
  url.text = std::string(text);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) bad_url(text, "expected SCHEME:...");
  url.scheme = std::string(text.substr(0, colon));
  const auto question = text.find('?', colon);
  url.body = std::string(text.substr(colon + 1, question == std::string_view::npos ? question : question - colon - 1));
  std::string_view query = question == std::string_view::npos ? std::string_view{} : text.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) bad_url(text, fmt::format("option '{}' is not NAME=VALUE", item));
    const std::string name(item.substr(0, eq));
    if (!url.options.emplace(name, percent_decode(text, item.substr(eq + 1))).second)
      bad_url(text, fmt::format("option '{}' given twice", name));
  }
  return url;
}

std::string Url::host() const { return std::string(udp_address(*this).first); }

std::uint16_t Url::port() const { return node_port(*this, udp_address(*this).second, "port"); }

std::uint16_t Url::reset_port() const {
  const auto it = options.find("reset_port");
  const auto base = it == options.end() ? udp_address(*this).second + 1ul : parse_port(*this, it->second, "reset_port");
  if (base > 65535) bad_url(text, fmt::format("the reset port {} (PORT + 1) is beyond 65535; give reset_port=N", base));
  return node_port(*this, static_cast<std::uint16_t>(base), "reset port");
}

unsigned Url::node() const {
  udp_address(*this);
  const auto it = options.find("node");
  if (it == options.end()) return 0;
  unsigned node = 0;
  if (!parse_number(it->second, node) || node > 32767)
    bad_url(text, fmt::format("node '{}' is not a node number from 0 to 32767", it->second));
  return node;
}

void register_scheme(Scheme scheme) {
  if (scheme.name.empty() || !scheme.make_link)
    throw std::invalid_argument("register_scheme: needs a name and make_link");
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.schemes.insert_or_assign(scheme.name, std::move(scheme));
}

std::unique_ptr<Connection> connect(std::string_view text, ConnectOptions options) {
  const Url url = Url::parse(text);
  const Scheme scheme = find_scheme(url);
  for (const auto& [name, value] : url.options)
    if (std::find(common_options.begin(), common_options.end(), name) == common_options.end() &&
        std::find(scheme.options.begin(), scheme.options.end(), name) == scheme.options.end())
      bad_url(url.text, fmt::format("unknown option '{}'", name));
  std::optional<ImpairmentConfig> impairment;
  if (auto it = url.options.find("impair"); it != url.options.end()) {
    try {
      impairment = ImpairmentConfig::parse(it->second);
    } catch (const std::invalid_argument& e) {
      bad_url(url.text, e.what());
    }
  }
  std::unique_ptr<DatagramLink> link = scheme.make_link(url);
  CaptureAddresses addresses;
  if (const auto* udp = dynamic_cast<const UdpLink*>(link.get()))
    addresses = {.host = {udp->local_ipv4(), udp->local_port()},
                 .data = {udp->peer_ipv4(), udp->data_port()},
                 .reset = {udp->peer_ipv4(), udp->reset_port()}};
  if (impairment && impairment->active()) link = std::make_unique<ImpairedLink>(std::move(link), *impairment);
  if (auto it = url.options.find("pcap"); it != url.options.end())
    link = std::make_unique<CapturingLink>(std::move(link), std::make_unique<PcapWriter>(it->second), addresses);
  return std::make_unique<ArqConnection>(std::move(link), std::move(options));
}

std::unique_ptr<Connection> connect_from_env(std::string_view default_url, ConnectOptions options) {
  const char* target = std::getenv(target_variable);
  if (!target || !*target) return connect(default_url, std::move(options));
  try {
    return connect(target, std::move(options));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{} (from the environment variable {})", e.what(), target_variable));
  }
}

}  // namespace nmtwin::hostlink
