// Fake ranks without MPI (issue 15, docs/scaleout.md "Fake ranks"): fork_ranks(N) turns
// this process into N processes, rank 0 the caller, connected pairwise by Unix socket
// pairs, each with a Comm that does what MpiComm does — the same operations on the same
// bytes (dist/bytes.hpp), the same orders (peers named in every receive, gathers in rank
// order, integer reductions) — so a split system's exactness is tested in any build.
//
// Not threads: a simulation keeps process-wide state (its SystemC context, Verilator's
// construction), so two ranks in one process would share it.
#pragma once

#include <memory>

#include "dist/comm.hpp"

namespace nmtwin::dist {

// Forks ranks - 1 children, each returning from here with its own rank (1..ranks-1);
// the caller gets rank 0. Call it before any thread is started (fork copies only the
// calling thread). Rank 0's Comm, when destroyed, waits for the others and ends the
// process with status 1, naming the rank, if one of them failed; the others' Comms do
// nothing then, and their processes end as main returns. A rank whose peer ended
// without a word (its connection closed, e.g. killed) prints the cause and ends with
// status 1, so no rank waits for ever; abort() ends this rank at once, and the others
// follow as they find it gone. Throws std::invalid_argument for 0 ranks or more than 64.
std::unique_ptr<Comm> fork_ranks(unsigned ranks);

}  // namespace nmtwin::dist
