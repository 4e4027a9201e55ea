// toml++ compiled once: every other file includes it with TOML_HEADER_ONLY=0 (declarations
// only; experiment/CMakeLists.txt), which saves parsing and compiling its implementation
// in each of them (issue 13: the build from scratch).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
