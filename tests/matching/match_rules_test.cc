// The matching rules on hand-made cases: each accommodation and
// requirement excludes exactly what it should, and each criterion's points
// are the hand-computed figure.
#include <gtest/gtest.h>

#include "services/matching/domain/hard_constraints.h"
#include "services/matching/domain/match_score.h"

namespace ips::matching {
namespace {

Opening Plain() {
  Opening o;
  o.id = "op-1";
  o.employer_id = "emp-1";
  o.industry = "food service";
  o.title = "kitchen assistant";
  o.min_hours = 10;
  o.max_hours = 25;
  o.location = {55.650, 12.540};
  return o;
}

TEST(HardConstraintsTest, EachAccommodationExcludesItsWorkAndNothingElse) {
  struct Row {
    Accommodation need;
    void (*make_bad)(Opening&);
    Exclusion expected;
  };
  const Row rows[] = {
      {Accommodation::kNoHeavyLifting, [](Opening& o) { o.demand = PhysicalDemand::kHeavy; },
       Exclusion::kHeavyWork},
      {Accommodation::kDayShiftsOnly, [](Opening& o) { o.shift = ShiftPattern::kEvening; },
       Exclusion::kNotDayShift},
      {Accommodation::kDayShiftsOnly, [](Opening& o) { o.shift = ShiftPattern::kRotating; },
       Exclusion::kNotDayShift},
      {Accommodation::kNoAlcoholServingWorkplace, [](Opening& o) { o.serves_alcohol = true; },
       Exclusion::kServesAlcohol},
      {Accommodation::kGradualStart, [](Opening& o) { o.gradual_start_possible = false; },
       Exclusion::kNoGradualStart},
      {Accommodation::kLimitedCustomerContact, [](Opening& o) { o.customer_facing = true; },
       Exclusion::kCustomerFacing},
  };
  for (const auto& r : rows) {
    JobProfile p;
    p.accommodations = {r.need};
    Opening fine = Plain();
    fine.gradual_start_possible = true;
    EXPECT_TRUE(Admissible(p, fine)) << Describe(r.expected);
    Opening bad = fine;
    r.make_bad(bad);
    EXPECT_EQ(Exclusions(p, bad), std::vector<Exclusion>{r.expected});
    EXPECT_FALSE(Admissible(p, bad));
    // Without the accommodation the same opening is fine.
    EXPECT_TRUE(Admissible(JobProfile{}, bad)) << Describe(r.expected);
  }
  // Moderate work is not heavy.
  JobProfile p;
  p.accommodations = {Accommodation::kNoHeavyLifting};
  Opening moderate = Plain();
  moderate.demand = PhysicalDemand::kModerate;
  EXPECT_TRUE(Admissible(p, moderate));
}

TEST(HardConstraintsTest, RequirementsAndHoursExclude) {
  JobProfile p;
  p.driving_licence = false;
  p.speaks_danish = false;
  p.max_hours = 15;
  Opening o = Plain();
  o.requires_driving_licence = true;
  o.requires_danish = true;
  o.min_hours = 20;
  EXPECT_EQ(Exclusions(p, o), (std::vector<Exclusion>{Exclusion::kNeedsDrivingLicence,
                                                      Exclusion::kNeedsDanish, Exclusion::kTooManyHours}));
  o.min_hours = 15;  // the maximum itself is fine
  p.driving_licence = p.speaks_danish = true;
  EXPECT_TRUE(Admissible(p, o));
  p.max_hours = 0;  // no limit
  o.min_hours = 37;
  EXPECT_TRUE(Admissible(p, o));
}

TEST(MatchScoreTest, PointsAreTheHandComputedFigures) {
  const ScoringConfig c;  // weights 350, 200, 200, 150, 100
  JobProfile p;
  p.goal_industries = {"food service"};
  p.goal_titles = {"dishwasher"};
  p.preferred_hours = 30;
  p.home = {55.650, 12.540};
  p.max_travel_km = 10;
  Opening o = Plain();  // kitchen assistant, food service, 10-25 h, at home, employer with no hires
  auto with_hires = [](Opening op, int hires) {
    op.employer.hires_from_programme = hires;
    return op;
  };

  // Industry only: 70 % of 350 = 245. Hours: 30 wanted, 5 over 25 → 1 - 5/30 → 167 (166.67 rounded).
  // Travel 0 km: 200. Record 0: 0. Network: 0.
  EXPECT_EQ(ScorePoints(p, o, c), (Points{245, 167, 200, 0, 0}));
  // Title match: 350; record 2 of 3: 100; in the network: 100.
  p.goal_titles = {"kitchen"};
  p.network_employer_ids = {"emp-1"};
  EXPECT_EQ(ScorePoints(p, with_hires(o, 2), c), (Points{350, 167, 200, 100, 100}));
  EXPECT_EQ(ScorePoints(p, with_hires(o, 7), c)[static_cast<int>(Criterion::kEmployerRecord)],
            150);  // capped
  EXPECT_EQ(Total(ScorePoints(p, with_hires(o, 2), c)), 917);

  // Travel: full within half the limit (5 km), none at the limit, linear between.
  const double km_per_lat_degree = 110.574;
  o.location = {55.650 + 7.5 / km_per_lat_degree, 12.540};  // 7.5 km north
  EXPECT_NEAR(DistanceKm(p.home, o.location), 7.5, 1e-9);
  EXPECT_EQ(ScorePoints(p, o, c)[static_cast<int>(Criterion::kTravel)], 100);
  o.location = {55.650 + 12 / km_per_lat_degree, 12.540};
  EXPECT_EQ(ScorePoints(p, o, c)[static_cast<int>(Criterion::kTravel)], 0);

  // No goals, no hour preference, no travel limit: neutral goal, full hours and travel.
  JobProfile blank;
  EXPECT_EQ(ScorePoints(blank, Plain(), c), (Points{175, 200, 200, 0, 0}));
  // Preferred hours inside the range: full.
  blank.preferred_hours = 20;
  EXPECT_EQ(ScorePoints(blank, Plain(), c)[static_cast<int>(Criterion::kHoursFit)], 200);
  blank.preferred_hours = 5;  // 5 under the minimum of 10: 1 - 5/5 = 0
  EXPECT_EQ(ScorePoints(blank, Plain(), c)[static_cast<int>(Criterion::kHoursFit)], 0);
}

TEST(MatchScoreTest, ExplanationsCarryThePointsAndSayWhy) {
  const ScoringConfig c;
  JobProfile p;
  p.goal_titles = {"kitchen"};
  p.preferred_hours = 30;
  p.home = {55.650, 12.540};
  p.max_travel_km = 10;
  Opening o = Plain();
  o.employer.hires_from_programme = 1;
  auto criteria = Explain(p, o, c);
  ASSERT_EQ(criteria.size(), 5u);
  const Points points = ScorePoints(p, o, c);
  for (int i = 0; i < kCriteria; ++i) {
    EXPECT_EQ(criteria[i].criterion, static_cast<Criterion>(i));
    EXPECT_EQ(criteria[i].points, points[i]);
    EXPECT_EQ(criteria[i].max_points, c.weight[i]);
    EXPECT_FALSE(criteria[i].reason.empty());
  }
  EXPECT_EQ(criteria[0].reason, "title \"kitchen assistant\" matches a job goal");
  EXPECT_EQ(criteria[1].reason, "30 h preferred, 5 h outside 10-25 h");
  EXPECT_EQ(criteria[2].reason, "0.0 km from home; limit 10 km");
  EXPECT_EQ(criteria[3].reason, "employer has hired 1 from the programme");
}

}  // namespace
}  // namespace ips::matching
