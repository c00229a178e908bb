// The placement rules as pure functions: hours, changes of hours, the
// conversion chain, the end, and the days from enrolment.
#include "services/matching/domain/placement_rules.h"

#include <gtest/gtest.h>

namespace ips::matching {
namespace {

const absl::CivilDay kStart(2026, 3, 2);

PlacementFacts Running(OpeningKind kind) {
  PlacementFacts p;
  p.kind = kind;
  p.start = kStart;
  p.hours = {{kStart, 25}};
  return p;
}

TEST(PlacementRulesTest, WeeklyHoursAreOneToFortyEight) {
  EXPECT_TRUE(CheckHours(0, "h"));
  EXPECT_FALSE(CheckHours(1, "h"));
  EXPECT_FALSE(CheckHours(48, "h"));
  auto breach = CheckHours(49, "h");
  ASSERT_TRUE(breach);
  EXPECT_EQ(breach->field, "h");
}

TEST(PlacementRulesTest, HoursChangeAfterTheLastChangeOnly) {
  auto p = Running(OpeningKind::kCompanyInternship);
  EXPECT_EQ(CheckHoursChange(p, {kStart, 37})->field, "change.effective_date");
  EXPECT_FALSE(CheckHoursChange(p, {kStart + 1, 37}));
  p.hours.push_back({kStart + 14, 37});
  EXPECT_EQ(CheckHoursChange(p, {kStart + 14, 30})->field, "change.effective_date");
  EXPECT_EQ(CheckHoursChange(p, {kStart + 20, 60})->field, "change.hours_per_week");
  p.running = false;
  EXPECT_EQ(CheckHoursChange(p, {kStart + 30, 30})->field, "name");
}

TEST(PlacementRulesTest, ConversionMovesUpTheChain) {
  using K = OpeningKind;
  const std::vector<K> kinds = {K::kCompanyInternship, K::kWageSubsidyJob, K::kSmallJob, K::kPartTimeJob,
                                K::kFlexJob,           K::kOrdinaryJob,    K::kEducation};
  // Every pair: allowed exactly when the target is higher up the chain, or
  // education after an internship or wage-subsidy job.
  for (K from : kinds) {
    for (K to : kinds) {
      const bool expected = to == K::kEducation
                                ? (from == K::kCompanyInternship || from == K::kWageSubsidyJob)
                                : (from != K::kEducation && ChainStep(to) > ChainStep(from));
      auto breach = CheckConversion(Running(from), to, kStart + 7);
      EXPECT_EQ(!breach, expected) << static_cast<int>(from) << " -> " << static_cast<int>(to);
      if (breach) {
        EXPECT_EQ(breach->field, "kind");
      }
    }
  }
  EXPECT_FALSE(CheckConversion(Running(K::kCompanyInternship), K::kWageSubsidyJob, kStart + 1));
  EXPECT_TRUE(CheckConversion(Running(K::kCompanyInternship), K::kOrdinaryJob, kStart + 1) == std::nullopt);
}

TEST(PlacementRulesTest, ConversionStartsAfterTheLastChange) {
  auto p = Running(OpeningKind::kCompanyInternship);
  p.hours.push_back({kStart + 10, 37});
  EXPECT_EQ(CheckConversion(p, OpeningKind::kWageSubsidyJob, kStart + 10)->field, "start_date");
  EXPECT_FALSE(CheckConversion(p, OpeningKind::kWageSubsidyJob, kStart + 11));
  p.running = false;
  EXPECT_EQ(CheckConversion(p, OpeningKind::kWageSubsidyJob, kStart + 30)->field, "name");
}

TEST(PlacementRulesTest, EndOnOrAfterTheLastChange) {
  auto p = Running(OpeningKind::kSmallJob);
  EXPECT_FALSE(CheckEnd(p, kStart));  // a one-day placement
  EXPECT_EQ(CheckEnd(p, kStart - 1)->field, "end_date");
  p.hours.push_back({kStart + 5, 10});
  EXPECT_EQ(CheckEnd(p, kStart + 4)->field, "end_date");
  EXPECT_FALSE(CheckEnd(p, kStart + 5));
  p.running = false;
  EXPECT_EQ(CheckEnd(p, kStart + 9)->field, "name");
}

TEST(PlacementRulesTest, DaysFromEnrollment) {
  EXPECT_EQ(DaysFromEnrollment(kStart, kStart), 0);
  EXPECT_EQ(DaysFromEnrollment(kStart, kStart + 30), 30);  // within a month
  EXPECT_EQ(DaysFromEnrollment(absl::CivilDay(2025, 12, 15), absl::CivilDay(2026, 1, 14)), 30);
  EXPECT_EQ(DaysFromEnrollment(kStart, kStart - 1), std::nullopt);
}

TEST(PlacementRulesTest, APlacementStartsOnOrAfterTheCoursesStart) {
  EXPECT_EQ(CheckStartInCourse(kStart, kStart), std::nullopt);
  EXPECT_EQ(CheckStartInCourse(kStart, kStart + 40), std::nullopt);
  auto before = CheckStartInCourse(kStart, kStart - 1);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->field, "placement.start_date");
  EXPECT_EQ(before->rule, "must be on or after the course's start (2026-03-02)");
}

TEST(PlacementRulesTest, AContactOnACitizensBehalfFallsOnOrAfterTheCoursesStart) {
  EXPECT_EQ(CheckContactInCourse(kStart, kStart), std::nullopt);
  EXPECT_EQ(CheckContactInCourse(kStart, kStart + 1), std::nullopt);
  auto before = CheckContactInCourse(kStart, kStart - 1);
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->field, "contact.contact_date");
  EXPECT_EQ(before->rule, "must be on or after the course's start (2026-03-02)");
}

TEST(PlacementRulesTest, AnOpeningTakesPlacementsOfItsKindWhileOpenAndTheLastSlotFillsIt) {
  EXPECT_EQ(FitToOpening(true, OpeningKind::kWageSubsidyJob, OpeningKind::kWageSubsidyJob),
            OpeningFit::kFits);
  EXPECT_EQ(FitToOpening(true, OpeningKind::kWageSubsidyJob, OpeningKind::kOrdinaryJob),
            OpeningFit::kOtherKind);
  EXPECT_EQ(FitToOpening(false, OpeningKind::kWageSubsidyJob, OpeningKind::kWageSubsidyJob),
            OpeningFit::kNotOpen);
  EXPECT_FALSE(TakesLastSlot(0, 2));
  EXPECT_TRUE(TakesLastSlot(1, 2));
  EXPECT_TRUE(TakesLastSlot(0, 1));
}

}  // namespace
}  // namespace ips::matching
