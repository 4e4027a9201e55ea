// The decoder, encoder and disassembler against GNU objdump (binutils, -M no-aliases):
// every instruction of the core (fw/every_instruction.S) and 20 000 biased random words
// (fw/random_words.py), assembled and disassembled at build time. The test's argument is
// the directory holding the two dumps.
//
// Comparison rules (objdump's text is normalised, then compared with ours):
//  - whitespace: objdump's tab after the mnemonic and no space after commas; ours pads
//    to 8 columns with ", ": both become "mnemonic op,op,op";
//  - objdump's " <symbol+off>" after targets and " # comment" after operands are dropped;
//  - branch and jal targets: objdump prints bare hexadecimal, we print 0x-prefixed;
//  - words objdump shows as `.4byte` (not an instruction) are our `unknown`, and so are
//    those it decodes as instructions the core lacks: uret, sret, and the RV64 shifts
//    slli/srli/srai with a shift amount of 32 or more;
//  - except FENCE and FENCE.I words with reserved fm, rd or rs1 (objdump: `.4byte`): the
//    core executes them as plain fences (unprivileged spec 2.7): "fence pred,succ" with
//    the sets spelt here from the word, and "fence.i".
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "nmtwin/riscv.hpp"

namespace rv = nmtwin::riscv;

namespace {

struct DumpLine {
  std::uint32_t pc, word;
  std::string text;
};

std::vector<DumpLine> read_dump(const std::string& name) {
  const auto& suite = boost::unit_test::framework::master_test_suite();
  BOOST_TEST_REQUIRE(suite.argc >= 2, "usage: test_riscv -- BUILD/hostlink/fw-tests (the folder of the dumps)");
  const std::filesystem::path path = std::filesystem::path(suite.argv[suite.argc - 1]) / name;
  std::ifstream in(path);
  BOOST_TEST_REQUIRE(in.good(), "cannot read " << path << ": build the target test_riscv (it makes the dumps)");
  static const std::regex line_re(R"(^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$)");
  std::vector<DumpLine> lines;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, line_re)) continue;
    lines.push_back({static_cast<std::uint32_t>(std::stoul(m[1], nullptr, 16)),
                     static_cast<std::uint32_t>(std::stoul(m[2], nullptr, 16)), m[3]});
  }
  return lines;
}

// "mnemonic op,op" from either side: whitespace runs become one space after the mnemonic
// and vanish elsewhere.
std::string squeeze(const std::string& text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return {};
  const auto gap = text.find_first_of(" \t", start);
  std::string out = text.substr(start, gap - start);
  if (gap == std::string::npos) return out;
  std::string args;
  for (char c : text.substr(gap)) {
    if (c != ' ' && c != '\t') args += c;
  }
  return args.empty() ? out : out + " " + args;
}

// objdump's spelling of a fence's predecessor or successor set.
std::string fence_set(std::uint32_t bits) {
  std::string s;
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s.empty() ? "unknown" : s;
}

std::string expected_from_objdump(std::string text, std::uint32_t word) {
  for (const char* cut : {" #", " <", "\t#", "\t<"}) {
    if (const auto at = text.find(cut); at != std::string::npos) text.resize(at);
  }
  std::string s = squeeze(text);
  const std::string mnemonic = s.substr(0, s.find(' '));
  if (mnemonic == ".4byte" && (word & 0x707F) == 0x000F) {
    return "fence " + fence_set((word >> 24) & 0xF) + "," + fence_set((word >> 20) & 0xF);
  }
  if (mnemonic == ".4byte" && (word & 0x707F) == 0x100F) return "fence.i";
  static const std::set<std::string> not_core = {".4byte", ".word", "uret", "sret"};
  if (not_core.contains(mnemonic)) return "unknown";
  static const std::regex rv64_shift(R"(^(slli|srli|srai) \w+,\w+,0x([0-9a-f]+)$)");
  if (std::smatch m; std::regex_match(s, m, rv64_shift) && std::stoul(m[2], nullptr, 16) >= 32) return "unknown";
  static const std::regex target(R"(^(jal|beq|bne|blt|bge|bltu|bgeu) (.*,)([0-9a-f]+)$)");
  if (std::smatch m; std::regex_match(s, m, target)) return m[1].str() + " " + m[2].str() + "0x" + m[3].str();
  return s;
}

