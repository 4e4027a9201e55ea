#include "nmtwin/cancel.hpp"

#include <utility>

namespace nmtwin::hostlink {

namespace {
thread_local CancelScope* current = nullptr;
}

CancelScope::CancelScope(std::function<void()> check, std::chrono::steady_clock::duration interval)
    : check_(std::move(check)), interval_(interval), last_(std::chrono::steady_clock::now()), outer_(current) {
  current = this;
}

CancelScope::~CancelScope() { current = outer_; }

void check_cancel() {
  CancelScope* scope = current;
  if (!scope) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - scope->last_ < scope->interval_) return;
  scope->last_ = now;
  scope->check_();
}

}  // namespace nmtwin::hostlink
