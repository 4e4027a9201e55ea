#include "experiment/output_path.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "experiment/toml_reader.hpp"

namespace nmtwin::apps {

namespace fs = std::filesystem;

namespace {

// Why `path` cannot be opened for writing (the system's reason), or nothing when it can.
// An existing file keeps its contents (append); a file created here is removed again.
std::optional<std::string> write_problem(const std::string& path) {
  std::error_code ec;
  const bool existed = fs::exists(path, ec);
  errno = 0;
  std::ofstream probe(path, std::ios::app);
  if (!probe) return errno ? std::strerror(errno) : "cannot be opened";
  probe.close();
  if (!existed) fs::remove(path, ec);
  return std::nullopt;
}

}  // namespace

void check_output_file(const std::string& path, std::string_view what) {
  if (path.empty()) throw InputError(fmt::format("{} has an empty path; give a file name", what));
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw InputError(fmt::format("cannot write {} to '{}': it is a directory; give a file name", what, path));
  if (const auto problem = write_problem(path))
    throw InputError(fmt::format("cannot write {} to '{}' ({}): check that its directory exists and is writable, or "
                                 "give another path (checked before the run starts)",
                                 what, path, *problem));
}

void check_output_dir(const std::string& path, std::string_view what) {
  if (path.empty()) throw InputError(fmt::format("{} has an empty path; give a directory", what));
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path, ec))
    throw InputError(fmt::format("cannot create {} '{}' ({}): give a directory that exists and is writable or can "
                                 "be created (checked before the run starts)",
                                 what, path, ec ? ec.message() : "a file of that name exists"));
  if (const auto problem = write_problem((fs::path(path) / ".nmtwin-write-check").string()))
    throw InputError(fmt::format("cannot write into {} '{}' ({}): give a writable directory (checked before the run "
                                 "starts)",
                                 what, path, *problem));
}

}  // namespace nmtwin::apps
