// Where a consent stands on a day: the one rule the registry and SOF show,
// at each boundary.
#include "services/rules/consent_standing.h"

#include <gtest/gtest.h>

namespace ips::rules {
namespace {

constexpr absl::CivilDay kGiven(2026, 3, 1);
constexpr absl::CivilDay kExpiry(2027, 2, 28);

TEST(ConsentStandingTest, ValidFromTheGivenDayToTheExpiryDayInclusive) {
  const ConsentPeriod c{kGiven, kExpiry, std::nullopt};
  EXPECT_EQ(StandingOn(c, kGiven - 1), ConsentStanding::kNotYetValid);
  EXPECT_EQ(StandingOn(c, kGiven), ConsentStanding::kActive);
  EXPECT_EQ(StandingOn(c, kExpiry), ConsentStanding::kActive);
  EXPECT_EQ(StandingOn(c, kExpiry + 1), ConsentStanding::kExpired);
}

TEST(ConsentStandingTest, WithdrawalCountsFromItsDayAndWinsOverExpiry) {
  const ConsentPeriod c{kGiven, kExpiry, kGiven + 10};
  EXPECT_EQ(StandingOn(c, kGiven + 9), ConsentStanding::kActive);
  EXPECT_EQ(StandingOn(c, kGiven + 10), ConsentStanding::kWithdrawn);
  EXPECT_EQ(StandingOn(c, kExpiry + 1), ConsentStanding::kWithdrawn);
  // Withdrawn on the day it was given: never in force.
  EXPECT_EQ(StandingOn({kGiven, kExpiry, kGiven}, kGiven), ConsentStanding::kWithdrawn);
}

}  // namespace
}  // namespace ips::rules
