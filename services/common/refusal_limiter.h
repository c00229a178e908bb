#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace ips {

// How many calls refused before their handler (no valid token, or a role
// the policy does not allow) each peer and each token subject gets audited
// one by one.
struct RefusalLimits {
  // Sustained refused calls per second, per peer and per subject.
  double per_second = 2;
  // Refused calls allowed at once before the rate applies.
  int burst = 20;
  // How often the calls over the limit are summarised in the audit.
  absl::Duration summary_interval = absl::Seconds(60);
};

// A refused call costs the service an audit record, and anything holding a
// client certificate can send them as fast as it can. RefusalLimiter gives
// each peer (its client certificate's name, else its address) and each
// subject a token bucket of `burst` refused calls refilled at `per_second`;
// a refused call beyond it is answered RESOURCE_EXHAUSTED at once and only
// counted, and the counts become one audit record per peer and interval
// (TakeSummaries). Calls the policy allows never pass through here: every
// one of them keeps its own audit record. Thread-safe.
class RefusalLimiter {
 public:
  explicit RefusalLimiter(RefusalLimits limits) : limits_(limits) {}

  // True when the refused call gets its own audit record; false when it is
  // over the limit, in which case it is counted under `peer` and `code`.
  bool Admit(const std::string& peer, const std::string& subject, const std::string& code, absl::Time now);

  // What was counted since the last call, one entry per peer.
  struct Summary {
    std::string peer;
    std::map<std::string, long long> by_code;
    long long total = 0;
    absl::Time from, to;
  };
  std::vector<Summary> TakeSummaries(absl::Time now);

  const RefusalLimits& limits() const { return limits_; }

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };
  // Refills `b` to `now` and takes one token if there is one.
  bool Take(Bucket& b, absl::Time now);
  void Forget(std::map<std::string, Bucket>& buckets, absl::Time now);

  const RefusalLimits limits_;
  std::mutex mu_;
  std::map<std::string, Bucket> peers_, subjects_;
  std::map<std::string, Summary> counted_;
  absl::Time since_ = absl::InfinitePast();
};

}  // namespace ips
