#include "experiment/toml_reader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace nmtwin::apps {

toml::table parse_toml(std::string_view text, const std::string& origin) {
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
