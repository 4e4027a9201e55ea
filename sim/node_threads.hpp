#pragma once
// The nodes of a simulation spread over threads, each node living on the thread
// that constructed it (a Verilated model must be evaluated on that thread): the
// system kernel steps all nodes of a quantum at once.  Thread 0 is the caller's.
// Workers spin briefly for the next quantum, then sleep, so an idle simulation costs
// no CPU.

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/node.hpp"

namespace nmtwin::sim {

class NodeThreads {
 public:
  using Make = std::function<std::unique_ptr<Node>(unsigned index)>;
  /// `threads` 0: one per core, at most one per node.
  NodeThreads(unsigned nodes, unsigned threads, const Make& make);
  ~NodeThreads();
  NodeThreads(const NodeThreads&) = delete;
  NodeThreads& operator=(const NodeThreads&) = delete;

  unsigned threads() const { return threads_; }
  unsigned size() const { return static_cast<unsigned>(nodes_.size()); }
  Node& node(unsigned i) { return *nodes_.at(i); }
  const Node& node(unsigned i) const { return *nodes_.at(i); }

  /// fn(node) for every node, each on its own thread, all threads at once; returns
  /// when all are done and rethrows the first exception one of them threw.
  void for_each(const std::function<void(Node&)>& fn);
  /// fn(node i) on node i's thread.
  void on(unsigned i, const std::function<void(Node&)>& fn);

 private:
  void shutdown();
  void dispatch(const std::function<void(Node&)>* fn, int only);
  void work(unsigned thread);
  void run_share(unsigned thread);
  unsigned owner(unsigned node) const { return node % threads(); }
  unsigned threads_ = 1;

  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<unsigned> pending_{0};
  const std::function<void(Node&)>* job_ = nullptr;
  int only_ = -1;  // a single node, or -1 for all
  bool stop_ = false;
  std::mutex error_mutex_;
  std::exception_ptr error_;
};

}  // namespace nmtwin::sim
