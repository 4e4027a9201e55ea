// ELF32 reader for PPU firmware (System V gABI, RISC-V psABI): header, program headers,
// section headers and the symbol table, each bounds-checked against the file, so that
// a broken or foreign file is refused with its reason rather than loaded wrongly.
// Segments are placed at their virtual address: the host writes each memory directly,
// so no start code copies .data.

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "hostlink/fw/elf_reader.hpp"
#include "nmtwin/elf.hpp"

namespace nmtwin::fw {

namespace {

struct Memory {
  const char* name;  // in messages
  const char* fix;   // the memory to enlarge
  std::uint32_t base, bytes;
  std::vector<std::uint32_t> FirmwareImage::*words;
};

std::vector<Memory> memories(const MemoryLayout& layout) {
  return {{"instruction memory", "IMEM", imem_base, layout.imem_bytes, &FirmwareImage::imem},
          {"data memory", "DMEM", dmem_base, layout.dmem_bytes, &FirmwareImage::dmem},
          {"mailbox", "MAILBOX", mailbox_base, layout.mailbox_bytes, &FirmwareImage::mailbox}};
}

std::string range(std::uint64_t begin, std::uint64_t end) { return fmt::format("0x{:08x}..0x{:08x}", begin, end); }

// The memory that holds [address, address + bytes); ElfError naming `what` otherwise.
const Memory& place(const ElfReader& elf, const std::vector<Memory>& mems, const std::string& what,
                    std::uint64_t address, std::uint64_t bytes) {
  const std::uint64_t end = address + bytes;
  for (const Memory& m : mems) {
    if (address >= m.base && end <= std::uint64_t{m.base} + m.bytes) return m;
  }
  for (const Memory& m : mems) {
    if (address >= m.base && address < std::uint64_t{m.base} + m.bytes) {
      elf.fail(
          fmt::format("{} at {} ({} bytes) does not fit the {} {}: make the program smaller or build the twin "
                      "with a larger {}",
                      what, range(address, end), bytes, m.name, range(m.base, std::uint64_t{m.base} + m.bytes), m.fix));
    }
  }
  std::string map;
  for (const Memory& m : mems)
    map += fmt::format("{}{} {}", map.empty() ? "" : ", ", m.name, range(m.base, m.base + m.bytes));
  elf.fail(
      fmt::format("{} at {} ({} bytes) lies outside the core's memories ({}): link it into one of them "
                  "(the memory map in docs/firmware.md)",
                  what, range(address, end), bytes, map));
}

// Grows `words` to cover [offset, offset + bytes) of its memory.
void cover(std::vector<std::uint32_t>& words, std::uint64_t offset, std::uint64_t bytes) {
  const std::size_t needed = static_cast<std::size_t>((offset + bytes + 3) / 4);
  if (words.size() < needed) words.resize(needed, 0);
}

void load_segments(const ElfReader& elf, const std::vector<Memory>& mems, FirmwareImage& image) {
  for (std::size_t i = 0; i < elf.program_headers().size(); ++i) {
    const ProgramHeader& ph = elf.program_headers()[i];
    if (ph.type != kPtLoad || ph.memsz == 0) continue;
    const std::string what = fmt::format("segment {}", i);
    if (ph.filesz > ph.memsz) {
      elf.fail(fmt::format("{} holds {} bytes in the file but only {} in memory: the file is corrupt, link it again",
                           what, ph.filesz, ph.memsz));
    }
    // The load address is the physical one: firmware/runtime/link.ld runs .data in dmem
    // but keeps its image in imem (p_paddr), from where crt0 copies it on every start.
    const Memory& m = place(elf, mems, what, ph.paddr, ph.memsz);
    const auto bytes = elf.bytes(ph.offset, ph.filesz, what);
    auto& words = image.*m.words;
    const std::uint64_t offset = ph.paddr - m.base;
    cover(words, offset, ph.memsz);
    for (std::uint64_t b = 0; b < ph.memsz; ++b) {
      const std::uint64_t at = offset + b;
      const std::uint32_t value = b < bytes.size() ? bytes[b] : 0;
      const unsigned shift = static_cast<unsigned>(at % 4) * 8;
      words[at / 4] = (words[at / 4] & ~(0xFFu << shift)) | (value << shift);
    }
  }
}

// Allocated sections must lie in a memory too (a NOLOAD .bss or mailbox section has no
// segment); their bytes are zero unless a segment filled them.
void check_sections(const ElfReader& elf, const std::vector<Memory>& mems, FirmwareImage& image) {
  for (const SectionHeader& sh : elf.section_headers()) {
    if ((sh.flags & kShfAlloc) == 0 || sh.size == 0) continue;
    const Memory& m = place(elf, mems, fmt::format("section {}", elf.section_name(sh)), sh.addr, sh.size);
    cover(image.*m.words, sh.addr - m.base, sh.size);
  }
}

}  // namespace

FirmwareImage parse_elf(std::span<const std::uint8_t> bytes, std::string_view name, const MemoryLayout& layout) {
  const ElfReader elf(bytes, name);
  const auto mems = memories(layout);
  FirmwareImage image;
  image.entry = elf.entry();
  load_segments(elf, mems, image);
  check_sections(elf, mems, image);
  if (image.entry < imem_base || image.entry >= std::uint64_t{imem_base} + layout.imem_bytes) {
    elf.fail(
        fmt::format("entry point 0x{:08x} is outside the instruction memory {}: link the start code into "
                    "the instruction memory (ENTRY(_start) with .text at 0)",
                    image.entry, range(imem_base, std::uint64_t{imem_base} + layout.imem_bytes)));
  }
  image.symbols = elf.symbols();
  return image;
}

FirmwareImage load_elf(const std::filesystem::path& path, const MemoryLayout& layout) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ElfError(fmt::format("{}: cannot open the file: give the path of a firmware ELF", path.string()));
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_elf(bytes, path.string(), layout);
}

}  // namespace nmtwin::fw
