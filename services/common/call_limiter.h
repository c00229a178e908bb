#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace ips {

// How many calls may be in progress at once in one server, and for one
// caller (token subject) of it; and how many event streams may be open in
// one server (they hold no thread while they wait, so they have their own
// bound, not a place among the calls).
struct CallLimits {
  int per_server = 256;
  int per_caller = 64;
  int open_streams = 1024;
};

// Bounds the calls in progress. Beyond a bound a call is answered at once
// (RESOURCE_EXHAUSTED) rather than queued behind the others: a queue only
// turns an overload into timeouts for everybody, and one departmental
// system in a retry loop must not take the service from the rest.
// Thread-safe.
class CallLimiter {
 public:
  explicit CallLimiter(CallLimits limits) : limits_(limits) {}

  enum class Verdict { kAdmitted, kServerFull, kCallerFull };

  // Holds a call's place while it lives.
  class Slot {
   public:
    Slot(CallLimiter* limiter, std::string caller) : limiter_(limiter), caller_(std::move(caller)) {}
    ~Slot();
    Slot(Slot&& other) noexcept : limiter_(other.limiter_), caller_(std::move(other.caller_)) {
      other.limiter_ = nullptr;
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;

   private:
    CallLimiter* limiter_;
    std::string caller_;
  };

  // A place for one call of `caller`; `slot` holds it when admitted.
  Verdict Enter(const std::string& caller, std::optional<Slot>& slot);

  const CallLimits& limits() const { return limits_; }
  int in_progress() const { return in_progress_; }
  // Calls refused for a bound since the start (for tests and operators that
  // must know a refusal happened, not guess it from the clock).
  long refused() const { return refused_; }

 private:
  void Leave(const std::string& caller);

  const CallLimits limits_;
  std::atomic<int> in_progress_{0};
  std::atomic<long> refused_{0};
  std::mutex mu_;
  std::unordered_map<std::string, int> by_caller_;
};

}  // namespace ips
