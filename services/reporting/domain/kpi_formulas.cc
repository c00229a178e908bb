#include "services/reporting/domain/kpi_formulas.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace ips::reporting {
namespace {

bool IsJobOrEducation(Attainment a) { return a == Attainment::kJob || a == Attainment::kEducation; }

// The day `months` calendar months after `day` (the last day of the month
// when it is shorter: 31 January + 1 month = 28/29 February).
absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth target = absl::CivilMonth(day) + months;
  const absl::CivilDay first_of_next = absl::CivilDay(target + 1);
  const int last_day = static_cast<int>((first_of_next - 1).day());
  return absl::CivilDay(target.year(), target.month(), std::min(static_cast<int>(day.day()), last_day));
}

// Adds a course to `s` once its `months` window has passed by `as_of`, as
// reaching a job or education within the window or not.
void CountWithin(const CourseFact& c, int months, absl::CivilDay as_of, Share& s) {
  const absl::CivilDay window_end = AddMonths(c.start, months);
  if (window_end > as_of) return;  // the window has not passed yet
  ++s.denominator;
  auto first = FirstJobOrEducation(c);
  if (first && *first <= window_end) ++s.numerator;
}

bool RunningOn(const CourseFact& c, absl::CivilDay day) {
  return c.start <= day && (!c.end || *c.end >= day);
}

}  // namespace

std::optional<double> Share::percent() const {
  if (denominator <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(numerator) / static_cast<double>(denominator);
}

std::string Share::Text() const {
  auto p = percent();
  if (!p) return absl::StrCat(numerator, " of ", denominator);
  return absl::StrCat(numerator, " of ", denominator, " = ", static_cast<long long>(std::floor(*p + 0.5)),
                      "%");
}

std::optional<absl::CivilDay> FirstJobOrEducation(const CourseFact& c) {
  std::optional<absl::CivilDay> first;
  for (const auto& p : c.placements) {
    if (IsJobOrEducation(p.attains) && (!first || p.start < *first)) first = p.start;
  }
  if (c.end && IsJobOrEducation(c.outcome) && (!first || *c.end < *first)) first = c.end;
  return first;
}

Share JobOrEducationWithin(const std::vector<CourseFact>& courses, int months, absl::CivilDay as_of) {
  Share s;
  for (const auto& c : courses) CountWithin(c, months, as_of, s);
  return s;
}

std::string CohortOf(absl::CivilDay start) {
  return absl::StrCat(start.year(), "-Q", (start.month() - 1) / 3 + 1);
}

std::map<std::string, Share> JobOrEducationWithinByCohort(const std::vector<CourseFact>& courses, int months,
                                                          absl::CivilDay as_of) {
  // Every cohort with a course appears, even before its window has passed
  // ("0 of 0").
  std::map<std::string, Share> out;
  for (const auto& c : courses) CountWithin(c, months, as_of, out[CohortOf(c.start)]);
  return out;
}

Share InJobOrEducationOn(const std::vector<CourseFact>& courses, absl::CivilDay as_of) {
  Share s;
  for (const auto& c : courses) {
    if (!RunningOn(c, as_of)) continue;
    ++s.denominator;
    for (const auto& p : c.placements) {
      if (IsJobOrEducation(p.attains) && p.start <= as_of && (!p.end || *p.end >= as_of)) {
        ++s.numerator;
        break;
      }
    }
  }
  return s;
}

Share PlacementOrSocialProgression(const std::vector<CourseFact>& courses, absl::CivilDay as_of) {
  Share s;
  for (const auto& c : courses) {
    if (c.start > as_of) continue;
    ++s.denominator;
    const bool placed = std::any_of(c.placements.begin(), c.placements.end(),
                                    [&](const PlacementFact& p) { return p.start <= as_of; });
    if (placed || c.social_progression) ++s.numerator;
  }
  return s;
}

std::vector<int> DaysToFirstPlacement(const std::vector<CourseFact>& courses) {
  std::vector<int> out;
  for (const auto& c : courses) {
    std::optional<absl::CivilDay> first;
    for (const auto& p : c.placements) {
      if (!first || p.start < *first) first = p.start;
    }
    if (first && *first >= c.start) out.push_back(static_cast<int>(*first - c.start));
  }
  return out;
}

std::optional<double> Median(std::vector<int> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

Share Within(const std::vector<int>& days, int limit) {
  Share s;
  s.denominator = static_cast<long long>(days.size());
  s.numerator = std::count_if(days.begin(), days.end(), [&](int d) { return d <= limit; });
  return s;
}

Share Timeliness(const std::vector<CourseFact>& courses) {
  Share s;
  for (const auto& c : courses) {
    s.denominator += c.conversations_due;
    s.numerator += c.conversations_met_on_time;
  }
  return s;
}

Share Attendance(const std::vector<CourseFact>& courses) {
  Share s;
  for (const auto& c : courses) {
    s.denominator += c.conversations_held + c.conversations_no_show;
    s.numerator += c.conversations_held;
  }
  return s;
}

std::map<std::string, int> CaseloadOn(const std::vector<CourseFact>& courses, absl::CivilDay as_of) {
  std::map<std::string, int> out;
  for (const auto& c : courses) {
    if (RunningOn(c, as_of)) ++out[c.consultant_id];
  }
  return out;
}

CaseloadBand BandOf(int caseload, int budget_cap, int fidelity_cap) {
  if (caseload <= fidelity_cap) return CaseloadBand::kWithinFidelity;
  if (caseload <= budget_cap) return CaseloadBand::kWithinBudget;
  return CaseloadBand::kOver;
}

double ContactsPerWeek(int contacts, int days) { return days <= 0 ? 0 : contacts * 7.0 / days; }

std::map<Attainment, long long> OutcomeDistribution(const std::vector<CourseFact>& courses) {
  std::map<Attainment, long long> out;
  for (const auto& c : courses) {
    if (c.end) ++out[c.outcome];
  }
  return out;
}

Cost CostOf(double budget_per_year, int days, long long citizens, long long outcomes) {
  const double spent = budget_per_year * days / 365.0;
  Cost c;
  if (citizens > 0) c.per_citizen = spent / static_cast<double>(citizens);
  if (outcomes > 0) c.per_outcome = spent / static_cast<double>(outcomes);
  return c;
}

}  // namespace ips::reporting
