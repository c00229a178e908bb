// Properties of ranking over seeded random openings and profiles: no
// result ever violates an accommodation or requirement (checked by an
// independent rule here, not by the code under test), the scores explain
// the order, and the same input gives the same order, whatever the order
// of the input.
#include <gtest/gtest.h>

#include <algorithm>

#include "services/matching/domain/ranking.h"
#include "tests/support/random_matching.h"

namespace ips::matching {
namespace {

// The accommodations and requirements restated from the issue, to check the
// implementation against.
bool Violates(const JobProfile& p, const Opening& o) {
  auto has = [&](Accommodation a) { return p.accommodations.count(a) > 0; };
  return (has(Accommodation::kNoHeavyLifting) && o.demand == PhysicalDemand::kHeavy) ||
         (has(Accommodation::kDayShiftsOnly) && o.shift != ShiftPattern::kDay) ||
         (has(Accommodation::kNoAlcoholServingWorkplace) && o.serves_alcohol) ||
         (has(Accommodation::kGradualStart) && !o.gradual_start_possible) ||
         (has(Accommodation::kLimitedCustomerContact) && o.customer_facing) ||
         (o.requires_driving_licence && !p.driving_licence) || (o.requires_danish && !p.speaks_danish) ||
         (p.max_hours > 0 && o.min_hours > p.max_hours);
}

class RankingPropertyTest : public ::testing::TestWithParam<uint32_t> {};

TEST_P(RankingPropertyTest, ResultsAreAdmissibleExplainedAndDeterministic) {
  ips::testing::RandomMatching gen(GetParam());
  constexpr int kEmployers = 200;
  std::vector<Opening> openings;
  for (int i = 0; i < 3000; ++i) openings.push_back(gen.Opening(i, kEmployers));
  const ScoringConfig config;
  std::vector<Opening> shuffled = openings;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(GetParam() + 1));

  int full_pages = 0, with_exclusions = 0;
  for (int n = 0; n < 40; ++n) {
    const JobProfile p = gen.Profile(n, kEmployers);
    size_t counted = 0;
    const auto ranked = RankOpenings(p, openings, config, 50, &counted);
    size_t admissible = 0;
    for (const auto& o : openings) admissible += !Violates(p, o);
    EXPECT_EQ(counted, admissible);
    full_pages += ranked.size() == 50;
    with_exclusions += admissible < openings.size();
    EXPECT_EQ(ranked.size(), std::min<size_t>(50, admissible));
    for (size_t i = 0; i < ranked.size(); ++i) {
      const auto& r = ranked[i];
      EXPECT_FALSE(Violates(p, *r.opening)) << r.opening->id;
      int sum = 0;
      for (const auto& c : r.criteria) {
        EXPECT_GE(c.points, 0);
        EXPECT_LE(c.points, c.max_points);
        sum += c.points;
      }
      EXPECT_EQ(sum, r.total) << "the criteria explain the score";
      if (i > 0) {
        const auto& prev = ranked[i - 1];
        EXPECT_TRUE(prev.total > r.total || (prev.total == r.total && prev.opening->id < r.opening->id))
            << "order by score, then id";
      }
    }
    // Nothing left out scores higher than the last one returned.
    if (!ranked.empty() && ranked.size() == 50) {
      for (const auto& o : openings) {
        if (Violates(p, o)) continue;
        const int total = Total(ScorePoints(p, o, config));
        const bool returned = std::any_of(ranked.begin(), ranked.end(),
                                          [&](const RankedOpening& r) { return r.opening->id == o.id; });
        if (!returned) {
          EXPECT_TRUE(total < ranked.back().total ||
                      (total == ranked.back().total && o.id > ranked.back().opening->id))
              << o.id;
        }
      }
    }
    // Same input, same order; input order does not matter.
    const auto again = RankOpenings(p, openings, config, 50);
    const auto from_shuffled = RankOpenings(p, shuffled, config, 50);
    ASSERT_EQ(again.size(), ranked.size());
    ASSERT_EQ(from_shuffled.size(), ranked.size());
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_EQ(again[i].opening->id, ranked[i].opening->id);
      EXPECT_EQ(from_shuffled[i].opening->id, ranked[i].opening->id);
      EXPECT_EQ(from_shuffled[i].total, ranked[i].total);
    }
  }
  // The random cases exercise both sides: full pages and exclusions.
  EXPECT_GT(full_pages, 10);
  EXPECT_GT(with_exclusions, 30);
}

TEST_P(RankingPropertyTest, CandidatesForAnOpeningFollowTheSameRules) {
  ips::testing::RandomMatching gen(GetParam());
  std::vector<JobProfile> caseload;
  for (int i = 0; i < 300; ++i) caseload.push_back(gen.Profile(i, 50));
  const ScoringConfig config;
  for (int n = 0; n < 30; ++n) {
    const Opening o = gen.Opening(n, 50);
    const auto ranked = RankCandidates(o, caseload, config, 25);
    for (size_t i = 0; i < ranked.size(); ++i) {
      EXPECT_FALSE(Violates(*ranked[i].profile, o));
      int sum = 0;
      for (const auto& c : ranked[i].criteria) sum += c.points;
      EXPECT_EQ(sum, ranked[i].total);
      if (i > 0) {
        EXPECT_TRUE(ranked[i - 1].total > ranked[i].total ||
                    (ranked[i - 1].total == ranked[i].total &&
                     ranked[i - 1].profile->citizen_id < ranked[i].profile->citizen_id));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RankingPropertyTest, ::testing::Values(1u, 2u, 3u, 20261123u));

}  // namespace
}  // namespace ips::matching
