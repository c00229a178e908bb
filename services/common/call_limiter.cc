#include "services/common/call_limiter.h"

namespace ips {

CallLimiter::Slot::~Slot() {
  if (limiter_ != nullptr) limiter_->Leave(caller_);
}

CallLimiter::Verdict CallLimiter::Enter(const std::string& caller, std::optional<Slot>& slot) {
  if (in_progress_.fetch_add(1) >= limits_.per_server) {
    --in_progress_;
    ++refused_;
    return Verdict::kServerFull;
  }
  {
    std::lock_guard lock(mu_);
    int& mine = by_caller_[caller];
    if (mine >= limits_.per_caller) {
      if (mine == 0) by_caller_.erase(caller);
      --in_progress_;
      ++refused_;
      return Verdict::kCallerFull;
    }
    ++mine;
  }
  slot.emplace(this, caller);
  return Verdict::kAdmitted;
}

void CallLimiter::Leave(const std::string& caller) {
  {
    std::lock_guard lock(mu_);
    auto it = by_caller_.find(caller);
    if (it != by_caller_.end() && --it->second <= 0) by_caller_.erase(it);
  }
  --in_progress_;
}

}  // namespace ips
