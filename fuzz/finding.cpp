#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_input.hpp"

namespace nmtwin::fuzz {

void finding(const char* what) {
  std::fprintf(stderr, "FINDING: %s\n", what);
  std::abort();
}

}  // namespace nmtwin::fuzz
