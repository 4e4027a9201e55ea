#pragma once
// Reads the value changes of a VCD file, for tests that compare waveforms.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nmtwin::testsupport {

/// For each signal "scope.name" (aliases each get their own entry): (time, value) in file
/// order.  Vectors keep their low 64 bits; values with x or z are left out.
using VcdChanges = std::map<std::string, std::vector<std::pair<std::uint64_t, std::uint64_t>>>;
VcdChanges read_vcd(const std::string& path);

}  // namespace nmtwin::testsupport
