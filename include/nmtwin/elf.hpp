#pragma once
// Firmware images for the PPU core: an ELF32 RISC-V executable read and checked against
// the core's memories (no libelf), as the words to write into them, the entry point and
// the symbol table (for trap reports and commit logs: "main+0x1c").

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nmtwin/spec.hpp"

namespace nmtwin::fw {

/// Sizes of the core's memories in bytes (the `ppu_top` parameters; the spec's defaults);
/// bases are fixed by the core's memory map (spec [ppu], docs/firmware.md).
struct MemoryLayout {
  std::uint32_t imem_bytes = spec::ppu::imem_bytes;
  std::uint32_t dmem_bytes = spec::ppu::dmem_bytes;
  std::uint32_t mailbox_bytes = spec::ppu::mailbox_bytes;
};
inline constexpr std::uint32_t imem_base = spec::ppu::imem_base;
inline constexpr std::uint32_t dmem_base = spec::ppu::dmem_base;
inline constexpr std::uint32_t mailbox_base = spec::ppu::mailbox_base;

/// A refused ELF file: the message names the file, the reason and what to do.
class ElfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Symbol {
  enum class Kind : std::uint8_t { function, label, object };  // STT_FUNC, STT_NOTYPE, STT_OBJECT
  std::string name;
  std::uint32_t address = 0;
  std::uint32_t size = 0;
  Kind kind = Kind::label;
};

class FirmwareImage {
 public:
  /// Words to write into each memory, from its base up to the end of the last loaded
  /// byte (gaps and .bss zero); empty for a memory the program does not use.
  std::vector<std::uint32_t> imem, dmem, mailbox;
  std::uint32_t entry = 0;
  /// Named functions, labels and objects, sorted by address.
  std::vector<Symbol> symbols;

  /// "function" or "function+0x1c" for the nearest function or label at or below pc
  /// (within the function's size when it has one); "0x%08x" when none covers pc.
  std::string symbolize(std::uint32_t pc) const;
  std::optional<Symbol> find_symbol(std::string_view name) const;
};

/// Reads and checks `path`: ELFCLASS32, little-endian, EM_RISCV, ET_EXEC, every PT_LOAD
/// segment and SHF_ALLOC section inside one memory of `layout`, the entry inside imem.
/// Throws ElfError otherwise (and when the file cannot be read or is truncated).
FirmwareImage load_elf(const std::filesystem::path& path, const MemoryLayout& layout = {});

/// The same on bytes already in memory; `name` stands for the file in messages.
FirmwareImage parse_elf(std::span<const std::uint8_t> bytes, std::string_view name, const MemoryLayout& layout = {});

}  // namespace nmtwin::fw
