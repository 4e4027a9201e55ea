#include "sim/node_threads.hpp"

#include <algorithm>

namespace nmtwin::sim {

namespace {
constexpr int spin_rounds = 4000;  // some 10-50 us: a quantum's serial part is shorter

inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Returns once `a` differs from `old`: spins first, then sleeps on the futex.
template <typename T>
void await_change(const std::atomic<T>& a, T old) {
  for (int i = 0; i < spin_rounds; ++i) {
    if (a.load(std::memory_order_acquire) != old) return;
    pause();
  }
  while (a.load(std::memory_order_acquire) == old) a.wait(old, std::memory_order_acquire);
}
}  // namespace

NodeThreads::NodeThreads(unsigned nodes, unsigned threads, const Make& make) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::max(1u, std::min(threads, nodes));
  threads_ = threads;
  nodes_.resize(nodes);
  // Each thread constructs its own nodes; node i lives on thread i % threads.
  pending_.store(threads - 1, std::memory_order_release);
  for (unsigned t = 1; t < threads; ++t) try {
    workers_.emplace_back([this, t, threads, &make] {
      try {
        for (unsigned i = t; i < nodes_.size(); i += threads) nodes_[i] = make(i);
      } catch (...) {
        std::lock_guard lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
      }
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_all();
      work(t);
    });
  } catch (...) {
    // No thread for the rest: let the ones that started build their nodes, then take
    // everything down cleanly (the missing threads' nodes were never built).
    pending_.fetch_sub(threads - 1 - static_cast<unsigned>(workers_.size()), std::memory_order_acq_rel);
    for (unsigned p; (p = pending_.load(std::memory_order_acquire)) != 0;) await_change(pending_, p);
    shutdown();
    throw;
  }
  std::exception_ptr error;
  try {
    for (unsigned i = 0; i < nodes; i += threads) nodes_[i] = make(i);
  } catch (...) {
    error = std::current_exception();
  }
  for (unsigned p; (p = pending_.load(std::memory_order_acquire)) != 0;) await_change(pending_, p);
  if (!error) std::swap(error, error_);
  if (error) {
    shutdown();
    std::rethrow_exception(error);
  }
}

NodeThreads::~NodeThreads() { shutdown(); }

// Nodes are destroyed on their own threads too.
void NodeThreads::shutdown() {
  if (stop_) return;
  const std::function<void(Node&)> none;
  stop_ = true;
  dispatch(&none, -1);
  for (auto& w : workers_) w.join();
  workers_.clear();
  nodes_.clear();
}

void NodeThreads::for_each(const std::function<void(Node&)>& fn) { dispatch(&fn, -1); }

void NodeThreads::on(unsigned i, const std::function<void(Node&)>& fn) {
  if (owner(i) == 0) {
    fn(node(i));
    return;
  }
  dispatch(&fn, static_cast<int>(i));
}

void NodeThreads::dispatch(const std::function<void(Node&)>* fn, int only) {
  job_ = fn;
  only_ = only;
  pending_.store(static_cast<unsigned>(workers_.size()), std::memory_order_relaxed);
  epoch_.fetch_add(1, std::memory_order_release);
  epoch_.notify_all();
  run_share(0);
  for (unsigned p; (p = pending_.load(std::memory_order_acquire)) != 0;) await_change(pending_, p);
  std::exception_ptr e;
  {
    std::lock_guard lock(error_mutex_);
    std::swap(e, error_);
  }
  if (e && !stop_) std::rethrow_exception(e);
}

void NodeThreads::run_share(unsigned thread) {
  try {
    for (unsigned i = thread; i < nodes_.size(); i += threads()) {
      if (only_ >= 0 && static_cast<unsigned>(only_) != i) continue;
      if (stop_) {
        if (thread != 0) nodes_[i].reset();
      } else if (*job_) {
        (*job_)(*nodes_[i]);
      }
    }
  } catch (...) {
    std::lock_guard lock(error_mutex_);
    if (!error_) error_ = std::current_exception();
  }
}

void NodeThreads::work(unsigned thread) {
  std::uint64_t seen = 0;  // no quantum is dispatched before every worker has built its nodes
  for (;;) {
    await_change(epoch_, seen);
    seen = epoch_.load(std::memory_order_acquire);
    run_share(thread);
    const bool last = stop_;
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_all();
    if (last) return;
  }
}

}  // namespace nmtwin::sim
