#include "cli/data_dir.hpp"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace nmtwin::cli {

namespace {

namespace fs = std::filesystem;

// The data directory: the one the marker names, else ../share/nmtwin from the executable.
fs::path data_dir(const fs::path& exe_dir) {
  const fs::path marker = exe_dir / data_dir_marker;
  if (std::ifstream in{marker}) {
    std::string line;
    if (!std::getline(in, line) || line.empty())
      throw std::runtime_error(fmt::format("{} names no directory: write the source tree's path into it, or run "
                                           "CMake again to write it",
                                           marker.string()));
    return line;
  }
  return (exe_dir / ".." / "share" / "nmtwin").lexically_normal();
}

}  // namespace

fs::path data_path(std::string_view name) {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error)
    throw std::runtime_error(fmt::format("cannot find the nmtwin executable through /proc/self/exe ({}) to find "
                                         "its {}: give the path",
                                         error.message(), name));
  const fs::path path = data_dir(exe.parent_path()) / name;
  if (!fs::is_directory(path))
    throw std::runtime_error(fmt::format("{} is not a directory: nmtwin looks for its {} there (PREFIX/share/nmtwin "
                                         "of an installation, the source tree from a build tree); give the path",
                                         path.string(), name));
  return path;
}

}  // namespace nmtwin::cli
