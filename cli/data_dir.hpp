#pragma once
// Where the command line finds the files it ships with (regressions/, examples/):
// installed, PREFIX/share/nmtwin beside PREFIX/bin/nmtwin, wherever PREFIX was moved;
// run from its build tree, the source tree, which the marker file data_dir_marker
// beside the executable names. No path is compiled in (docs/ci.md).

#include <filesystem>
#include <string_view>

namespace nmtwin::cli {

/// The marker file a build tree writes beside its nmtwin executable; it holds the path
/// of the source tree.
inline constexpr std::string_view data_dir_marker = "nmtwin-data-dir";

/// `name` (e.g. "regressions") in the data directory of this executable. Throws
/// std::runtime_error naming the places looked at when neither holds it.
std::filesystem::path data_path(std::string_view name);

}  // namespace nmtwin::cli
