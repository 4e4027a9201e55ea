// SelfComm (dist/comm.hpp): the one process of a run without mpirun, and the checks that
// do not need MPI (arguments of exchange, agreement and peer lists on one rank).
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "dist/comm.hpp"

namespace dist = nmtwin::dist;
using dist::Bytes;

namespace {

template <typename F>
std::string message_of(F f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(self_comm_is_one_rank) {
  dist::SelfComm comm;
  BOOST_TEST(comm.rank() == 0u);
  BOOST_TEST(comm.size() == 1u);
  std::vector<Bytes> in{Bytes{1, 2}};
  comm.exchange({}, {}, in);
  BOOST_TEST(in.empty());
  BOOST_TEST(comm.allreduce_min(17) == 17u);
  BOOST_TEST(comm.allreduce_max(~std::uint64_t{0}) == ~std::uint64_t{0});
  BOOST_TEST(comm.allreduce_sum(5) == 5u);
  const Bytes mine{4, 5, 6};
  const auto all = comm.allgather(mine);
  BOOST_TEST_REQUIRE(all.size() == 1u);
  BOOST_TEST(all[0] == mine, boost::test_tools::per_element());
  Bytes data{7, 8};
  comm.broadcast(data, 0);
  BOOST_TEST(data == (Bytes{7, 8}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(self_comm_refuses_peers_and_other_roots) {
  dist::SelfComm comm;
  const std::vector<unsigned> peers{1};
  const std::vector<Bytes> out(1);
  std::vector<Bytes> in;
  BOOST_TEST(message_of([&] { comm.exchange(peers, out, in); }) ==
             "exchange: rank 0 lists peer 1, which is not a rank (the job has ranks 0..0)");
  const std::vector<unsigned> self{0};
  BOOST_TEST(message_of([&] { comm.exchange(self, out, in); }) == "exchange: rank 0 lists itself as a peer");
  BOOST_TEST(message_of([&] { comm.exchange(peers, {}, in); }) ==
             "exchange on rank 0: 1 peers but 0 messages to send; give one message (empty if need be) to each peer");
  Bytes data;
  BOOST_TEST(message_of([&] { comm.broadcast(data, 1); }) == "broadcast from rank 1: the run has rank 0 only");
}

BOOST_AUTO_TEST_CASE(one_rank_agrees_with_itself) {
  dist::SelfComm comm;
  dist::check_agreement(comm, "build id", "abc");
  dist::check_symmetric_peers(comm, {});
  const std::vector<unsigned> peers{0};
  BOOST_TEST(message_of([&] { dist::check_symmetric_peers(comm, peers); }) ==
             "the peer lists of the ranks: rank 0 lists itself as a peer");
}

BOOST_AUTO_TEST_CASE(without_mpirun_the_comm_is_self) {
  BOOST_TEST_REQUIRE(!dist::started_by_mpirun(), "run this test without mpirun");
  int argc = 1;
  char name[] = "test_dist";
  char* args[] = {name, nullptr};
  char** argv = args;
  const auto comm = dist::make_comm(argc, argv);
  BOOST_TEST(comm->size() == 1u);
  BOOST_TEST(dynamic_cast<dist::SelfComm*>(comm.get()) != nullptr);
}

// Under mpirun, a build without MPI refuses to run (each rank would run the whole system
// alone). A build with MPI skips this; test_mpi_comm_np1..4 test it under mpirun.
BOOST_AUTO_TEST_CASE(under_mpirun_a_build_without_mpi_refuses,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                       return !dist::mpi_available();
                     })) {
  ::setenv("PMIX_RANK", "0", 1);
  int argc = 0;
  char** argv = nullptr;
  const auto error = message_of([&] { dist::make_comm(argc, argv); });
  ::unsetenv("PMIX_RANK");
  BOOST_TEST(error.find("started by mpirun (PMIX_RANK is set) but built without MPI") != std::string::npos, error);
  BOOST_TEST(error.find("-DNMTWIN_MPI=ON") != std::string::npos, error);
}
