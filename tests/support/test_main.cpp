// The one main() of every Boost.Test program (nmtwin_test in cmake/nmtwin.cmake): the
// test files define no BOOST_TEST_MODULE, so that each of them compiles no runner and
// all share one precompiled <boost/test/unit_test.hpp>. The test module is named
// after the program (test_network, tb_executor, ...).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

namespace {

std::string program_name = "nmtwin test";

bool init_test_module() {
  boost::unit_test::framework::master_test_suite().p_name.value = program_name;
  return true;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc > 0 && argv[0] && *argv[0]) program_name = std::filesystem::path(argv[0]).filename().string();
  return boost::unit_test::unit_test_main(&init_test_module, argc, argv);
}
