// Field offsets: System V gABI, ELF32 (Elf32_Ehdr 52 bytes, Elf32_Phdr 32, Elf32_Shdr 40,
// Elf32_Sym 16).

#include "hostlink/fw/elf_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace nmtwin::fw {

namespace {
constexpr std::uint64_t kEhdrSize = 52, kPhdrSize = 32, kShdrSize = 40, kSymSize = 16;
constexpr std::uint16_t kEmRiscv = 243, kEtExec = 2;
constexpr std::uint32_t kShtSymtab = 2;
constexpr std::uint16_t kShnUndef = 0, kShnLoReserve = 0xFF00;
}  // namespace

ElfReader::ElfReader(std::span<const std::uint8_t> bytes, std::string_view name) : bytes_(bytes), name_(name) {
  check_header();
  read_tables();
}

void ElfReader::fail(const std::string& reason) const { throw ElfError(fmt::format("{}: {}", name_, reason)); }

std::span<const std::uint8_t> ElfReader::bytes(std::uint64_t offset, std::uint64_t size, std::string_view what) const {
  if (offset > bytes_.size() || size > bytes_.size() - offset) {
    fail(fmt::format("the file is truncated: {} needs bytes {}..{} of a {}-byte file: copy or link it again", what,
                     offset, offset + size, bytes_.size()));
  }
  return bytes_.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(size));
}

std::uint16_t ElfReader::u16(std::uint64_t offset) const {
  const auto b = bytes(offset, 2, "a field");
  return static_cast<std::uint16_t>(b[0] | (b[1] << 8));
}

std::uint32_t ElfReader::u32(std::uint64_t offset) const {
  const auto b = bytes(offset, 4, "a field");
  return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
}

void ElfReader::check_header() const {
  constexpr std::uint8_t magic[4] = {0x7F, 'E', 'L', 'F'};
  if (bytes_.size() < 4 || !std::equal(magic, magic + 4, bytes_.begin())) {
    fail("not an ELF file (no \\x7fELF magic): give the linked firmware executable, not its source or a hex dump");
  }
  bytes(0, kEhdrSize, "the ELF header");
  if (bytes_[4] != 1) {
    fail(fmt::format("ELF class {} is not ELFCLASS32 (1): the core is RV32; build with -march=rv32im -mabi=ilp32",
                     bytes_[4]));
  }
  if (bytes_[5] != 1) {
    fail(
        fmt::format("data encoding {} is not little-endian (ELFDATA2LSB): the core is little-endian; build with "
                    "riscv64-unknown-elf-gcc without -mbig-endian",
                    bytes_[5]));
  }
  if (const auto machine = u16(18); machine != kEmRiscv) {
    fail(fmt::format("machine {} is not RISC-V (EM_RISCV, 243): build it with riscv64-unknown-elf-gcc", machine));
  }
  if (const auto type = u16(16); type != kEtExec) {
    fail(
        fmt::format("ELF type {} is not an executable (ET_EXEC, 2): link the program (not -c, not -shared, "
                    "not -pie) with the firmware linker script",
                    type));
  }
}

void ElfReader::read_tables() {
  entry_ = u32(24);
  const std::uint32_t phoff = u32(28), shoff = u32(32);
  const std::uint16_t phentsize = u16(42), phnum = u16(44), shentsize = u16(46), shnum = u16(48);
  shstrndx_ = u16(50);
  if ((phnum != 0 && phentsize < kPhdrSize) || (shnum != 0 && shentsize < kShdrSize)) {
    fail(fmt::format("header entries of {} / {} bytes are smaller than ELF32's {} / {}: the file is corrupt", phentsize,
                     shentsize, kPhdrSize, kShdrSize));
  }
  bytes(phoff, std::uint64_t{phnum} * phentsize, "the program headers");
  bytes(shoff, std::uint64_t{shnum} * shentsize, "the section headers");
  for (std::uint64_t i = 0; i < phnum; ++i) {
    const std::uint64_t p = phoff + i * phentsize;
    phdrs_.push_back({u32(p), u32(p + 4), u32(p + 8), u32(p + 12), u32(p + 16), u32(p + 20)});
  }
  for (std::uint64_t i = 0; i < shnum; ++i) {
    const std::uint64_t s = shoff + i * shentsize;
    shdrs_.push_back({u32(s), u32(s + 4), u32(s + 8), u32(s + 12), u32(s + 16), u32(s + 20), u32(s + 24), u32(s + 36)});
  }
}

std::string ElfReader::string_at(const SectionHeader& table, std::uint32_t offset) const {
  const auto chars = bytes(table.offset, table.size, "a string table");
  if (offset >= chars.size())
    fail(fmt::format("a name at offset {} lies outside its string table: the file is corrupt", offset));
  const auto begin = chars.begin() + offset;
  return std::string(begin, std::find(begin, chars.end(), 0));
}

std::string ElfReader::section_name(const SectionHeader& sh) const {
  if (shstrndx_ == 0 || shstrndx_ >= shdrs_.size()) return fmt::format("at index {}", &sh - shdrs_.data());
  return string_at(shdrs_[shstrndx_], sh.name);
}

std::vector<Symbol> ElfReader::symbols() const {
  std::vector<Symbol> out;
  for (const SectionHeader& table : shdrs_) {
    if (table.type != kShtSymtab) continue;
    if (table.link >= shdrs_.size()) fail("the symbol table names no string table: the file is corrupt");
    const auto count = table.size / (table.entsize ? table.entsize : kSymSize);
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t s = table.offset + i * (table.entsize ? table.entsize : kSymSize);
      const std::uint8_t info = bytes(s + 12, 1, "a symbol")[0];
      const std::uint16_t shndx = u16(s + 14);
      const unsigned type = info & 0xF;
      if (type > 2 || shndx == kShnUndef || shndx >= kShnLoReserve) continue;  // sections, files, undefined, absolute
      std::string name = string_at(shdrs_[table.link], u32(s));
      if (name.empty() || name.starts_with('$') || name.starts_with(".L")) continue;  // mapping and local labels
      const auto kind = type == 2 ? Symbol::Kind::function : type == 1 ? Symbol::Kind::object : Symbol::Kind::label;
      out.push_back({std::move(name), u32(s + 4), u32(s + 8), kind});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Symbol& a, const Symbol& b) { return a.address < b.address; });
  return out;
}

}  // namespace nmtwin::fw
