#include "services/registry/domain/conversation_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "services/registry/domain/outcome_catalogue.h"

namespace ips::registry {
namespace {

const absl::CivilDay kStart(2026, 1, 5);

ConversationSchedule Lab2019() { return {"LAB-2019", absl::CivilDay(2019, 1, 1), {7, 61, 122, 183}}; }

TEST(ConversationPlanTest, DueDatesFollowTheSchedule) {
  auto due = PlanDueDates(Lab2019(), kStart);
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0], absl::CivilDay(2026, 1, 12));
  EXPECT_EQ(due[3], kStart + 183);
}

TEST(ConversationPlanTest, ScheduleVersionByStartDate) {
  std::vector<ConversationSchedule> all = {Lab2019(), {"REFORM", absl::CivilDay(2026, 7, 1), {14, 90}}};
  EXPECT_EQ(ScheduleFor(all, absl::CivilDay(2026, 6, 30))->version, "LAB-2019");
  EXPECT_EQ(ScheduleFor(all, absl::CivilDay(2026, 7, 1))->version, "REFORM");
  EXPECT_FALSE(ScheduleFor(all, absl::CivilDay(2018, 12, 31)).ok());
}

TEST(ConversationPlanTest, HeldOnOrBeforeDueIsMet) {
  auto due = PlanDueDates(Lab2019(), kStart);
  std::vector<HeldConversation> held = {
      {kStart + 7, "a"}, {kStart + 30, "b"}, {kStart + 100, "c"}, {kStart + 183, "d"}};
  auto out = EvaluatePlan(due, held, kStart + 200);
  for (const auto& o : out) EXPECT_EQ(o.state, DueState::kMet);
  EXPECT_EQ(out[0].met_by, "a");
  EXPECT_EQ(out[3].met_by, "d");
}

TEST(ConversationPlanTest, LateConversationMissesItsDueDateButCountsForTheNext) {
  auto due = PlanDueDates(Lab2019(), kStart);
  std::vector<HeldConversation> held = {{kStart + 8, "late"}};
  auto out = EvaluatePlan(due, held, kStart + 70);
  EXPECT_EQ(out[0].state, DueState::kMissed);
  EXPECT_EQ(out[1].state, DueState::kMet);
  EXPECT_EQ(out[1].met_by, "late");
  EXPECT_EQ(out[2].state, DueState::kPending);
}

TEST(ConversationPlanTest, PendingUntilTheDueDatePasses) {
  auto due = PlanDueDates(Lab2019(), kStart);
  auto on_due_day = EvaluatePlan(due, {}, kStart + 7);
  EXPECT_EQ(on_due_day[0].state, DueState::kPending);
  auto day_after = EvaluatePlan(due, {}, kStart + 8);
  EXPECT_EQ(day_after[0].state, DueState::kMissed);
}

TEST(ConversationPlanTest, EachConversationMeetsOneDueDate) {
  auto due = PlanDueDates(Lab2019(), kStart);
  // Two conversations in the first week meet the first two due dates only.
  auto out = EvaluatePlan(due, {{kStart + 1, "a"}, {kStart + 3, "b"}}, kStart + 150);
  EXPECT_EQ(out[0].state, DueState::kMet);
  EXPECT_EQ(out[1].state, DueState::kMet);
  EXPECT_EQ(out[2].state, DueState::kMissed);
  EXPECT_EQ(out[3].state, DueState::kPending);
}

TEST(OutcomeCatalogueTest, VersionedByCourseStart) {
  std::vector<OutcomeCatalogue> catalogues = {{absl::CivilDay(2019, 1, 1), {1, 6}},
                                              {absl::CivilDay(2026, 7, 1), {1}}};
  EXPECT_TRUE(OutcomeAllowed(catalogues, absl::CivilDay(2026, 6, 30), 6));
  EXPECT_FALSE(OutcomeAllowed(catalogues, absl::CivilDay(2026, 7, 1), 6));
  EXPECT_TRUE(OutcomeAllowed(catalogues, absl::CivilDay(2026, 7, 1), 1));
  EXPECT_FALSE(OutcomeAllowed(catalogues, absl::CivilDay(2018, 1, 1), 1));
}

// TallyPlan is EvaluatePlan counted (reporting judges every course with
// it): over random plans and conversations the two agree.
TEST(ConversationPlanTest, TallyCountsWhatEvaluatePlanJudges) {
  std::mt19937 rng(20261123);
  const absl::CivilDay epoch(1970, 1, 1);
  for (int round = 0; round < 2000; ++round) {
    std::vector<absl::CivilDay> due;
    std::vector<int> due_days;
    for (int k = 0, n = static_cast<int>(rng() % 7); k < n; ++k)
      due.push_back(kStart + static_cast<int>(rng() % 200));
    std::sort(due.begin(), due.end());
    for (auto d : due) due_days.push_back(static_cast<int>(d - epoch));
    std::vector<HeldConversation> held;
    std::vector<int> held_days;
    for (int k = 0, n = static_cast<int>(rng() % 9); k < n; ++k) {
      const absl::CivilDay d = kStart + static_cast<int>(rng() % 220) - 10;
      held.push_back({d, std::to_string(k)});
      held_days.push_back(static_cast<int>(d - epoch));
    }
    const absl::CivilDay as_of = kStart + static_cast<int>(rng() % 240);
    int judged = 0, met = 0;
    for (const auto& d : EvaluatePlan(due, held, as_of)) {
      judged += d.state != DueState::kPending;
      met += d.state == DueState::kMet;
    }
    const PlanTally tally = TallyPlan(due_days, held_days, static_cast<int>(as_of - epoch));
    ASSERT_EQ(tally.judged, judged) << "round " << round;
    ASSERT_EQ(tally.met, met) << "round " << round;
  }
}

}  // namespace
}  // namespace ips::registry
