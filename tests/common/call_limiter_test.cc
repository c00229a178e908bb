#include "services/common/call_limiter.h"

#include <gtest/gtest.h>

#include <vector>

namespace ips {
namespace {

using Verdict = CallLimiter::Verdict;

TEST(CallLimiterTest, ACallerBeyondItsBoundIsRefusedWhileOthersGoOn) {
  CallLimiter limiter({.per_server = 10, .per_caller = 2});
  std::optional<CallLimiter::Slot> a1, a2, a3, b1;
  EXPECT_EQ(limiter.Enter("BIF/anna", a1), Verdict::kAdmitted);
  EXPECT_EQ(limiter.Enter("BIF/anna", a2), Verdict::kAdmitted);
  EXPECT_EQ(limiter.Enter("BIF/anna", a3), Verdict::kCallerFull);
  EXPECT_FALSE(a3.has_value());
  EXPECT_EQ(limiter.Enter("BIF/bo", b1), Verdict::kAdmitted);
  EXPECT_EQ(limiter.in_progress(), 3);
  EXPECT_EQ(limiter.refused(), 1);
  // A call that ends gives its place back.
  a1.reset();
  EXPECT_EQ(limiter.Enter("BIF/anna", a3), Verdict::kAdmitted);
  EXPECT_EQ(limiter.in_progress(), 3);
}

TEST(CallLimiterTest, TheServerBoundHoldsAcrossCallers) {
  CallLimiter limiter({.per_server = 3, .per_caller = 3});
  std::vector<std::optional<CallLimiter::Slot>> slots(4);
  EXPECT_EQ(limiter.Enter("a", slots[0]), Verdict::kAdmitted);
  EXPECT_EQ(limiter.Enter("b", slots[1]), Verdict::kAdmitted);
  EXPECT_EQ(limiter.Enter("c", slots[2]), Verdict::kAdmitted);
  EXPECT_EQ(limiter.Enter("d", slots[3]), Verdict::kServerFull);
  EXPECT_EQ(limiter.in_progress(), 3);
  EXPECT_EQ(limiter.refused(), 1);
  slots.clear();
  EXPECT_EQ(limiter.in_progress(), 0);
  std::optional<CallLimiter::Slot> again;
  EXPECT_EQ(limiter.Enter("d", again), Verdict::kAdmitted);
}

}  // namespace
}  // namespace ips
