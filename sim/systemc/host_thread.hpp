#pragma once
// Host code (hostlink programs, experiment runners) as a SystemC process: HostLink waits
// in SystemC time, which only an SC_THREAD may do.

#include <exception>
#include <functional>
#include <systemc>

namespace nmtwin::systemc {

/// Runs host code in an SC_THREAD (with a stack large enough for the host library) and
/// stops the simulation when it returns or throws; call rethrow() after sc_start() to
/// see its exception.
class HostThread : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(HostThread);
  HostThread(const sc_core::sc_module_name& name, std::function<void()> job);
  /// Rethrows what the job threw, if anything.
  void rethrow() const;

 private:
  void run();
  std::function<void()> job_;
  std::exception_ptr error_;
};

}  // namespace nmtwin::systemc
