#pragma once
// A strict check of the Prometheus text exposition format (version 0.0.4, as
// prometheus.io/docs/instrumenting/exposition_formats specifies it), for tests of
// `nmtwin health --prometheus` (the e2e test `cli_health_promtool` also runs promtool
// itself). Beyond the grammar it applies promtool's lint rules: every family has HELP
// and TYPE, names are snake_case, counters and only counters end in _total, only
// histograms and summaries in _count/_sum/_bucket, and names use base units (seconds,
// bytes, meters, ...: no `_bits`, `_milliseconds`, `_minutes`).

#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nmtwin::testsupport {

// A word of a metric name that is a unit other than the base one Prometheus asks for.
inline std::string prom_non_base_unit(const std::string& name) {
  static const std::set<std::string> units{
      "bits",         "kilobytes",    "megabytes",   "gigabytes",  "terabytes",   "petabytes",
      "kibibytes",    "gibibytes",    "tebibytes",   "milliseconds", "microseconds", "nanoseconds",
      "minutes",      "hours",        "days",        "weeks",      "fahrenheit",  "kilometers",
      "centimeters",  "millimeters",  "kilograms",   "milligrams", "millivolts",  "kilovolts"};
  std::istringstream words(name);
  for (std::string w; std::getline(words, w, '_');)
    if (units.count(w)) return w;
  return "";
}

inline bool prom_name_ok(const std::string& s, bool metric) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool alpha = std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (metric && c == ':');
    if (!(alpha || (i > 0 && std::isdigit(static_cast<unsigned char>(c))))) return false;
  }
  return true;
}

inline bool prom_value_ok(const std::string& v) {
  if (v == "NaN" || v == "+Inf" || v == "-Inf") return true;
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size()) return false;
  for (char c : v)  // strtod also takes hex floats, "inf", "nan": Go's ParseFloat spelling only
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
      return false;
  return true;
}

/// Every violation, "line N: what"; empty when `text` is valid.
inline std::vector<std::string> prometheus_problems(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty() || text.back() != '\n') out.push_back("the text must end with a line feed");
  std::map<std::string, std::string> type;
  std::set<std::string> help, done, series;
  std::string current;  // the family whose lines come now
  const auto enter = [&](const std::string& family, int n) {
    if (family == current) return;
    if (done.count(family)) out.push_back("line " + std::to_string(n) + ": family " + family + " is not contiguous");
    if (!current.empty()) done.insert(current);
    current = family;
  };
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const auto bad = [&](const std::string& what) { out.push_back("line " + std::to_string(n) + ": " + what); };
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream w(line.substr(1));
      std::string kw, name;
      w >> kw >> name;
      if (kw != "HELP" && kw != "TYPE") continue;  // a comment
      if (line.compare(0, 2 + kw.size() + 1, "# " + kw + " ") != 0) bad("write '# " + kw + " name ...'");
      if (!prom_name_ok(name, true)) bad("bad metric name '" + name + "'");
      enter(name, n);
      if (kw == "HELP") {
        if (!help.insert(name).second) bad("second HELP for " + name);
        std::string doc;
        std::getline(w, doc);
        if (doc.size() < 2) bad("empty HELP for " + name);
        for (std::size_t i = 0; i < doc.size(); ++i)
          if (doc[i] == '\\' && (i + 1 >= doc.size() || (doc[i + 1] != '\\' && doc[i + 1] != 'n')))
            bad("HELP may escape only \\\\ and \\n");
          else if (doc[i] == '\\')
            ++i;
      } else {
        std::string t, extra;
        w >> t >> extra;
        if (type.count(name)) bad("second TYPE for " + name);
        if (t != "counter" && t != "gauge" && t != "histogram" && t != "summary" && t != "untyped")
          bad("unknown type '" + t + "'");
        if (!extra.empty()) bad("text after the type");
        type[name] = t;
        const auto ends = [&name](const std::string& suffix) {
          return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (t == "counter" && !ends("_total")) bad("counter " + name + " should end in _total (promtool)");
        if (t != "counter" && ends("_total")) bad(t + " " + name + " must not end in _total (promtool)");
        if (t != "histogram" && t != "summary" && (ends("_count") || ends("_sum") || ends("_bucket")))
          bad(t + " " + name + " must not end in _count, _sum or _bucket (promtool)");
      }
      continue;
    }
    // A sample: name [{labels}] value [timestamp]
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    const std::string name = line.substr(0, i);
    if (!prom_name_ok(name, true)) bad("bad metric name '" + name + "'");
    for (char c : name)
      if (std::isupper(static_cast<unsigned char>(c))) bad(name + " is not snake_case (promtool)");
    if (const auto unit = prom_non_base_unit(name); !unit.empty())
      bad(name + " names the unit '" + unit + "': use the base unit (promtool)");
    enter(name, n);
    if (!type.count(name)) bad("sample of " + name + " before its TYPE");
    if (!help.count(name)) bad(name + " has no HELP (promtool)");
    std::string labels;
    std::set<std::string> label_names;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t j = i;
        while (j < line.size() && line[j] != '=') ++j;
        const std::string ln = line.substr(i, j - i);
        if (!prom_name_ok(ln, false) || ln.rfind("__", 0) == 0) bad("bad label name '" + ln + "'");
        if (!label_names.insert(ln).second) bad("label " + ln + " twice");
        if (j + 1 >= line.size() || line[j + 1] != '"') {
          bad("label value must be quoted");
          break;
        }
        std::size_t k = j + 2;
        std::string value;
        for (; k < line.size() && line[k] != '"'; ++k) {
          if (line[k] == '\\') {
            if (k + 1 >= line.size() || (line[k + 1] != '\\' && line[k + 1] != '"' && line[k + 1] != 'n'))
              bad("label values may escape only \\\\, \\\" and \\n");
            ++k;
          }
          value += line[k];
        }
        if (k >= line.size()) {
          bad("unterminated label value");
          break;
        }
        labels += ln + "=" + value + ",";
        i = k + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) {
        bad("no closing }");
        continue;
      }
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') {
      bad("a single space must separate the sample from its value");
      continue;
    }
    std::istringstream rest(line.substr(i + 1));
    std::string value, timestamp, extra;
    rest >> value >> timestamp >> extra;
    if (line.find("  ") != std::string::npos && labels.find("  ") == std::string::npos) bad("double space");
    if (!prom_value_ok(value)) bad("bad value '" + value + "'");
    if (!timestamp.empty() && timestamp.find_first_not_of("-0123456789") != std::string::npos)
      bad("bad timestamp '" + timestamp + "'");
    if (!extra.empty()) bad("text after the timestamp");
    if (!series.insert(name + "{" + labels + "}").second) bad("duplicate series " + name + "{" + labels + "}");
  }
  return out;
}

}  // namespace nmtwin::testsupport
