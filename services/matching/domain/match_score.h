#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "services/matching/domain/match_model.h"

namespace ips::matching {

// The soft criteria of a match. Accommodations and requirements are not
// here: they are hard constraints (hard_constraints.h), never traded off.
enum class Criterion { kGoalFit, kHoursFit, kTravel, kEmployerRecord, kOwnNetwork };
inline constexpr int kCriteria = 5;

// Points are whole tenths, so totals are exact sums and equal scores are
// really equal (the order is then by id). A criterion's weight is its
// maximum; the defaults add up to 1000 (= 100.0 points).
struct ScoringConfig {
  std::array<int, kCriteria> weight = {350, 200, 200, 150, 100};
  // Hires from the programme at which the employer's record counts fully.
  int hires_for_full_record = 3;
  // A goal title found in the opening's title counts fully; the goal
  // industry alone counts this share (per mille).
  int industry_only_share = 700;
};

using Points = std::array<int, kCriteria>;
int Total(const Points& points);

struct CriterionScore {
  Criterion criterion;
  int points;
  int max_points;
  std::string reason;  // for the case worker, e.g. "3.2 km from home; limit 10 km"
};

// One citizen's profile prepared for scoring many openings (ranking calls
// it for every admissible opening, so the per-opening work is kept small).
class ProfileScorer {
 public:
  ProfileScorer(const JobProfile& profile, const ScoringConfig& config);

  // The points of each criterion for an admissible opening.
  Points Score(const Opening& opening) const;

  // The same points with a sentence for each criterion: why the opening
  // scored as it did.
  std::vector<CriterionScore> Explain(const Opening& opening) const;

 private:
  enum class GoalMatch { kNoGoals, kTitle, kIndustry, kNone };
  GoalMatch MatchGoal(const Opening& o) const;
  int HoursGap(const Opening& o) const;
  double DistanceFromHomeKm(const Opening& o) const;

  const JobProfile& profile_;
  const ScoringConfig& config_;
  double km_per_lon_degree_;  // at the home's latitude
  // The network as a flat list: a citizen names a handful of employers, and
  // comparing a few strings beats a tree walk for every opening.
  std::vector<std::string_view> network_;
};

// Convenience for single openings (tests, explanations).
Points ScorePoints(const JobProfile& profile, const Opening& opening, const ScoringConfig& config);
std::vector<CriterionScore> Explain(const JobProfile& profile, const Opening& opening,
                                    const ScoringConfig& config);

// Distance in kilometres from `from`, equirectangular at `from`'s latitude
// (exact enough within a city).
double DistanceKm(GeoPoint from, GeoPoint to);

}  // namespace ips::matching
