#include "experiment/toml_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

namespace nmtwin::apps {
namespace {

// toml++ 3.3 (Debian 12's) asks of a non-ASCII character outside strings and comments, and
// of the first character after a line-ending backslash in a multi-line basic string,
// whether it is whitespace; for some characters its answer runs into
// __builtin_unreachable() (is_non_ascii_horizontal_whitespace: undefined behaviour,
// found by fuzz_files). This is its test, so that nmtwin refuses them first.
bool tomlpp_cannot_classify(char32_t c) {
  if (c < 0xA0 || c > 0xFEFF) return false;
  const auto block = (static_cast<std::uint64_t>(c) - 0xA0) / 0x3FA;
  if ((std::uint64_t{1} << block) & 0x7FFF'FFFF'FFFF'F75Eull) return false;
  if (c == 0xA0 || c == 0x3000 || c == 0xFEFF) return false;
  return block != 5 && block != 7;
}

// The code point of the UTF-8 sequence at text[i] (0 when it is not valid UTF-8: toml++
// refuses that itself).
char32_t code_point_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
  const unsigned b0 = byte(0);
  if (b0 >= 0xC0 && b0 < 0xE0 && (byte(1) & 0xC0) == 0x80) return (b0 & 0x1F) << 6 | (byte(1) & 0x3F);
  if (b0 >= 0xE0 && b0 < 0xF0 && (byte(1) & 0xC0) == 0x80 && (byte(2) & 0xC0) == 0x80)
    return (b0 & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
  return 0;
}

// What toml++ 3.3 takes for whitespace (is_whitespace: ASCII and non-ASCII, horizontal and
// vertical); it skips all of them after a line-ending backslash.
bool tomlpp_whitespace(char32_t c) {
  return c == ' ' || c == '\t' || (c >= '\n' && c <= '\r') || c == 0x85 || c == 0x2028 || c == 0x2029 ||
         c == 0xA0 || c == 0x3000 || c == 0xFEFF || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200B) ||
         (c >= 0x205F && c <= 0x2060) || c == 0x202F;
}

// The character at text[i] and its length in bytes: ASCII as it is, UTF-8 decoded (a
// four-byte sequence as U+10000, which toml++ classifies safely), 0 for a broken sequence.
std::pair<char32_t, std::size_t> character_at(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return {b0, 1};
  if (const char32_t c = code_point_at(text, i)) return {c, c < 0x800 ? 2u : 3u};
  if (b0 >= 0xF0 && b0 < 0xF8 && i + 3 < text.size()) return {0x10000, 4};
  return {0, 1};
}

// Where `text` has a character toml++ cannot read safely (above), with what to do; TOML
// allows non-ASCII characters only in strings and comments, so outside them every one is
// refused (as toml++ would refuse it, by line).
struct Problem {
  int line;
  std::string what;
};

std::optional<Problem> unreadable_character(std::string_view text) {
  enum class In { value, comment, basic, literal, ml_basic, ml_literal } in = In::value;
  int line = 1;
  char last = '\n';  // the last character outside strings and comments but spaces
  // toml++ reads a bare token (a number, a date, a bad value) up to a space, a comma or a
  // closing bracket, whatever it holds ("0[\"x" is one token): a quote glued to one opens no
  // string, and the brackets in it nest nothing. Where keys are read (line start, table
  // headers, inline tables), a dot separates dotted keys and ends the bare part.
  bool glued = false;
  bool key = true;
  std::string nest;  // the open '[' and '{' of values
  const auto at = [&](std::size_t i, std::string_view s) { return text.substr(i, s.size()) == s; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    switch (in) {
      case In::value:
        if (static_cast<unsigned char>(c) >= 0x80)
          return Problem{line,
                         "a non-ASCII character outside a quoted string or comment; TOML allows them only "
                         "inside strings and comments: quote the key or value"};
        if (c == '#') {
          in = In::comment;
          break;
        }
        if ((c == '"' || c == '\'') && !glued && std::string_view("\n=[,{.").find(last) != std::string_view::npos) {
          if (c == '"') in = at(i, "\"\"\"") ? (i += 2, In::ml_basic) : In::basic;
          if (c == '\'') in = at(i, "\'\'\'") ? (i += 2, In::ml_literal) : In::literal;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          glued = false;
          if (c == '\n' && nest.empty()) key = true;
        } else if (c == '=') {
          glued = false, key = false;
        } else if (c == ',') {
          glued = false;
          if (!nest.empty() && nest.back() == '{') key = true;
        } else if (c == ']' || c == '}') {
          glued = false;
          if (!nest.empty()) nest.pop_back();
          if (c == '}') key = false;
        } else if ((c == '[' || c == '{') && !glued) {
          if (c == '{') nest.push_back('{'), key = true;
          else if (!key || !nest.empty()) nest.push_back('[');  // an array; else a table header
        } else if (c == '.' && key) {
          glued = false;
        } else {
          glued = true;
        }
        if (c == '\n' || (c != ' ' && c != '\t' && c != '\r')) last = c;
        break;
      case In::comment:
        if (c == '\n') {
          in = In::value, last = '\n', glued = false;
          if (nest.empty()) key = true;
        }
        break;
      case In::basic:
      case In::ml_basic:
        if (c == '\\') {
          // toml++ asks whether the character after a backslash is whitespace, skips
          // whitespace (a line-ending backslash in a multi-line string; anything else
          // is an error it reports) and asks again of the character after it.
          // Every character it looks at is asked; non-ASCII whitespace (U+FEFF, U+3000, ...)
          // is skipped as well, and the character after it asked in turn.
          std::size_t j = i + 1;
          int lines = 0;
          while (j < text.size()) {
            const auto [cp, length] = character_at(text, j);
            if (tomlpp_cannot_classify(cp))
              return Problem{line + lines, fmt::format("the character U+{:04X} after a backslash in a "
                                                       "string cannot be read by nmtwin's TOML library (toml++ 3.3); "
                                                       "put an ASCII character before it or end the previous line "
                                                       "without the backslash",
                                                       static_cast<std::uint32_t>(cp))};
            if (!tomlpp_whitespace(cp)) break;
            lines += cp == '\n';
            j += length;
          }
          if (j > i + 1) {
            line += lines;
            i = j - 1;
          } else {
            ++i;  // an escaped character
          }
        } else if (in == In::basic && (c == '"' || c == '\n')) {
          in = In::value, last = c;
        } else if (in == In::ml_basic && at(i, "\"\"\"")) {
          in = In::value, last = c, i += 2;
        }
        break;
      case In::literal:
        if (c == '\'' || c == '\n') in = In::value, last = c;
        break;
      case In::ml_literal:
        if (at(i, "'''")) in = In::value, last = c, i += 2;
        break;
    }
  }
  return std::nullopt;
}

// The text with every character toml++ cannot classify (tomlpp_cannot_classify) replaced,
// byte for byte, by '~': allowed in strings and comments, an error anywhere else. Empty
// when there is none.
std::string with_unclassifiable_replaced(std::string_view text, char32_t& first) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = code_point_at(text, i);
    if (!tomlpp_cannot_classify(c)) continue;
    if (out.empty()) out.assign(text), first = c;
    const std::size_t n = c < 0x800 ? 2 : 3;
    out.replace(i, n, n, '~');
    i += n - 1;
  }
  return out;
}

}  // namespace

