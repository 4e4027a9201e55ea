#include "sim/host/inprocess_connection.hpp"

#include "hostlink/scheme.hpp"

#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <stdexcept>

namespace nmtwin::sim {

namespace {

unsigned parse_count(const hostlink::Url& url, std::string_view text, std::string_view what, unsigned min) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || value < min)
    throw std::invalid_argument(fmt::format("'{}': {} '{}' is not a whole number of at least {}; accepted: {}",
                                            url.text, what, text, min, sim_url_form));
  return value;
}

std::unique_ptr<hostlink::DatagramLink> make_sim_link(const hostlink::Url& url) {
  unsigned node = 0;
  if (!url.body.empty()) {
    if (!url.body.starts_with("node"))
      throw std::invalid_argument(
          fmt::format("'{}': expected sim: or sim:nodeN; accepted: {}", url.text, sim_url_form));
    node = parse_count(url, std::string_view(url.body).substr(4), "node", 0);
  }
  SimulationConfig config;
  unsigned nodes = 1;
  if (auto it = url.options.find("nodes"); it != url.options.end()) nodes = parse_count(url, it->second, "nodes", 1);
  config.network = extoll::NetworkSpec::unlinked(nodes);
  if (auto it = url.options.find("quantum"); it != url.options.end())
    config.quantum = parse_count(url, it->second, "quantum", 1);
  if (auto it = url.options.find("warp"); it != url.options.end()) {
    if (it->second != "0" && it->second != "1")
      throw std::invalid_argument(
          fmt::format("'{}': warp={} is neither 1 (warp through idle stretches) nor 0 (step every cycle); accepted: {}",
                      url.text, it->second, sim_url_form));
    config.warp = it->second == "1";
  }
  if (node >= nodes)
    throw std::invalid_argument(fmt::format("'{}': node {} does not exist in a system of {} node(s); accepted: {}",
                                            url.text, node, nodes, sim_url_form));
  return std::make_unique<MemoryLink>(std::make_unique<Simulation>(config), node);
}

}  // namespace

InProcessConnection::InProcessConnection(Simulation& simulation, unsigned node, hostlink::ConnectOptions options)
    : hostlink::ArqConnection(std::make_unique<MemoryLink>(simulation, node), std::move(options)) {}

void register_sim_scheme() {
  hostlink::register_scheme(hostlink::Scheme{"sim", std::string(sim_url_form), {"nodes", "quantum", "warp"}, make_sim_link});
}

}  // namespace nmtwin::sim
