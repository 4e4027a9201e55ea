#pragma once
// Checks that an output path can be written before a long run starts, so that a
// typo or a read-only directory costs seconds, not the run.

#include <string>
#include <string_view>

namespace nmtwin::apps {

/// Throws an InputError naming `path`, `what` it is (with its option, e.g. "the spike
/// CSV (-o)") and the fix when the file cannot be created or written.  An existing
/// file is left as it is; a file it had to create for the check is removed again.
void check_output_file(const std::string& path, std::string_view what);

/// The same for a directory the run writes files into: created (with its parents)
/// when missing, then a file created in it and removed again.
void check_output_dir(const std::string& path, std::string_view what);

}  // namespace nmtwin::apps
