// URL schemes besides udp: a library with its own transport to an FPGA (the
// in-process simulator of sim/) registers a scheme, and connect() then builds its
// link for URLs of it. Not part of the public host API: it needs DatagramLink.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hostlink/datagram_link.hpp"
#include "nmtwin/connect.hpp"

namespace nmtwin::hostlink {

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

}  // namespace nmtwin::hostlink
