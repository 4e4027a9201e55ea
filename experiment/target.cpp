#include "experiment/target.hpp"

#include <fmt/format.h>

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
      if (t.url_->options.contains("node"))
        throw std::invalid_argument("give the address of FPGA 0; the runner addresses FPGA i itself (node=i)");
      t.url_->reset_port();
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
  const auto add = [&url](std::string_view option) {
    url += fmt::format("{}{}", url.find('?') == std::string::npos ? "?" : "&", option);
  };
  if (node > 0) {
    require_nodes();
    add(fmt::format("node={}", node));  // docs/hostlink.md: data and reset port + 2 * node
  }
  if (!impair.empty()) add(fmt::format("impair={}", impair));
  return url;
}

std::unique_ptr<hostlink::Connection> Target::connect(unsigned node, std::string_view impair) const {
  return hostlink::connect(node_url(node, impair));
}

}  // namespace nmtwin::apps
