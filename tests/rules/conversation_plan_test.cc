// The job conversation plans of each rules version and the timeliness rule
// the registry and reporting share, with dates worked out by hand.
#include "services/rules/conversation_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "services/common/jwt_verifier.h"
#include "services/rules/rule_book_json.h"
#include "tests/support/test_env.h"

namespace ips::rules {
namespace {

using D = absl::CivilDay;

// The rules the registry ships.
const RuleBook& Shipped() {
  static const RuleBook book =
      *ParseRuleBook(*ReadFile(testing::SourceDir() + "/services/registry/rules.json"));
  return book;
}

std::vector<D> Plan(D start, MatchGroup group = MatchGroup::kActivityReady) {
  const RuleVersion* v = VersionOn(Shipped(), start).version;
  EXPECT_NE(v, nullptr);
  return PlanDueDates(*PlanFor(*v, group), start);
}

TEST(ConversationPlanTest, MonthsAreCalendarMonthsClampedToTheMonthsLastDay) {
  EXPECT_EQ(AddPeriod(D(2021, 10, 26), {6, 0}), D(2022, 4, 26));
  EXPECT_EQ(AddPeriod(D(2026, 1, 31), {1, 0}), D(2026, 2, 28));
  EXPECT_EQ(AddPeriod(D(2028, 1, 31), {1, 0}), D(2028, 2, 29));  // leap year
  EXPECT_EQ(AddPeriod(D(2025, 8, 31), {6, 0}), D(2026, 2, 28));
  EXPECT_EQ(AddPeriod(D(2025, 8, 30), {6, 0}), D(2026, 2, 28));
  EXPECT_EQ(AddPeriod(D(2025, 8, 29), {6, 0}), D(2026, 2, 28));
  EXPECT_EQ(AddPeriod(D(2025, 8, 28), {6, 0}), D(2026, 2, 28));
  EXPECT_EQ(AddPeriod(D(2025, 10, 31), {2, 0}), D(2025, 12, 31));
  EXPECT_EQ(AddPeriod(D(2024, 2, 29), {12, 0}), D(2025, 2, 28));
  EXPECT_EQ(AddPeriod(D(2024, 2, 29), {1, 0}), D(2024, 3, 29));
  EXPECT_EQ(AddPeriod(D(2026, 12, 28), {0, 7}), D(2027, 1, 4));  // a week is 7 days
}

// LAB-2019 (courses started before 1 July 2026): the first within a week,
// then 2, 4 and 6 calendar months.
TEST(ConversationPlanTest, Lab2019ByCalendarMonths) {
  // The case that showed the day count wrong: the fourth fell on 27 April.
  EXPECT_EQ(Plan(D(2021, 10, 26)),
            (std::vector<D>{D(2021, 11, 2), D(2021, 12, 26), D(2022, 2, 26), D(2022, 4, 26)}));
  EXPECT_EQ(Plan(D(2025, 8, 28)),
            (std::vector<D>{D(2025, 9, 4), D(2025, 10, 28), D(2025, 12, 28), D(2026, 2, 28)}));
  EXPECT_EQ(Plan(D(2025, 8, 29)),
            (std::vector<D>{D(2025, 9, 5), D(2025, 10, 29), D(2025, 12, 29), D(2026, 2, 28)}));
  EXPECT_EQ(Plan(D(2025, 8, 30)),
            (std::vector<D>{D(2025, 9, 6), D(2025, 10, 30), D(2025, 12, 30), D(2026, 2, 28)}));
  EXPECT_EQ(Plan(D(2025, 8, 31)),
            (std::vector<D>{D(2025, 9, 7), D(2025, 10, 31), D(2025, 12, 31), D(2026, 2, 28)}));
  EXPECT_EQ(Plan(D(2025, 12, 31)),
            (std::vector<D>{D(2026, 1, 7), D(2026, 2, 28), D(2026, 4, 30), D(2026, 6, 30)}));
  // 29 February of a leap year.
  EXPECT_EQ(Plan(D(2024, 2, 29)),
            (std::vector<D>{D(2024, 3, 7), D(2024, 4, 29), D(2024, 6, 29), D(2024, 8, 29)}));
}

// REFORM-2026-02 keeps LAB 2019's plan (it changes outcomes only);
// CONTACT-2026-07 gives activity-ready citizens the programme's monthly
// plan and job-ready ones four within six months.
TEST(ConversationPlanTest, AcrossTheVersionBoundariesOf2026) {
  EXPECT_EQ(VersionOn(Shipped(), D(2026, 1, 31)).version->id, "LAB-2019");
  EXPECT_EQ(VersionOn(Shipped(), D(2026, 2, 1)).version->id, "REFORM-2026-02");
  EXPECT_EQ(VersionOn(Shipped(), D(2026, 6, 30)).version->id, "REFORM-2026-02");
  EXPECT_EQ(VersionOn(Shipped(), D(2026, 7, 1)).version->id, "CONTACT-2026-07");
  EXPECT_EQ(Plan(D(2026, 6, 30)),
            (std::vector<D>{D(2026, 7, 7), D(2026, 8, 30), D(2026, 10, 30), D(2026, 12, 30)}));
  EXPECT_EQ(Plan(D(2026, 7, 31)),
            (std::vector<D>{D(2026, 8, 7), D(2026, 8, 31), D(2026, 9, 30), D(2026, 10, 31), D(2026, 11, 30),
                            D(2026, 12, 31), D(2027, 1, 31)}));
  EXPECT_EQ(Plan(D(2026, 8, 29)),
            (std::vector<D>{D(2026, 9, 5), D(2026, 9, 29), D(2026, 10, 29), D(2026, 11, 29), D(2026, 12, 29),
                            D(2027, 1, 29), D(2027, 2, 28)}));
  EXPECT_EQ(Plan(D(2026, 7, 31), MatchGroup::kJobReady),
            (std::vector<D>{D(2026, 8, 7), D(2026, 9, 30), D(2026, 11, 30), D(2027, 1, 31)}));
  // 1 January 2027's rules are announced, not known: the last known version
  // judges, provisionally.
  const InForce in2027 = VersionOn(Shipped(), D(2027, 1, 1));
  EXPECT_EQ(in2027.version->id, "CONTACT-2026-07");
  ASSERT_NE(in2027.not_yet_known, nullptr);
  EXPECT_EQ(in2027.not_yet_known->expected_from, D(2027, 1, 1));
  EXPECT_EQ(VersionOn(Shipped(), D(2026, 12, 31)).not_yet_known, nullptr);
  EXPECT_EQ(VersionOn(Shipped(), D(2018, 12, 31)).version, nullptr);
}

TEST(ConversationPlanTest, HeldOnOrBeforeDueIsMet) {
  const D start(2026, 1, 5);
  auto due = Plan(start);
  std::vector<HeldConversation> held = {
      {start + 7, "a"}, {start + 30, "b"}, {start + 100, "c"}, {D(2026, 7, 5), "d"}};
  auto out = EvaluatePlan(due, held, start + 200);
  for (const auto& o : out) EXPECT_EQ(o.state, DueState::kMet);
  EXPECT_EQ(out[0].met_by, "a");
  EXPECT_EQ(out[3].met_by, "d");
  // One day after six calendar months is late.
  held.back().date = D(2026, 7, 6);
  EXPECT_EQ(EvaluatePlan(due, held, start + 200)[3].state, DueState::kMissed);
}

TEST(ConversationPlanTest, LateConversationMissesItsDueDateButCountsForTheNext) {
  const D start(2026, 1, 5);
  auto out = EvaluatePlan(Plan(start), {{start + 8, "late"}}, start + 70);
  EXPECT_EQ(out[0].state, DueState::kMissed);
  EXPECT_EQ(out[1].state, DueState::kMet);
  EXPECT_EQ(out[1].met_by, "late");
  EXPECT_EQ(out[2].state, DueState::kPending);
}

TEST(ConversationPlanTest, PendingUntilTheDueDatePasses) {
  const D start(2026, 1, 5);
  EXPECT_EQ(EvaluatePlan(Plan(start), {}, start + 7)[0].state, DueState::kPending);
  EXPECT_EQ(EvaluatePlan(Plan(start), {}, start + 8)[0].state, DueState::kMissed);
}

TEST(ConversationPlanTest, EachConversationMeetsOneDueDate) {
  const D start(2026, 1, 5);
  auto out = EvaluatePlan(Plan(start), {{start + 1, "a"}, {start + 3, "b"}}, start + 150);
  EXPECT_EQ(out[0].state, DueState::kMet);
  EXPECT_EQ(out[1].state, DueState::kMet);
  EXPECT_EQ(out[2].state, DueState::kMissed);
  EXPECT_EQ(out[3].state, DueState::kPending);
}

// A course that ended owes nothing due after its end, and a conversation
// before the end no longer "meets" a due date after it.
TEST(ConversationPlanTest, AnEndedCourseIsJudgedOnlyUpToItsEnd) {
  const D start(2026, 1, 5), end(2026, 4, 1);
  auto due = Plan(start);  // 12 Jan, 5 Mar, 5 May, 5 Jul
  std::vector<HeldConversation> held = {{start + 2, "a"}, {D(2026, 3, 1), "b"}, {D(2026, 3, 20), "c"}};
  auto out = EvaluatePlan(due, held, end, end);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].state, DueState::kMet);
  EXPECT_EQ(out[1].state, DueState::kMet);
  // Without the end, "c" would meet May's due date.
  EXPECT_EQ(EvaluatePlan(due, held, end).size(), 4u);
  std::vector<int> due_days, held_days;
  for (auto d : due) due_days.push_back(static_cast<int>(d - D(1970, 1, 1)));
  for (const auto& h : held) held_days.push_back(static_cast<int>(h.date - D(1970, 1, 1)));
  const int end_day = static_cast<int>(end - D(1970, 1, 1));
  const PlanTally tally = TallyPlan(due_days, held_days, end_day, end_day);
  EXPECT_EQ(tally.judged, 2);
  EXPECT_EQ(tally.met, 2);
}

