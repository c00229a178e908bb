#include "services/treatment/domain/treatment_guarantee.h"

#include <gtest/gtest.h>

namespace ips::treatment {
namespace {

const absl::CivilDay kRequested(2026, 3, 2);

TEST(TreatmentGuaranteeTest, DeadlineIsFourteenDaysAfterTheRequest) {
  EXPECT_EQ(GuaranteeDeadline(kRequested, {}), absl::CivilDay(2026, 3, 16));
  // Across a month end and a leap day.
  EXPECT_EQ(GuaranteeDeadline(absl::CivilDay(2028, 2, 20), {}), absl::CivilDay(2028, 3, 5));
  EXPECT_EQ(GuaranteeDeadline(absl::CivilDay(2026, 12, 25), {}), absl::CivilDay(2027, 1, 8));
  GuaranteeConfig shorter{7, 2};
  EXPECT_EQ(GuaranteeDeadline(kRequested, shorter), absl::CivilDay(2026, 3, 9));
}

TEST(TreatmentGuaranteeTest, OfferOnTheDeadlineMeetsIt) {
  const GuaranteeConfig c;
  EXPECT_EQ(EvaluateGuarantee(kRequested, kRequested + 14, kRequested + 30, c), GuaranteeState::kMet);
  EXPECT_EQ(EvaluateGuarantee(kRequested, kRequested, kRequested, c), GuaranteeState::kMet);
  EXPECT_EQ(EvaluateGuarantee(kRequested, kRequested + 15, kRequested + 30, c), GuaranteeState::kMissed);
}

TEST(TreatmentGuaranteeTest, OpenReferralsTurnDueSoonThenOverdue) {
  const GuaranteeConfig c;  // warn 3 days ahead
  EXPECT_EQ(EvaluateGuarantee(kRequested, std::nullopt, kRequested + 10, c), GuaranteeState::kOpen);
  EXPECT_EQ(EvaluateGuarantee(kRequested, std::nullopt, kRequested + 11, c), GuaranteeState::kDueSoon);
  EXPECT_EQ(EvaluateGuarantee(kRequested, std::nullopt, kRequested + 14, c), GuaranteeState::kDueSoon);
  EXPECT_EQ(EvaluateGuarantee(kRequested, std::nullopt, kRequested + 15, c), GuaranteeState::kOverdue);
}

}  // namespace
}  // namespace ips::treatment
