// The VCD writer: header and scopes, changes given out of order written in time
// order, the last change of a signal at one time wins, unchanged values are left
// out, the same changes give the same bytes.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/trace/vcd_writer.hpp"

namespace {
std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string write(const std::string& path) {
  {
    nmtwin::sim::VcdWriter v(path, "test");
    const unsigned a = v.add("top.x", "a", 1);
    const unsigned b = v.add("top.x", "b", 8);
    const unsigned c = v.add("top.y", "c", 3);
    v.change(16000, b, 0x5A);
    v.change(8000, a, 1);
    v.change(8000, a, 0);  // the last at one time wins: no change at 8000
    v.change(24000, a, 1);
    v.flush(20000);        // 16000 written; 24000 waits
    v.change(24000, c, 9);  // 3 bits: 9 & 7 = 1
    v.change(32000, b, 0x5A);  // unchanged: left out
    v.close(40000);
  }
  return slurp(path);
}
}  // namespace

BOOST_AUTO_TEST_CASE(changes_come_out_in_time_order_and_the_last_one_wins) {
  const auto path = (std::filesystem::temp_directory_path() / "nmtwin_test_vcd_writer.vcd").string();
  const std::string text = write(path);
  BOOST_TEST(text.find("$scope module top $end\n$scope module x $end\n$var wire 1 ! a $end\n"
                       "$var wire 8 \" b [7:0] $end\n$upscope $end\n$scope module y $end\n"
                       "$var wire 3 # c [2:0] $end\n$upscope $end\n$upscope $end\n") != std::string::npos);
  const std::string tail = text.substr(text.find("$end\n#0\n$dumpvars"));
  BOOST_TEST(tail == "$end\n#0\n$dumpvars\n0!\nb0 \"\nb0 #\n$end\n#16000\nb1011010 \"\n#24000\n1!\nb1 #\n#40000\n");
  BOOST_TEST(write(path) == text);  // byte for byte
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(a_wire_must_have_1_to_64_bits) {
  const auto path = (std::filesystem::temp_directory_path() / "nmtwin_test_vcd_bad.vcd").string();
  nmtwin::sim::VcdWriter v(path, "test");
  BOOST_CHECK_THROW(v.add("s", "w", 65), std::invalid_argument);
  BOOST_CHECK_THROW(v.add("s", "w", 0), std::invalid_argument);
}
