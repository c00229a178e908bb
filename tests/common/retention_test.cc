// The storage-limitation rules every publisher applies (retention.h), by
// hand-computed cases.
#include "services/common/retention.h"

#include <gtest/gtest.h>

namespace ips {
namespace {

constexpr int kFiveYears = 1826;

TEST(RetentionTest, KeptWhileSomethingRuns) {
  SubjectHistory h{true, absl::CivilDay(2025, 1, 10)};
  EXPECT_FALSE(RetentionEnds(h, kFiveYears).has_value());
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2040, 1, 1), kFiveYears));
  EXPECT_FALSE(ErasureAllowed(h));
}

TEST(RetentionTest, KeptForThePeriodAfterTheLastDay) {
  SubjectHistory h{false, absl::CivilDay(2026, 6, 30)};
  // Five years of days, one of them 29 February 2028.
  EXPECT_EQ(*RetentionEnds(h, kFiveYears), absl::CivilDay(2031, 6, 30));
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2031, 6, 29), kFiveYears));  // the last day kept
  EXPECT_TRUE(PastRetention(h, absl::CivilDay(2031, 6, 30), kFiveYears));
  EXPECT_TRUE(ErasureAllowed(h));
}

TEST(RetentionTest, AShortPeriodAcrossAYearEnd) {
  SubjectHistory h{false, absl::CivilDay(2025, 12, 31)};
  EXPECT_EQ(*RetentionEnds(h, 1), absl::CivilDay(2026, 1, 1));
  EXPECT_TRUE(PastRetention(h, absl::CivilDay(2026, 1, 1), 1));
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2025, 12, 31), 1));
}

}  // namespace
}  // namespace ips
