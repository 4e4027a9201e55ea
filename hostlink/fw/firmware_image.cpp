// Symbol look-ups of a firmware image, for trap reports and commit logs.

#include <algorithm>

#include <fmt/format.h>

#include "nmtwin/elf.hpp"

namespace nmtwin::fw {

std::string FirmwareImage::symbolize(std::uint32_t pc) const {
  // The last code symbol at or below pc; of several at one address a function wins
  // over a label (a function's own entry label, e.g. "_start" on "main", names less).
  const Symbol* best = nullptr;
  for (const Symbol& s : symbols) {
    if (s.address > pc) break;
    if (s.kind == Symbol::Kind::object) continue;
    if (best && best->address == s.address && best->kind == Symbol::Kind::function) continue;
    best = &s;
  }
  if (!best || (best->kind == Symbol::Kind::function && best->size != 0 && pc - best->address >= best->size)) {
    return fmt::format("0x{:08x}", pc);
  }
  return pc == best->address ? best->name : fmt::format("{}+0x{:x}", best->name, pc - best->address);
}

std::optional<Symbol> FirmwareImage::find_symbol(std::string_view name) const {
  const auto it = std::find_if(symbols.begin(), symbols.end(), [&](const Symbol& s) { return s.name == name; });
  if (it == symbols.end()) return std::nullopt;
  return *it;
}

}  // namespace nmtwin::fw
