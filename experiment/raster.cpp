#include "experiment/raster.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace nmtwin::apps {

namespace {

constexpr double left = 170, right = 30, top = 50, bottom = 60, row_height = 4, width = 900;

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A tick step of 1, 2 or 5 times a power of ten giving about 8 ticks.
double tick_step(double span) {
  const double raw = span / 8;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

}  // namespace

std::string raster_svg(const std::vector<RasterSpike>& spikes, const RasterOptions& o) {
  if (!(o.end_us > o.start_us))
    throw std::invalid_argument(fmt::format("raster: the time range {}..{} us is empty", o.start_us, o.end_us));
  std::size_t rows = 0;
  for (const auto& g : o.groups) {
    if (g.last < g.first)
      throw std::invalid_argument(
          fmt::format("raster: group '{}' ends (label {}) before it starts (label {})", g.name, g.last, g.first));
    rows += g.last - g.first + 1u;
  }
  const double plot_w = width - left - right;
  const double plot_h = std::max(1.0, static_cast<double>(rows)) * row_height;
  const double height = top + plot_h + bottom;
  const auto x_of = [&](double t) { return left + (t - o.start_us) / (o.end_us - o.start_us) * plot_w; };

  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2:.1f}\" y=\"24\" font-size=\"15\" text-anchor=\"middle\">{3}</text>\n",
      width, height, left + plot_w / 2, escape(o.title));

  // Population bands, names on the left.
  double y = top;
  for (std::size_t i = 0; i < o.groups.size(); ++i) {
    const auto& g = o.groups[i];
    const double h = (g.last - g.first + 1.0) * row_height;
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", left, y,
                       plot_w, h, i % 2 ? "#f2f2f2" : "#e4e8f0");
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n",
                       left - 8, y + h / 2, escape(g.name));
    y += h;
  }

  // Time axis: hardware µs below, biological ms (x 1000 slower) in the label.
  const double step = tick_step(o.end_us - o.start_us);
  for (double t = std::ceil(o.start_us / step) * step; t <= o.end_us + 1e-9; t += step) {
    const double x = x_of(t);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#999\" stroke-width=\"0.5\"/>\n"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:g}</text>\n",
        x, top, top + plot_h + 4, top + plot_h + 18, t);
  }
  svg +=
      fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">time (µs hardware = ms biological)</text>\n",
                  left + plot_w / 2, top + plot_h + 42);
  svg += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" stroke=\"black\"/>\n", left,
      top, plot_w, plot_h);

  // One dot per spike in range and in a group.
  for (const auto& s : spikes) {
    if (s.time_us < o.start_us || s.time_us > o.end_us) continue;
    double row_y = top;
    for (const auto& g : o.groups) {
      if (s.node == g.node && s.label >= g.first && s.label <= g.last) {
        svg += fmt::format("<circle class=\"spike\" cx=\"{:.2f}\" cy=\"{:.1f}\" r=\"1.6\" fill=\"{}\"/>\n",
                           x_of(s.time_us), row_y + (s.label - g.first + 0.5) * row_height, g.color);
        break;
      }
      row_y += (g.last - g.first + 1.0) * row_height;
    }
  }
  svg += "</svg>\n";
  return svg;
}

void write_raster_svg(const std::string& path, const std::vector<RasterSpike>& spikes, const RasterOptions& options) {
  const std::string svg = raster_svg(spikes, options);
  std::ofstream out(path);
  if (!out)
    throw std::runtime_error(fmt::format("cannot write raster '{}': check the directory and permissions", path));
  out << svg;
  if (!out.flush()) throw std::runtime_error(fmt::format("writing raster '{}' failed (disk full?)", path));
}

}  // namespace nmtwin::apps