// TallyPlan is EvaluatePlan counted (reporting judges every course with
// it): over random plans, conversations and ends the two agree.
TEST(ConversationPlanTest, TallyCountsWhatEvaluatePlanJudges) {
  std::mt19937 rng(20261123);
  const D epoch(1970, 1, 1), start(2026, 1, 5);
  for (int round = 0; round < 2000; ++round) {
    std::vector<D> due;
    std::vector<int> due_days;
    for (int k = 0, n = static_cast<int>(rng() % 7); k < n; ++k)
      due.push_back(start + static_cast<int>(rng() % 200));
    std::sort(due.begin(), due.end());
    for (auto d : due) due_days.push_back(static_cast<int>(d - epoch));
    std::vector<HeldConversation> held;
    std::vector<int> held_days;
    for (int k = 0, n = static_cast<int>(rng() % 9); k < n; ++k) {
      const D d = start + static_cast<int>(rng() % 220) - 10;
      held.push_back({d, std::to_string(k)});
      held_days.push_back(static_cast<int>(d - epoch));
    }
    const D as_of = start + static_cast<int>(rng() % 240);
    std::optional<D> end;
    std::optional<int> end_day;
    if (rng() % 2) {
      end = as_of;
      end_day = static_cast<int>(as_of - epoch);
    }
    int judged = 0, met = 0;
    for (const auto& d : EvaluatePlan(due, held, as_of, end)) {
      judged += d.state != DueState::kPending;
      met += d.state == DueState::kMet;
    }
    const PlanTally tally = TallyPlan(due_days, held_days, static_cast<int>(as_of - epoch), end_day);
    ASSERT_EQ(tally.judged, judged) << "round " << round;
    ASSERT_EQ(tally.met, met) << "round " << round;
  }
}

}  // namespace
}  // namespace ips::rules
