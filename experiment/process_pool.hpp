#pragma once
// Runs independent jobs in child processes, `jobs` at a time: SystemC keeps global
// state, so simulations cannot share a process at once, and a crash stays the
// failing job's.  Each job's result travels back as text.

#include <cstddef>
#include <functional>
#include <string>

namespace nmtwin::apps {

/// work(i) runs in a child process and gives its result as text; done(i, text) runs
/// in the caller as each finishes (text is empty when the child died without one).
void run_in_processes(std::size_t count, unsigned jobs, const std::function<std::string(std::size_t)>& work,
                      const std::function<void(std::size_t, const std::string&)>& done);

}  // namespace nmtwin::apps
