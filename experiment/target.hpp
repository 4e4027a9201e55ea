#pragma once
// Where experiments and scenarios run: one syntax for `nmtwin demo`, `run` and
// `regress` (docs/experiments.md, docs/regressions.md), read by hostlink's one URL parser.
//   sim:                            the in-process simulator of what runs (one FPGA, or a
//                                   scenario's topology), with waveforms; the default
//   udp://HOST:PORT[?reset_port=N]  a running `nmtwin sim` or hardware; FPGA i of a
//                                   system at ...&node=i (PORT + 2i, reset port + 2i)
//   any other hostlink URL          one FPGA, as hostlink::connect() reaches it

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nmtwin/connect.hpp"

namespace nmtwin::apps {

inline constexpr std::string_view in_process_target = "sim:";

class Target {
 public:
  /// An InputError naming the text and the accepted forms for a malformed one.
  static Target parse(std::string_view text);

  bool in_process() const { return !url_; }
  const std::string& text() const { return text_; }
  /// An InputError unless FPGA i > 0 can be addressed (sim:, udp://), as a system of
  /// several FPGAs needs.
  void require_nodes() const;
  /// The URL of FPGA `node` (0: the target itself), with the host-side impairment
  /// `impair` (ImpairmentConfig::parse) when not empty.
  std::string node_url(unsigned node, std::string_view impair = {}) const;
  /// Connects to FPGA `node` (see node_url); throws what hostlink::connect throws.
  std::unique_ptr<hostlink::Connection> connect(unsigned node, std::string_view impair = {}) const;

 private:
  std::string text_;
  std::optional<hostlink::Url> url_;  ///< none: in-process
};

}  // namespace nmtwin::apps
