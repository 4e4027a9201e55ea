#pragma once
// An ISS with a program assembled in the test: words appended with <<, run from pc 0.

#include <boost/test/unit_test.hpp>
#include <vector>

#include "sim/ppu/iss.hpp"
#include "sim/ppu/tests/asm.hpp"

namespace nmtwin::ppu::test {

struct Cpu {
  Iss iss;
  std::vector<std::uint32_t> code;

  Cpu& operator<<(std::uint32_t word) {
    code.push_back(word);
    return *this;
  }
  Cpu& operator<<(const std::vector<std::uint32_t>& words) {
    code.insert(code.end(), words.begin(), words.end());
    return *this;
  }
  /// Code into imem from address 0, then reset: the next step runs the first word.
  void start() {
    std::copy(code.begin(), code.end(), iss.imem().begin());
    iss.reset();
  }
  Commit step() {
    const auto c = iss.step();
    BOOST_TEST_REQUIRE(c.has_value(), "no commit at pc 0x" << std::hex << iss.pc());
    return *c;
  }
  /// Steps n commits, returning the last.
  Commit run(unsigned n) {
    Commit last;
    for (unsigned k = 0; k < n; ++k) last = step();
    return last;
  }
};

}  // namespace nmtwin::ppu::test
