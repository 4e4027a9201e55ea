// load_elf on a program built at build time with the RISC-V cross compiler (fw/tiny.c,
// fw/tiny.ld), and on broken copies of it made here, each refused with its own message.
// The test's argument is the folder holding tiny.elf.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "nmtwin/elf.hpp"
#include "nmtwin/riscv.hpp"

namespace fs = std::filesystem;
namespace fw = nmtwin::fw;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path good_elf() {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc >= 2, "usage: test_elf -- BUILD/hostlink/fw-tests (the folder of tiny.elf)");
  return fs::path(suite.argv[suite.argc - 1]) / "tiny.elf";
}

Bytes read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path << ": build the target test_elf (it links tiny.elf)");
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::uint32_t get32(const Bytes& b, std::size_t at) {
  return b.at(at) | (b.at(at + 1) << 8) | (b.at(at + 2) << 16) | (std::uint32_t{b.at(at + 3)} << 24);
}
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.at(at + i) = static_cast<std::uint8_t>(v >> (8 * i));
}
void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b.at(at) = static_cast<std::uint8_t>(v);
  b.at(at + 1) = static_cast<std::uint8_t>(v >> 8);
}

// File offset of the PT_LOAD program header at `vaddr`, of the section header at `addr`.
std::size_t segment_at(const Bytes& b, std::uint32_t vaddr) {
  const std::uint32_t phoff = get32(b, 28), phnum = b.at(44);
  for (std::uint32_t i = 0; i < phnum; ++i) {
    const std::size_t p = phoff + 32 * i;
    if (get32(b, p) == 1 && get32(b, p + 8) == vaddr) return p;
  }
  BOOST_FAIL("tiny.elf has no segment at 0x" << std::hex << vaddr);
  return 0;
}
std::size_t section_at(const Bytes& b, std::uint32_t addr) {
  const std::uint32_t shoff = get32(b, 32), shnum = b.at(48);
  for (std::uint32_t i = 1; i < shnum; ++i) {
    const std::size_t s = shoff + 40 * i;
    if (get32(b, s + 12) == addr && (get32(b, s + 8) & 2)) return s;
  }
  BOOST_FAIL("tiny.elf has no section at 0x" << std::hex << addr);
  return 0;
}

// Writes a changed copy of tiny.elf as NAME.elf and expects load_elf to refuse it with a
// message that starts with the path and contains `reason`.
void expect_refused(const std::string& name, const std::function<void(Bytes&)>& change, const std::string& reason,
                    const fw::MemoryLayout& layout = {}) {
  Bytes bytes = read(good_elf());
  change(bytes);
  const fs::path dir = fs::temp_directory_path() / ("nmtwin-test-elf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / (name + ".elf");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::string message = "accepted";
  try {
    fw::load_elf(path, layout);
  } catch (const fw::ElfError& e) {
    message = e.what();
  }
  BOOST_TEST(message.starts_with(path.string() + ": "), name << ": " << message);
  BOOST_TEST(message.find(reason) != std::string::npos, name << ": '" << message << "' lacks '" << reason << "'");
  fs::remove_all(dir);
}

}  // namespace

BOOST_AUTO_TEST_CASE(loads_a_linked_program) {
  const fw::FirmwareImage image = fw::load_elf(good_elf());
  BOOST_TEST(image.entry == 0u);
  const auto main = image.find_symbol("main");
  BOOST_TEST_REQUIRE(main.has_value());
  BOOST_TEST((main->kind == fw::Symbol::Kind::function));
  const auto table = image.find_symbol("table"), counter = image.find_symbol("counter");
  const auto zeros = image.find_symbol("zeros"), mailbox_word = image.find_symbol("mailbox_word");
  BOOST_TEST_REQUIRE((table && counter && zeros && mailbox_word));
  BOOST_TEST(!image.find_symbol("no_such_symbol").has_value());

  // Code: every word up to the read-only table is an RV32IM instruction; the table follows.
  BOOST_TEST_REQUIRE(image.imem.size() * 4 >= table->address + 16);
  for (std::uint32_t a = 0; a < table->address; a += 4) {
    BOOST_TEST((nmtwin::riscv::decode(image.imem[a / 4]).op != nmtwin::riscv::Op::illegal), "word at " << a);
  }
  for (std::uint32_t i = 0; i < 4; ++i) BOOST_TEST(image.imem[table->address / 4 + i] == 11 * (i + 1));
  // Data: the initialised word, then .bss zero-filled to its end.
  BOOST_TEST(image.dmem.size() * 4 == zeros->address + zeros->size - fw::dmem_base);
  BOOST_TEST(image.dmem[(counter->address - fw::dmem_base) / 4] == 0x1234567u);
  for (std::uint32_t a = zeros->address; a < zeros->address + zeros->size; a += 4) {
    BOOST_TEST(image.dmem[(a - fw::dmem_base) / 4] == 0u);
  }
  BOOST_TEST(image.mailbox.size() == 1u);
  BOOST_TEST(mailbox_word->address == fw::mailbox_base);
}

