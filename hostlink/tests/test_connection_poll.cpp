// Connection::start and poll: a run driven in steps instead of one blocking run().
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <stdexcept>

#include "hostlink/tests/fake_fpga.hpp"
#include "nmtwin/connection.hpp"

namespace spec = nmtwin::spec;
using namespace nmtwin::hostlink;
using namespace std::chrono_literals;
using nmtwin::hostlink::test::FakeFpga;

BOOST_AUTO_TEST_CASE(start_and_poll_drive_a_run_in_steps) {
  FakeFpga fpga;
  fpga.memory[0x10] = 99;
  fpga.stall = true;
  Program p;
  auto t = p.read(0x10);
  fpga.start(p);
  BOOST_TEST(fpga.running());
  BOOST_TEST(!fpga.poll(p, 1ms));  // nothing came back yet
  BOOST_TEST(!t.ready());
  fpga.release_stalled();
  BOOST_TEST(fpga.poll(p, 1s));
  BOOST_TEST(!fpga.running());
  BOOST_TEST(t.value() == 99u);
}

BOOST_AUTO_TEST_CASE(one_run_at_a_time_and_only_the_program_started) {
  FakeFpga fpga;
  fpga.stall = true;
  Program p, q;
  fpga.start(p);
  BOOST_CHECK_THROW(fpga.start(q), std::logic_error);
  BOOST_CHECK_THROW(fpga.poll(q, 1ms), std::logic_error);
  fpga.release_stalled();
  BOOST_TEST(fpga.poll(p, 1s));
  BOOST_CHECK_THROW(fpga.poll(p, 1ms), std::logic_error);  // completed: nothing to poll
}

BOOST_AUTO_TEST_CASE(poll_reports_failures_and_timeouts_like_run) {
  FakeFpga fpga;
  fpga.failing[0x20] = spec::ErrorReason::unmapped_address;
  Program bad;
  bad.read(0x20);
  fpga.start(bad);
  BOOST_CHECK_THROW(fpga.poll(bad, 1s), RunError);
  BOOST_TEST(!fpga.running());

  fpga.set_timeout(20ms);
  fpga.stall = true;
  Program slow;
  slow.read(0x30);
  fpga.start(slow);
  BOOST_CHECK_THROW(while (!fpga.poll(slow, 5ms)){}, TimeoutError);
  BOOST_TEST(!fpga.running());
  // The late answers of the abandoned program are skipped; the next run is clean.
  fpga.stall = false;
  fpga.memory[0x40] = 7;
  Program next;
  auto t = next.read(0x40);
  fpga.run(next);
  BOOST_TEST(t.value() == 7u);
}
