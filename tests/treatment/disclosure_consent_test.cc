#include "services/treatment/domain/disclosure_consent.h"

#include <gtest/gtest.h>

namespace ips::treatment {
namespace {

const absl::CivilDay kGiven(2026, 1, 10), kExpiry(2026, 12, 31);

ConsentFact Status(std::optional<absl::CivilDay> withdrawn = std::nullopt) {
  return {ConsentScope::kTreatmentStatus, kGiven, kExpiry, withdrawn};
}

// The consent matrix from the issue: no consent, valid, expired, withdrawn,
// wrong scope, and the edges of each.
TEST(DisclosureConsentTest, Matrix) {
  const auto status = ConsentScope::kTreatmentStatus;
  EXPECT_EQ(DecideDisclosure({}, status, kGiven), ConsentDecision::kNoConsent);
  EXPECT_EQ(DecideDisclosure({Status()}, status, kGiven), ConsentDecision::kAllowed);
  EXPECT_EQ(DecideDisclosure({Status()}, status, kExpiry), ConsentDecision::kAllowed);
  EXPECT_EQ(DecideDisclosure({Status()}, status, kExpiry + 1), ConsentDecision::kExpired);
  EXPECT_EQ(DecideDisclosure({Status()}, status, kGiven - 1), ConsentDecision::kNotYetGiven);
  const absl::CivilDay withdrawn(2026, 6, 1);
  EXPECT_EQ(DecideDisclosure({Status(withdrawn)}, status, withdrawn - 1), ConsentDecision::kAllowed);
  EXPECT_EQ(DecideDisclosure({Status(withdrawn)}, status, withdrawn), ConsentDecision::kWithdrawn);
  ConsentFact coordination{ConsentScope::kCoordination, kGiven, kExpiry, std::nullopt};
  EXPECT_EQ(DecideDisclosure({coordination}, status, kGiven), ConsentDecision::kWrongScope);
  EXPECT_EQ(DecideDisclosure({coordination}, ConsentScope::kCoordination, kGiven), ConsentDecision::kAllowed);
}

TEST(DisclosureConsentTest, StandingOfOneConsent) {
  EXPECT_EQ(StandingOn(Status(), kGiven - 1), ConsentStanding::kNotYetValid);
  EXPECT_EQ(StandingOn(Status(), kGiven), ConsentStanding::kActive);
  EXPECT_EQ(StandingOn(Status(), kExpiry), ConsentStanding::kActive);
  EXPECT_EQ(StandingOn(Status(), kExpiry + 1), ConsentStanding::kExpired);
  // Withdrawn on the day, and also after expiry: withdrawal is what counts.
  EXPECT_EQ(StandingOn(Status(kGiven + 5), kGiven + 5), ConsentStanding::kWithdrawn);
  EXPECT_EQ(StandingOn(Status(kGiven + 5), kExpiry + 1), ConsentStanding::kWithdrawn);
  EXPECT_EQ(StandingOn(Status(kGiven + 5), kGiven + 4), ConsentStanding::kActive);
}

TEST(DisclosureConsentTest, AnyCoveringConsentAllows) {
  ConsentFact old{ConsentScope::kTreatmentStatus, absl::CivilDay(2025, 1, 1), absl::CivilDay(2025, 12, 31),
                  std::nullopt};
  EXPECT_EQ(DecideDisclosure({old, Status()}, ConsentScope::kTreatmentStatus, absl::CivilDay(2026, 2, 1)),
            ConsentDecision::kAllowed);
  // Between the two: the latest consent is not yet given.
  EXPECT_EQ(DecideDisclosure({old, Status()}, ConsentScope::kTreatmentStatus, absl::CivilDay(2026, 1, 5)),
            ConsentDecision::kNotYetGiven);
}

}  // namespace
}  // namespace ips::treatment