BOOST_AUTO_TEST_CASE(symbolizes_code_addresses) {
  const fw::FirmwareImage image = fw::load_elf(good_elf());
  const auto main = image.find_symbol("main");
  const auto scale = image.find_symbol("scale");
  const auto halt = image.find_symbol("halt");
  BOOST_TEST_REQUIRE((main && scale && halt));
  BOOST_TEST(image.symbolize(main->address) == "main");
  BOOST_TEST(image.symbolize(main->address + 0x1c) == "main+0x1c");
  BOOST_TEST(image.symbolize(scale->address + 4) == "scale+0x4");
  BOOST_TEST(image.symbolize(0) == "_start");
  BOOST_TEST(image.symbolize(halt->address) == "halt");
  // Past main's end (main is the last function): no symbol covers the address.
  char past[16];
  std::snprintf(past, sizeof past, "0x%08x", main->address + main->size);
  BOOST_TEST(image.symbolize(main->address + main->size) == past);
  for (const auto& s : image.symbols) BOOST_TEST(!s.name.starts_with('$'), s.name);
}

BOOST_AUTO_TEST_CASE(refuses_foreign_files) {
  expect_refused(
      "wrong_class", [](Bytes& b) { b[4] = 2; }, "ELF class 2 is not ELFCLASS32 (1): the core is RV32");
  expect_refused(
      "big_endian", [](Bytes& b) { b[5] = 2; }, "data encoding 2 is not little-endian");
  expect_refused(
      "wrong_machine", [](Bytes& b) { put16(b, 18, 62); }, "machine 62 is not RISC-V (EM_RISCV, 243)");
  expect_refused(
      "relocatable", [](Bytes& b) { put16(b, 16, 1); }, "ELF type 1 is not an executable (ET_EXEC, 2)");
  expect_refused(
      "not_elf",
      [](Bytes& b) {
        b = Bytes{'h', 'e', 'l', 'l', 'o'};
      },
      "not an ELF file");
}

BOOST_AUTO_TEST_CASE(refuses_truncated_files) {
  expect_refused(
      "truncated_header", [](Bytes& b) { b.resize(40); },
      "the file is truncated: the ELF header needs bytes 0..52 of a 40-byte file");
  expect_refused(
      "truncated_segment", [](Bytes& b) { put32(b, segment_at(b, 0) + 4, 0x100000); },
      "the file is truncated: segment 1 needs bytes 1048576..");
  std::string missing = "cannot open the file";
  try {
    fw::load_elf("no/such/fw.elf");
  } catch (const fw::ElfError& e) {
    missing = e.what();
  }
  BOOST_TEST(missing == "no/such/fw.elf: cannot open the file: give the path of a firmware ELF");
}

BOOST_AUTO_TEST_CASE(refuses_what_does_not_fit_the_memories) {
  expect_refused(
      "segment_in_mailbox",
      [](Bytes& b) {
        const auto p = segment_at(b, fw::dmem_base);
        put32(b, p + 8, fw::mailbox_base);
        put32(b, p + 12, fw::mailbox_base);
        put32(b, p + 20, 16384);
      },
      "segment 2 at 0x00020000..0x00024000 (16384 bytes) does not fit the mailbox 0x00020000..0x00020400: "
      "make the program smaller or build the twin with a larger MAILBOX");
  expect_refused(
      "segment_too_big", [](Bytes& b) { put32(b, segment_at(b, fw::dmem_base) + 20, 0x5000); },
      "segment 2 at 0x00010000..0x00015000 (20480 bytes) does not fit the data memory "
      "0x00010000..0x00014000: make the program smaller or build the twin with a larger DMEM");
  expect_refused(
      "segment_nowhere",
      [](Bytes& b) {
        const auto p = segment_at(b, fw::dmem_base);
        put32(b, p + 8, 0x40000);
        put32(b, p + 12, 0x40000);
      },
      "segment 2 at 0x00040000..0x00040104 (260 bytes) lies outside the core's memories");
  expect_refused(
      "section_nowhere", [](Bytes& b) { put32(b, section_at(b, fw::mailbox_base) + 12, 0x30000); },
      "section .mailbox at 0x00030000..0x00030004 (4 bytes) lies outside the core's memories");
  expect_refused(
      "entry_outside", [](Bytes& b) { put32(b, 24, fw::dmem_base); },
      "entry point 0x00010000 is outside the instruction memory 0x00000000..0x00004000");
  expect_refused(
      "small_imem", [](Bytes&) {}, "does not fit the instruction memory 0x00000000..0x00000080",
      fw::MemoryLayout{.imem_bytes = 128});
}
