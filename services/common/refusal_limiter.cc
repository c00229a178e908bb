#include "services/common/refusal_limiter.h"

#include <algorithm>

namespace ips {
namespace {

// Buckets kept before full ones are forgotten (a full bucket is what a new
// one would be).
constexpr size_t kMaxBuckets = 10000;

}  // namespace

bool RefusalLimiter::Take(Bucket& b, absl::Time now) {
  if (b.refilled == absl::Time()) {
    b.tokens = limits_.burst;
  } else {
    const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - b.refilled));
    b.tokens = std::min<double>(limits_.burst, b.tokens + elapsed * limits_.per_second);
  }
  b.refilled = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

void RefusalLimiter::Forget(std::map<std::string, Bucket>& buckets, absl::Time now) {
  if (buckets.size() < kMaxBuckets) return;
  for (auto it = buckets.begin(); it != buckets.end();) {
    const double refill = absl::ToDoubleSeconds(now - it->second.refilled) * limits_.per_second;
    it = it->second.tokens + refill >= limits_.burst ? buckets.erase(it) : std::next(it);
  }
}

bool RefusalLimiter::Admit(const std::string& peer, const std::string& subject, const std::string& code,
                           absl::Time now) {
  std::lock_guard lock(mu_);
  Forget(peers_, now);
  Forget(subjects_, now);
  bool admitted = Take(peers_[peer], now);
  if (!subject.empty()) admitted = Take(subjects_[subject], now) && admitted;
  if (admitted) return true;
  if (counted_.empty()) since_ = now;
  Summary& s = counted_[peer];
  s.peer = peer;
  ++s.by_code[code];
  ++s.total;
  return false;
}

std::vector<RefusalLimiter::Summary> RefusalLimiter::TakeSummaries(absl::Time now) {
  std::lock_guard lock(mu_);
  std::vector<Summary> out;
  for (auto& [peer, s] : counted_) {
    s.from = since_;
    s.to = now;
    out.push_back(std::move(s));
  }
  counted_.clear();
  return out;
}

}  // namespace ips
