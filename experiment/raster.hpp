#pragma once
// Spike raster as SVG: one row per (node, label), rows grouped into populations that
// are shaded and named, time on the x axis in hardware µs with biological ms alongside.
// The output is deterministic (fixed number formatting), so tests compare it byte for byte.

#include <cstdint>
#include <string>
#include <vector>

namespace nmtwin::apps {

struct RasterSpike {
  unsigned node = 0;
  std::uint16_t label = 0;
  double time_us = 0;  ///< hardware time from the experiment start
};

/// A population: labels [first, last] of one node, drawn as one band.
struct RasterGroup {
  std::string name;
  unsigned node = 0;
  std::uint16_t first = 0, last = 0;
  std::string color = "#1f4e9a";  ///< of its dots
};

struct RasterOptions {
  std::string title;
  double start_us = 0, end_us = 0;  ///< the x range; spikes outside are not drawn
  std::vector<RasterGroup> groups;  ///< top to bottom; spikes in no group are not drawn
};

/// The SVG document. Throws std::invalid_argument for an empty time range or a group
/// whose last label is before its first.
std::string raster_svg(const std::vector<RasterSpike>& spikes, const RasterOptions& options);

/// Writes raster_svg() to `path`; throws std::runtime_error naming the path when it cannot.
void write_raster_svg(const std::string& path, const std::vector<RasterSpike>& spikes, const RasterOptions& options);

}  // namespace nmtwin::apps