// Every word of the dump: our text equals objdump's, and encode(decode(w)) == w for
// every instruction; returns the instructions seen.
std::set<rv::Op> compare_with_objdump(const std::string& name) {
  std::set<rv::Op> seen;
  const auto lines = read_dump(name);
  BOOST_TEST_REQUIRE(lines.size() > 80u, name << " holds only " << lines.size() << " instructions");
  for (const auto& line : lines) {
    const rv::Instruction insn = rv::decode(line.word);
    const std::string ours = rv::disassemble(insn, line.pc);
    BOOST_TEST(squeeze(ours) == expected_from_objdump(line.text, line.word),
               name << " at 0x" << std::hex << line.pc << " word 0x" << line.word << ": ours '" << ours
                    << "', objdump '" << line.text << "'");
    const bool operands_at_8 = ours.size() > 8 && ours[7] == ' ' && ours[8] != ' ';
    BOOST_TEST((ours.find(' ') == std::string::npos || operands_at_8), "operands not at column 8: " << ours);
    seen.insert(insn.op);
    if (insn.op == rv::Op::illegal) {
      BOOST_CHECK_THROW(rv::encode(insn), std::invalid_argument);
    } else {
      BOOST_TEST(rv::encode(insn) == line.word,
                 "encode(decode(0x" << std::hex << line.word << ")) = 0x" << rv::encode(insn));
    }
  }
  return seen;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_instruction_matches_objdump) {
  const auto seen = compare_with_objdump("every_instruction.dump");
  for (int op = 0; op <= static_cast<int>(rv::Op::csrrci); ++op) {
    BOOST_TEST(seen.contains(static_cast<rv::Op>(op)), "every_instruction.S lacks " << rv::mnemonic(rv::Op(op)));
  }
}

BOOST_AUTO_TEST_CASE(random_words_match_objdump) { compare_with_objdump("random_words.dump"); }

BOOST_AUTO_TEST_CASE(spike_style_text) {
  BOOST_TEST(rv::disassemble(0x00150513, 0) == "addi    a0, a0, 1");
  BOOST_TEST(rv::disassemble(0x00c12783, 0) == "lw      a5, 12(sp)");
  BOOST_TEST(rv::disassemble(0x30551073, 0) == "csrrw   zero, mtvec, a0");
  BOOST_TEST(rv::disassemble(0xfcb50ee3, 0x24) == "beq     a0, a1, 0x0");
  BOOST_TEST(rv::disassemble(0xffffffff, 0) == "unknown");
  BOOST_TEST(rv::disassemble(0x30200073, 0) == "mret");
}

BOOST_AUTO_TEST_CASE(decoded_fields) {
  const rv::Instruction sw = rv::decode(0xfea42c23);  // sw a0, -8(s0)
  BOOST_TEST((sw.op == rv::Op::sw));
  BOOST_TEST(sw.rs1 == 8);
  BOOST_TEST(sw.rs2 == 10);
  BOOST_TEST(sw.rd == 0);
  BOOST_TEST(sw.imm == -8);
  const rv::Instruction csr = rv::decode(0x304fef73);  // csrrsi t5, mie, 31
  BOOST_TEST((csr.op == rv::Op::csrrsi));
  BOOST_TEST(csr.csr == rv::csr::mie);
  BOOST_TEST(csr.imm == 31);
  BOOST_TEST(csr.rs1 == 0);
}

BOOST_AUTO_TEST_CASE(encode_names_the_field_that_does_not_fit) {
  const auto message = [](const rv::Instruction& i) {
    try {
      rv::encode(i);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  BOOST_TEST(message({.op = rv::Op::addi, .rd = 1, .imm = 2048}).find("addi imm = 2048") != std::string::npos);
  BOOST_TEST(message({.op = rv::Op::beq, .imm = 3}).find("multiple of 2") != std::string::npos);
  BOOST_TEST(message({.op = rv::Op::add, .rd = 32}).find("add rd = 32") != std::string::npos);
  BOOST_TEST(message({.op = rv::Op::ecall, .rd = 1}).find("has no such operand") != std::string::npos);
  BOOST_TEST(message({.op = rv::Op::illegal}).find("Op::illegal") != std::string::npos);
}
