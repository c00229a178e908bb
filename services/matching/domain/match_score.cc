#include "services/matching/domain/match_score.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ips::matching {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kKmPerLatDegree = 110.574;
constexpr double kKmPerLonDegreeAtEquator = 111.320;

double KmPerLonDegree(double lat) { return std::cos(lat * kPi / 180) * kKmPerLonDegreeAtEquator; }

// Planar distance with the longitude scale of the start point.
double PlanarKm(GeoPoint from, GeoPoint to, double km_per_lon_degree) {
  const double x = (to.lon - from.lon) * km_per_lon_degree;
  const double y = (to.lat - from.lat) * kKmPerLatDegree;
  return std::sqrt(x * x + y * y);
}

int Share(int weight, double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  return static_cast<int>(std::lround(weight * fraction));
}

constexpr int Index(Criterion c) { return static_cast<int>(c); }

}  // namespace

double DistanceKm(GeoPoint from, GeoPoint to) { return PlanarKm(from, to, KmPerLonDegree(from.lat)); }

int Total(const Points& points) {
  int total = 0;
  for (int v : points) total += v;
  return total;
}

ProfileScorer::ProfileScorer(const JobProfile& profile, const ScoringConfig& config)
    : profile_(profile),
      config_(config),
      km_per_lon_degree_(KmPerLonDegree(profile.home.lat)),
      network_(profile.network_employer_ids.begin(), profile.network_employer_ids.end()) {}

ProfileScorer::GoalMatch ProfileScorer::MatchGoal(const Opening& o) const {
  if (profile_.goal_titles.empty() && profile_.goal_industries.empty()) return GoalMatch::kNoGoals;
  for (const auto& t : profile_.goal_titles) {
    if (!t.empty() && o.title.find(t) != std::string::npos) return GoalMatch::kTitle;
  }
  for (const auto& i : profile_.goal_industries) {
    if (i == o.industry) return GoalMatch::kIndustry;
  }
  return GoalMatch::kNone;
}

// How far the preferred hours lie outside the opening's range (0 inside).
int ProfileScorer::HoursGap(const Opening& o) const {
  const int want = profile_.preferred_hours;
  if (want <= 0) return 0;
  if (want < o.min_hours) return o.min_hours - want;
  if (o.max_hours > 0 && want > o.max_hours) return want - o.max_hours;
  return 0;
}

double ProfileScorer::DistanceFromHomeKm(const Opening& o) const {
  return PlanarKm(profile_.home, o.location, km_per_lon_degree_);
}

Points ProfileScorer::Score(const Opening& o) const {
  const auto& w = config_.weight;
  Points points{};
  switch (MatchGoal(o)) {
    case GoalMatch::kTitle:
      points[Index(Criterion::kGoalFit)] = w[Index(Criterion::kGoalFit)];
      break;
    case GoalMatch::kIndustry:
      points[Index(Criterion::kGoalFit)] =
          Share(w[Index(Criterion::kGoalFit)], config_.industry_only_share / 1000.0);
      break;
    case GoalMatch::kNoGoals:  // no goal stated: neutral
      points[Index(Criterion::kGoalFit)] = Share(w[Index(Criterion::kGoalFit)], 0.5);
      break;
    case GoalMatch::kNone:
      break;
  }
  points[Index(Criterion::kHoursFit)] =
      profile_.preferred_hours <= 0
          ? w[Index(Criterion::kHoursFit)]
          : Share(w[Index(Criterion::kHoursFit)],
                  1.0 - static_cast<double>(HoursGap(o)) / profile_.preferred_hours);
  // Travel: full within half the citizen's limit, none at or beyond it.
  if (profile_.max_travel_km <= 0) {
    points[Index(Criterion::kTravel)] = w[Index(Criterion::kTravel)];
  } else {
    const double half = profile_.max_travel_km / 2, km = DistanceFromHomeKm(o);
    points[Index(Criterion::kTravel)] =
        km <= half ? w[Index(Criterion::kTravel)]
                   : Share(w[Index(Criterion::kTravel)], (profile_.max_travel_km - km) / half);
  }
  points[Index(Criterion::kEmployerRecord)] =
      config_.hires_for_full_record <= 0
          ? w[Index(Criterion::kEmployerRecord)]
          : Share(w[Index(Criterion::kEmployerRecord)],
                  static_cast<double>(o.employer.hires_from_programme) / config_.hires_for_full_record);
  for (std::string_view id : network_) {
    if (id == o.employer_id) {
      points[Index(Criterion::kOwnNetwork)] = w[Index(Criterion::kOwnNetwork)];
      break;
    }
  }
  return points;
}

std::vector<CriterionScore> ProfileScorer::Explain(const Opening& o) const {
  const Points points = Score(o);
  auto score = [&](Criterion k, std::string reason) {
    return CriterionScore{k, points[Index(k)], config_.weight[Index(k)], std::move(reason)};
  };
  std::vector<CriterionScore> out;
  switch (MatchGoal(o)) {
    case GoalMatch::kTitle:
      out.push_back(score(Criterion::kGoalFit, absl::StrCat("title \"", o.title, "\" matches a job goal")));
      break;
    case GoalMatch::kIndustry:
      out.push_back(
          score(Criterion::kGoalFit, absl::StrCat("industry \"", o.industry, "\" is a goal industry")));
      break;
    case GoalMatch::kNoGoals:
      out.push_back(score(Criterion::kGoalFit, "no job goal recorded"));
      break;
    case GoalMatch::kNone:
      out.push_back(score(Criterion::kGoalFit, "neither title nor industry matches a job goal"));
      break;
  }
  const int want = profile_.preferred_hours, gap = HoursGap(o);
  out.push_back(score(
      Criterion::kHoursFit,
      want <= 0 ? std::string("no preferred hours recorded")
      : gap == 0
          ? absl::StrCat(want, " h preferred, within ", o.min_hours, "-", o.max_hours, " h")
          : absl::StrCat(want, " h preferred, ", gap, " h outside ", o.min_hours, "-", o.max_hours, " h")));
  out.push_back(
      score(Criterion::kTravel, profile_.max_travel_km <= 0
                                    ? std::string("no travel limit recorded")
                                    : absl::StrFormat("%.1f km from home; limit %.0f km",
                                                      DistanceFromHomeKm(o), profile_.max_travel_km)));
  out.push_back(
      score(Criterion::kEmployerRecord,
            absl::StrCat("employer has hired ", o.employer.hires_from_programme, " from the programme")));
  out.push_back(score(Criterion::kOwnNetwork, points[Index(Criterion::kOwnNetwork)] > 0
                                                  ? "employer is in the citizen's own network"
                                                  : "employer is not in the citizen's own network"));
  return out;
}

Points ScorePoints(const JobProfile& profile, const Opening& opening, const ScoringConfig& config) {
  return ProfileScorer(profile, config).Score(opening);
}

std::vector<CriterionScore> Explain(const JobProfile& profile, const Opening& opening,
                                    const ScoringConfig& config) {
  return ProfileScorer(profile, config).Explain(opening);
}

}  // namespace ips::matching
