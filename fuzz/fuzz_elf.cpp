// fuzz_elf: the firmware ELF loader (hostlink/fw/elf*.cpp: parse_elf, as load_elf and the
// [firmware] table use it) and the host's reading of what a kernel left behind (the
// mailbox, console, status, trap registers and stack: fw::read_outcome + fw::evaluate,
// hostlink/fw/firmware_error.cpp, backtrace.cpp), fed with arbitrary bytes and words.
//
// Input: a big-endian u32 n, then n bytes of ELF file (fewer at the end of the input),
// then the values the core "answers" to the readout's reads, big-endian u32 each, in
// program order (0 once the input is used up).
// The readout evaluates against the parsed image, or an empty one when the ELF was refused.
// Expected outcomes: ElfError from the loader, std::invalid_argument from fw::load for an
// image whose entry is not the reset PC (documented), FirmwareError from evaluate.
// Findings: any other exception, a sanitizer report, an image the loader accepted that
// does not fit the memories it was checked against.
#include <chrono>
#include <cstdint>
#include <vector>

#include "fuzz/fuzz_input.hpp"
#include "nmtwin/connection.hpp"
#include "nmtwin/elf.hpp"
#include "nmtwin/errors.hpp"
#include "nmtwin/firmware.hpp"
#include "nmtwin/program.hpp"
#include "nmtwin/response.hpp"

namespace {

using namespace nmtwin;
using namespace nmtwin::hostlink;
using Clock = std::chrono::steady_clock;

// Answers every read of a program with the next input word, then the halt's echo.
class AnsweringConnection : public Connection {
 public:
  explicit AnsweringConnection(fuzz::FuzzInput& in) : in_(in) {}
  std::string endpoint() const override { return "fuzz:ppu0"; }
  const ConnectionStats& stats() const override { return stats_; }

 protected:
  void send(std::span<const std::uint64_t> words) override {
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::uint64_t w = words[i];
      switch (spec::instr::selector(w)) {
        case spec::instr::Opcode::read: {
          const auto read = spec::instr::Read::decode(w);
          answers_.push_back(spec::resp::ReadData{.tag = read.tag, .data = in_.u32()}.encode());
          break;
        }
        case spec::instr::Opcode::write:
          ++i;  // its data word
          break;
        case spec::instr::Opcode::halt:
          answers_.push_back(spec::resp::Halt{.cookie = spec::instr::Halt::decode(w).cookie, .systime = 1000}.encode());
          break;
        default:
          break;
      }
    }
  }
  bool receive(std::vector<std::uint64_t>& out, Clock::time_point deadline) override {
    if (answers_.empty()) {
      now_ = std::max(now_, deadline);
      return false;
    }
    out.insert(out.end(), answers_.begin(), answers_.end());
    answers_.clear();
    return true;
  }
  Clock::time_point now() const override { return now_; }

 private:
  fuzz::FuzzInput& in_;
  ConnectionStats stats_;
  std::vector<std::uint64_t> answers_;
  Clock::time_point now_ = Clock::time_point(Clock::duration(std::chrono::hours(1)));
};

void check_fits(const fw::FirmwareImage& image, const fw::MemoryLayout& layout) {
  if (image.imem.size() * 4 > layout.imem_bytes || image.dmem.size() * 4 > layout.dmem_bytes ||
      image.mailbox.size() * 4 > layout.mailbox_bytes)
    fuzz::finding("parse_elf accepted an image larger than the memories");
  if (image.entry < fw::imem_base || image.entry - fw::imem_base >= layout.imem_bytes)
    fuzz::finding("parse_elf accepted an entry point outside the instruction memory");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const auto elf = in.take(in.u32());
  fw::FirmwareImage image;
  bool loaded = false;
  try {
    image = fw::parse_elf(elf, "fuzz.elf");
    check_fits(image, {});
    loaded = true;
  } catch (const fw::ElfError&) {
    // refused with a message: expected
  }
  if (loaded) {
    for (std::uint32_t pc : {image.entry, image.entry + 4, fw::imem_base, fw::dmem_base, 0u, 0xFFFF'FFFCu})
      (void)image.symbolize(pc);
    for (const fw::Symbol& s : image.symbols)
      if (!image.find_symbol(s.name)) fuzz::finding("a symbol of the image is not found by its name");
  }

  Program p;
  if (loaded) {
    try {
      fw::load(p, image);
    } catch (const std::invalid_argument&) {
      // an entry that is not the reset PC: documented
    }
  }
  const fw::Readout readout = fw::read_outcome(p, 0, 16, 64);
  AnsweringConnection connection(in);
  connection.run(p);  // answers every read: a RunError here would be a finding
  try {
    (void)fw::evaluate(readout, image, fw::Context{.name = "fuzz.elf", .endpoint = "fuzz:ppu0"});
  } catch (const fw::FirmwareError&) {
    // a trap or watchdog expiry, reported with its backtrace: expected
  }
  return 0;
}
