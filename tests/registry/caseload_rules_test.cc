// The registry's caseload rules and the team lead's override, by hand.
#include <gtest/gtest.h>

#include "services/registry/domain/caseload.h"
#include "services/registry/domain/enrolment_rules.h"

namespace ips::registry {
namespace {

TEST(CaseloadRulesTest, OwnCapWinsOverTheDefault) {
  EXPECT_EQ(EffectiveCap(0, 25), 25);
  EXPECT_EQ(EffectiveCap(12, 25), 12);
  EXPECT_EQ(EffectiveCap(30, 25), 30);
}

TEST(CaseloadRulesTest, LeastLoadedHasTheMostFreePlacesTiesToTheLowestId) {
  // b: 25 - 20 = 5 free; a: 10 - 4 = 6 free; c: 25 - 19 = 6 free.
  const std::vector<ConsultantLoad> loads = {{"b", 0, 20}, {"c", 0, 19}, {"a", 10, 4}};
  EXPECT_EQ(LeastLoaded(loads, 25), "a");
  EXPECT_EQ(LeastLoaded({{"b", 0, 20}, {"c", 0, 19}}, 25), "c");
  // A full caseload (or one over a lowered cap) takes nobody.
  EXPECT_EQ(LeastLoaded({{"a", 10, 10}, {"b", 5, 7}}, 25), std::nullopt);
  EXPECT_EQ(LeastLoaded({{"a", 10, 10}, {"b", 0, 24}}, 25), "b");
  EXPECT_EQ(LeastLoaded({}, 25), std::nullopt);
}

TEST(CaseloadRulesTest, RoomUntilTheCap) {
  EXPECT_EQ(RoomFor(true, 24, 25), Room::kYes);
  EXPECT_EQ(RoomFor(true, 25, 25), Room::kFull);
  EXPECT_EQ(RoomFor(true, 26, 25), Room::kFull);
  EXPECT_EQ(RoomFor(false, 0, 25), Room::kInactive);
}

TEST(EnrolmentRulesTest, OverrideOnlyByATeamLeadAndOnlyWhereARuleIsUnmet) {
  EXPECT_EQ(DecideOverride(false, false, true), OverrideVerdict::kNotNeeded);
  EXPECT_EQ(DecideOverride(false, true, true), OverrideVerdict::kNotNeeded);
  EXPECT_EQ(DecideOverride(false, false, false), OverrideVerdict::kRefusedUnmet);
  EXPECT_EQ(DecideOverride(false, true, false), OverrideVerdict::kRefusedUnmet);
  EXPECT_EQ(DecideOverride(true, true, false), OverrideVerdict::kOverridden);
  EXPECT_EQ(DecideOverride(true, true, true), OverrideVerdict::kNothingToOverride);
  // The role is checked first: a consultant's reason is refused whatever the rules say.
  EXPECT_EQ(DecideOverride(true, false, false), OverrideVerdict::kNeedsTeamLead);
  EXPECT_EQ(DecideOverride(true, false, true), OverrideVerdict::kNeedsTeamLead);
  EXPECT_TRUE(OverrideNeedsTeamLead(true, false));
  EXPECT_FALSE(OverrideNeedsTeamLead(true, true));
  EXPECT_FALSE(OverrideNeedsTeamLead(false, false));
}

}  // namespace
}  // namespace ips::registry
