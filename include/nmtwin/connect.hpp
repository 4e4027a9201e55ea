// Connections by URL, so one program (or test binary) runs against any target:
//   udp://HOST:PORT[?reset_port=N][&node=I]   ARQ over UDP to `nmtwin sim` or an FPGA
//   sim:...                                   in-process simulator (registered by sim/)
// Options for every scheme: impair=SPEC (see docs/hostlink.md, Impairment), pcap=FILE.
// Options are separated by '&'; values may be percent-encoded.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "nmtwin/connect_options.hpp"
#include "nmtwin/connection.hpp"

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

  // The parts of a udp:// URL; each throws std::invalid_argument naming the URL and
  // the udp form when the URL is of another scheme or malformed.
  //
  // A server of several FPGAs (`nmtwin sim --topology`, a rack) serves node i on the
  // ports PORT + 2i (data) and PORT + 2i + 1 (reset): `udp://HOST:PORT?node=I`
  // addresses node I without computing its ports.
  std::string host() const;
  /// The data port of the FPGA addressed: PORT + 2 * node().
  std::uint16_t port() const;
  /// Its reset port: reset_port (default PORT + 1) + 2 * node().
  std::uint16_t reset_port() const;
  /// The `node` option; 0 without it.
  unsigned node() const;
};

/// Makes the link for `url`, wraps it in impairment and capture as the options ask,
/// and performs the handshake. Throws std::invalid_argument for a malformed URL
/// (naming it and the accepted forms), LinkError when the target does not answer
/// or is incompatible.
std::unique_ptr<Connection> connect(std::string_view url, ConnectOptions options = {});

/// connect() to $NMTWIN_TARGET if set and not empty, else to `default_url`.
std::unique_ptr<Connection> connect_from_env(std::string_view default_url, ConnectOptions options = {});

}  // namespace nmtwin::hostlink
