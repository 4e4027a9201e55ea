// Connections by URL, so one program (or test binary) runs against any target:
//   udp://HOST:PORT[?reset_port=N]   ARQ over UDP to `nmtwin sim` or an FPGA
//   sim:...                          in-process simulator (registered by sim/)
// Options for every scheme: impair=SPEC (see ImpairmentConfig::parse), pcap=FILE.
// Options are separated by '&'; values may be percent-encoded.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hostlink/arq_connection.hpp"

namespace nmtwin::hostlink {

/// The environment variable connect_from_env() reads.
inline constexpr const char* target_variable = "NMTWIN_TARGET";

struct Url {
  std::string text;    ///< as given, for messages
  std::string scheme;  ///< "udp", "sim"
  std::string body;    ///< between "SCHEME:" and "?": "//127.0.0.1:5000", "node0"
  std::map<std::string, std::string> options;
  /// Throws std::invalid_argument naming the URL and the accepted forms.
  static Url parse(std::string_view text);
  /// HOST and PORT of `udp://HOST:PORT`; std::invalid_argument naming the URL when
  /// the body has another form or the port is not one.
  std::string host() const;
  std::uint16_t port() const;
};

/// A scheme: how to make the link for a URL of it.
struct Scheme {
  std::string name;                  ///< "sim"
  std::string form;                  ///< for messages: "sim:[nodeN][?nodes=N]"
  std::vector<std::string> options;  ///< its own option names, besides impair and pcap
  /// Throws std::invalid_argument for a bad URL, LinkError when the target is unreachable.
  std::function<std::unique_ptr<DatagramLink>(const Url&)> make_link;
};

/// Adds a scheme or replaces the one of that name ("udp" is built in). Thread-safe.
void register_scheme(Scheme scheme);

/// Makes the link for `url`, wraps it in ImpairedLink / CapturingLink as the
/// options ask, and performs the ARQ handshake. Throws std::invalid_argument for a
/// malformed URL (naming it and the accepted forms), LinkError when the target
/// does not answer or is incompatible.
std::unique_ptr<ArqConnection> connect(std::string_view url, ArqOptions options = {});

/// connect() to $NMTWIN_TARGET if set and not empty, else to `default_url`.
std::unique_ptr<ArqConnection> connect_from_env(std::string_view default_url, ArqOptions options = {});

}  // namespace nmtwin::hostlink
