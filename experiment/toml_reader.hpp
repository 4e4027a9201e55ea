#pragma once
// Reads the values of one TOML input file (experiment, topology), turning every
// problem into "file:line: what is wrong; what to do" (InputError).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/spec.hpp"

namespace nmtwin::apps {

/// A problem in an input file, with its file and line.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr double cycles_per_us = 1000.0 / spec::cycle_ns;

/// Parses `text`; a syntax error is an InputError naming `origin` and the line.
toml::table parse_toml(std::string_view text, const std::string& origin);
/// False for text with a character that the TOML library cannot read safely, which
/// parse_toml refuses with an InputError (a non-ASCII character outside strings and
/// comments; see toml_reader.cpp): check it before any toml::parse of one's own.
bool toml_library_can_read(std::string_view text);
/// Reads the whole file; an InputError naming `path` and the fix when it cannot.
std::string read_input_file(const std::string& path, std::string_view what);
/// A file an input file names: relative names are looked up next to `file` first
/// (an example's topology, a scenario's synfire file); else `name` as it is.
std::string path_beside(const std::string& file, const std::string& name);

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}
  /// The file read (for files it names: path_beside).
  const std::string& origin() const { return origin_; }

  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    throw InputError(fmt::format("{}:{}: {}", origin_, at.source().begin.line, message));
  }

  void check_keys(const toml::table& table, std::string_view section,
                  const std::vector<std::string_view>& allowed) const {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
        fail(value,
             fmt::format("unknown key '{}' in {}; allowed keys: {}", key.str(), section, fmt::join(allowed, ", ")));
    }
  }

  const toml::node& require(const toml::table& table, std::string_view key, std::string_view section) const {
    const toml::node* node = table.get(key);
    if (!node) fail(table, fmt::format("{} needs '{}'", section, key));
    return *node;
  }

  std::int64_t integer(const toml::node& node, std::string_view key, std::int64_t min, std::int64_t max) const {
    const auto* v = node.as_integer();
    if (!v) fail(node, fmt::format("'{}' must be an integer from {} to {}", key, min, max));
    const std::int64_t x = v->get();
    if (x < min || x > max) fail(node, fmt::format("'{}' = {} is out of range; use {} to {}", key, x, min, max));
    return x;
  }

  double number(const toml::node& node, std::string_view key, double min, double max) const {
    const auto x = node.value<double>();
    if (!x || !node.is_number()) fail(node, fmt::format("'{}' must be a number from {} to {}", key, min, max));
    if (!std::isfinite(*x) || *x < min || *x > max)
      fail(node, fmt::format("'{}' = {} is out of range; use {} to {}", key, *x, min, max));
    return *x;
  }

  std::string string(const toml::node& node, std::string_view key) const {
    const auto* v = node.as_string();
    if (!v) fail(node, fmt::format("'{}' must be a string (in quotes)", key));
    return v->get();
  }

  bool boolean(const toml::node& node, std::string_view key) const {
    const auto* v = node.as_boolean();
    if (!v) fail(node, fmt::format("'{}' must be true or false", key));
    return v->get();
  }

  std::uint64_t cycles(const toml::node& node, std::string_view key) const {
    return static_cast<std::uint64_t>(std::llround(number(node, key, 0.0, 1e9) * cycles_per_us));
  }

  // `neurons` is an index, a list of indices, or a range "first-last".
  std::vector<unsigned> neurons(const toml::node& node) const {
    const std::int64_t last = spec::chip::neurons - 1;
    std::vector<unsigned> out;
    if (node.is_integer()) {
      out.push_back(static_cast<unsigned>(integer(node, "neurons", 0, last)));
    } else if (const auto* arr = node.as_array()) {
      for (const auto& n : *arr) out.push_back(static_cast<unsigned>(integer(n, "neurons", 0, last)));
    } else if (const auto* s = node.as_string()) {
      unsigned a = 0, b = 0;
      char dash = 0, extra = 0;
      std::istringstream in(s->get());
      if (!(in >> a >> dash >> b) || dash != '-' || (in >> extra) || a > b || b > last)
        fail(node, fmt::format("'neurons' = \"{}\" is not a range; write \"first-last\" with 0 <= first <= last <= {}",
                               s->get(), last));
      for (unsigned n = a; n <= b; ++n) out.push_back(n);
    } else {
      fail(node, "'neurons' must be an index, a list of indices or a range \"first-last\"");
    }
    if (out.empty()) fail(node, "'neurons' names no neuron");
    return out;
  }

  const toml::array& tables(const toml::node& node, std::string_view section) const {
    const auto* arr = node.as_array();
    if (!arr || !arr->is_array_of_tables())
      fail(node, fmt::format("'{}' must be written as [[{}]] tables", section, section));
    return *arr;
  }

 private:
  std::string origin_;
};

}  // namespace nmtwin::apps
