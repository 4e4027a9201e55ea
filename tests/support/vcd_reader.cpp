#include "tests/support/vcd_reader.hpp"

#include <cctype>
#include <fstream>

namespace nmtwin::testsupport {

VcdChanges read_vcd(const std::string& path) {
  std::ifstream f(path);
  std::map<std::string, std::vector<std::string>> names;  // id -> scope.name (aliases share an id)
  std::vector<std::string> scope;
  VcdChanges out;
  std::string word;
  std::uint64_t t = 0;
  while (f >> word) {
    if (word == "$scope") {
      f >> word >> word;
      scope.push_back(word);
    } else if (word == "$upscope") {
      scope.pop_back();
    } else if (word == "$var") {
      std::string type, width, id, name;
      f >> type >> width >> id >> name;
      std::string full;
      for (const auto& s : scope) full += s + ".";
      names[id].push_back(full + name);
    } else if (word[0] == '#' && word.size() > 1 && std::isdigit(static_cast<unsigned char>(word[1]))) {
      t = std::stoull(word.substr(1));
    } else if (word[0] == 'b' && word.size() > 1) {
      std::string id;
      f >> id;
      const auto bits = word.substr(1);  // 64 bits at most here; longer vectors keep their low 64
      if (names.count(id) && bits.find_first_not_of("01") == std::string::npos)
        for (const auto& n : names[id])
          out[n].emplace_back(t, std::stoull(bits.size() > 64 ? bits.substr(bits.size() - 64) : bits, nullptr, 2));
    } else if ((word[0] == '0' || word[0] == '1') && word.size() > 1 && names.count(word.substr(1))) {
      for (const auto& n : names[word.substr(1)]) out[n].emplace_back(t, word[0] - '0');
    }
  }
  return out;
}

}  // namespace nmtwin::testsupport