bool toml_library_can_read(std::string_view text) {
  if (unreadable_character(text)) return false;
  char32_t first = 0;
  const auto safe = with_unclassifiable_replaced(text, first);
  if (safe.empty()) return true;
  try {
    (void)toml::parse(safe);
    return true;
  } catch (const toml::parse_error&) {
    return false;
  }
}

toml::table parse_toml(std::string_view text, const std::string& origin) {
  if (const auto problem = unreadable_character(text))
    throw InputError(fmt::format("{}:{}: {}", origin, problem->line, problem->what));
  // The check above follows toml++'s tokens only as far as a valid file needs; after a
  // syntax error toml++ may read on in ways it does not foresee (found by fuzz_files). So
  // a text with such characters is read first with them replaced: if that parses, each
  // stood in a string or comment, where toml++ does not classify it.
  char32_t first = 0;
  if (const auto safe = with_unclassifiable_replaced(text, first); !safe.empty()) {
    try {
      (void)toml::parse(safe, origin);
    } catch (const toml::parse_error& err) {
      throw InputError(fmt::format("{}:{}:{}: {}; fix the TOML syntax there (characters such as U+{:04X}, which "
                                   "nmtwin's TOML library cannot read outside strings and comments, are shown as "
                                   "'~')",
                                   origin, err.source().begin.line, err.source().begin.column, err.description(),
                                   static_cast<std::uint32_t>(first)));
    }
  }
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& err) {
    throw InputError(fmt::format("{}:{}:{}: {}; fix the TOML syntax there", origin, err.source().begin.line,
                                 err.source().begin.column, err.description()));
  }
}

std::string read_input_file(const std::string& path, std::string_view what) {
  std::ifstream in(path);
  if (!in)
    throw InputError(fmt::format("{}: cannot open the {} ({}); check the path", path, what, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string path_beside(const std::string& file, const std::string& name) {
  const auto p = std::filesystem::path(file).parent_path() / name;
  std::error_code ec;
  return std::filesystem::path(name).is_relative() && std::filesystem::exists(p, ec) ? p.string() : name;
}

}  // namespace nmtwin::apps
