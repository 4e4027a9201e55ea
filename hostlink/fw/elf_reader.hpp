#pragma once
// The structures of an ELF32 little-endian file, read with bounds checks: the header
// checks of a PPU executable (class, data, machine, type) happen on construction.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/elf.hpp"

namespace nmtwin::fw {

inline constexpr std::uint32_t kPtLoad = 1;
inline constexpr std::uint32_t kShfAlloc = 0x2;

struct ProgramHeader {
  std::uint32_t type, offset, vaddr, paddr, filesz, memsz;
};

struct SectionHeader {
  std::uint32_t name, type, flags, addr, offset, size, link, entsize;
};

class ElfReader {
 public:
  /// Checks the header; throws ElfError naming `name` for anything but an ELF32
  /// little-endian RISC-V executable with in-file program and section headers.
  ElfReader(std::span<const std::uint8_t> bytes, std::string_view name);

  [[noreturn]] void fail(const std::string& reason) const;
  /// bytes [offset, offset + size) of the file; ElfError ("truncated", naming `what`) otherwise.
  std::span<const std::uint8_t> bytes(std::uint64_t offset, std::uint64_t size, std::string_view what) const;

  std::uint32_t entry() const { return entry_; }
  const std::vector<ProgramHeader>& program_headers() const { return phdrs_; }
  const std::vector<SectionHeader>& section_headers() const { return shdrs_; }
  std::string section_name(const SectionHeader& sh) const;
  /// Named functions, labels and objects of .symtab sorted by address (none without one).
  std::vector<Symbol> symbols() const;

 private:
  std::uint16_t u16(std::uint64_t offset) const;
  std::uint32_t u32(std::uint64_t offset) const;
  std::string string_at(const SectionHeader& table, std::uint32_t offset) const;
  void check_header() const;
  void read_tables();

  std::span<const std::uint8_t> bytes_;
  std::string name_;
  std::uint32_t entry_ = 0;
  std::vector<ProgramHeader> phdrs_;
  std::vector<SectionHeader> shdrs_;
  std::uint16_t shstrndx_ = 0;
};

}  // namespace nmtwin::fw
