#include "services/treatment/domain/minimal_status.h"

#include <gtest/gtest.h>

namespace ips::treatment {
namespace {

const absl::CivilDay kDay(2026, 4, 1);

TEST(MinimalStatusTest, NoneBeforeAnything) {
  auto s = DeriveMinimalStatus({}, {}, kDay);
  EXPECT_EQ(s.status, MinimalStatus::kNone);
  EXPECT_FALSE(s.since.has_value());
  // Facts after the date asked about do not count yet.
  EXPECT_EQ(DeriveMinimalStatus({{kDay + 1}}, {}, kDay).status, MinimalStatus::kNone);
}

TEST(MinimalStatusTest, ReferredThenInTreatmentThenEnded) {
  std::vector<ReferralFact> referrals = {{kDay}};
  std::vector<EpisodeFact> episodes = {{kDay + 10, kDay + 100}};
  auto referred = DeriveMinimalStatus(referrals, episodes, kDay + 5);
  EXPECT_EQ(referred.status, MinimalStatus::kReferred);
  EXPECT_EQ(referred.since, kDay);
  auto treated = DeriveMinimalStatus(referrals, episodes, kDay + 10);
  EXPECT_EQ(treated.status, MinimalStatus::kInTreatment);
  EXPECT_EQ(treated.since, kDay + 10);
  // On its end date the episode counts as ended.
  auto ended = DeriveMinimalStatus(referrals, episodes, kDay + 100);
  EXPECT_EQ(ended.status, MinimalStatus::kEnded);
  EXPECT_EQ(ended.since, kDay + 100);
}

TEST(MinimalStatusTest, NewReferralAfterAnEndedEpisode) {
  std::vector<ReferralFact> referrals = {{kDay}, {kDay + 120}};
  std::vector<EpisodeFact> episodes = {{kDay + 10, kDay + 100}};
  auto s = DeriveMinimalStatus(referrals, episodes, kDay + 130);
  EXPECT_EQ(s.status, MinimalStatus::kReferred);
  EXPECT_EQ(s.since, kDay + 120);
}

TEST(MinimalStatusTest, OpenEpisodeIsInTreatment) {
  auto s = DeriveMinimalStatus({}, {{kDay, std::nullopt}}, kDay + 400);
  EXPECT_EQ(s.status, MinimalStatus::kInTreatment);
  EXPECT_EQ(s.since, kDay);
}

}  // namespace
}  // namespace ips::treatment
