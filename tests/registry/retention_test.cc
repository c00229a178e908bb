// The registry's retention rules (domain/retention.h), by hand-computed
// cases.
#include "services/registry/domain/retention.h"

#include <gtest/gtest.h>

namespace ips::registry {
namespace {

const absl::CivilDay kRegistered(2024, 3, 1);
constexpr int kFiveYears = 1826;

TEST(RetentionTest, KeptWhileACourseRuns) {
  CitizenHistory h{kRegistered, true, absl::CivilDay(2025, 1, 10)};  // an earlier course ended
  EXPECT_FALSE(RetentionEnds(h, kFiveYears).has_value());
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2040, 1, 1), kFiveYears));
  EXPECT_EQ(ErasureRefusal(h), "ERASURE_COURSE_RUNNING");
}

TEST(RetentionTest, KeptForThePeriodAfterTheLastCourseEnded) {
  CitizenHistory h{kRegistered, false, absl::CivilDay(2026, 6, 30)};
  EXPECT_EQ(RetentionEnds(h, kFiveYears), absl::CivilDay(2026, 6, 30) + kFiveYears);
  // Five years of days, one of them 29 February 2028.
  EXPECT_EQ(*RetentionEnds(h, kFiveYears), absl::CivilDay(2031, 6, 30));
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2031, 6, 29), kFiveYears));  // the last day kept
  EXPECT_TRUE(PastRetention(h, absl::CivilDay(2031, 6, 30), kFiveYears));
  EXPECT_FALSE(ErasureRefusal(h).has_value());
}

TEST(RetentionTest, NeverEnrolledCountsFromRegistration) {
  CitizenHistory h{kRegistered, false, std::nullopt};
  EXPECT_EQ(RetentionEnds(h, 365), absl::CivilDay(2025, 3, 1));
  EXPECT_TRUE(PastRetention(h, absl::CivilDay(2025, 3, 1), 365));
  EXPECT_FALSE(PastRetention(h, absl::CivilDay(2025, 2, 28), 365));
}

TEST(RetentionTest, AnEndRecordedBeforeRegistrationCountsFromRegistration) {
  CitizenHistory h{kRegistered, false, absl::CivilDay(2023, 1, 1)};
  EXPECT_EQ(RetentionEnds(h, 10), kRegistered + 10);
}

}  // namespace
}  // namespace ips::registry
