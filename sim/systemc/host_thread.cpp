#include "sim/systemc/host_thread.hpp"

namespace nmtwin::systemc {

namespace {
// The host library's call depth (ARQ, program decoding, fmt) is far beyond SystemC's
// default coroutine stack of 64 KiB.
constexpr std::size_t host_stack_bytes = std::size_t{8} << 20;
}  // namespace

HostThread::HostThread(const sc_core::sc_module_name& name, std::function<void()> job)
    : sc_core::sc_module(name), job_(std::move(job)) {
  SC_THREAD(run);
  set_stack_size(host_stack_bytes);
}

void HostThread::run() {
  try {
    job_();
  } catch (const sc_core::sc_unwind_exception&) {
    throw;  // the kernel kills or resets this thread: not the job's error
  } catch (...) {
    error_ = std::current_exception();
  }
  sc_core::sc_stop();
}

void HostThread::rethrow() const {
  if (error_) std::rethrow_exception(error_);
}

}  // namespace nmtwin::systemc
