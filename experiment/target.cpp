#include "experiment/target.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

#include "experiment/toml_reader.hpp"

namespace nmtwin::apps {

namespace {
constexpr std::string_view accepted =
    "use sim: (in-process) or udp://HOST:PORT (a running nmtwin sim or hardware; node i at PORT + 2i)";
}

Target Target::parse(std::string_view text) {
  Target t;
  t.text_ = std::string(text);
  if (text == in_process_target) return t;
  try {
    t.url_ = hostlink::Url::parse(text);
    if (t.url_->scheme == "udp") {  // a malformed udp URL is refused before any run
      t.reset_port_ = t.url_->port() + 1u;
      if (const auto it = t.url_->options.find("reset_port"); it != t.url_->options.end()) {
        const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), t.reset_port_);
        if (ec != std::errc{} || end != it->second.data() + it->second.size() || t.reset_port_ == 0 ||
            t.reset_port_ > 65535)
          throw std::invalid_argument(fmt::format("reset_port '{}' is not a port number from 1 to 65535", it->second));
      }
    }
  } catch (const std::invalid_argument& e) {
    throw InputError(fmt::format("--target '{}': {} ({})", text, accepted, e.what()));
  }
  return t;
}

void Target::require_nodes() const {
  if (!in_process() && url_->scheme != "udp")
    throw InputError(fmt::format("--target '{}': a system of several FPGAs runs on sim: or udp://; {}", text_, accepted));
}

std::string Target::node_url(unsigned node, std::string_view impair) const {
  if (in_process()) throw std::logic_error("Target::node_url: the in-process target has no URL");
  std::string url = text_;
  if (node > 0) {
    require_nodes();
    // The same options; data and reset port moved by 2 per FPGA.
    url = fmt::format("udp://{}:{}?reset_port={}", url_->host(), url_->port() + 2 * node, reset_port_ + 2 * node);
    for (std::string_view query = std::string_view(text_).substr(std::min(text_.find('?'), text_.size()));
         !query.empty();) {
      query.remove_prefix(1);  // '?' or '&'
      const auto item = query.substr(0, query.find('&'));
      query.remove_prefix(item.size());
      if (!item.empty() && !item.starts_with("reset_port=")) url += fmt::format("&{}", item);
    }
  }
  if (!impair.empty()) url += fmt::format("{}impair={}", url.find('?') == std::string::npos ? "?" : "&", impair);
  return url;
}

std::unique_ptr<hostlink::ArqConnection> Target::connect(unsigned node, std::string_view impair) const {
  return hostlink::connect(node_url(node, impair));
}

}  // namespace nmtwin::apps
