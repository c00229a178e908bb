#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/reporting/domain/programme_facts.h"

namespace ips::reporting {

// A share of citizens: numerator of denominator.
struct Share {
  long long numerator = 0;
  long long denominator = 0;
  // Percent, or nullopt for an empty denominator.
  std::optional<double> percent() const;
  // "16 of 73 = 22%" (whole percent, rounded half up), "0 of 0".
  std::string Text() const;
};

// The first day a course reached a job or education: a job or education
// placement's start, or the end of a course that ended in one.
std::optional<absl::CivilDay> FirstJobOrEducation(const CourseFact& c);

// Of the courses started at least `months` months before `as_of` (those
// whose window has passed), how many reached a job or education within
// `months` months of their start. The programme targets 15% within 12 and
// 25% within 24.
Share JobOrEducationWithin(const std::vector<CourseFact>& courses, int months, absl::CivilDay as_of);

// The enrolment cohort of a course: its start quarter, "2025-Q3".
std::string CohortOf(absl::CivilDay start);

// JobOrEducationWithin per start quarter, in quarter order.
std::map<std::string, Share> JobOrEducationWithinByCohort(const std::vector<CourseFact>& courses, int months,
                                                          absl::CivilDay as_of);

// Of the courses running on `as_of`, how many are in a job or education
// placement on that day ("16 of 73 enrolled in job or education").
Share InJobOrEducationOn(const std::vector<CourseFact>& courses, absl::CivilDay as_of);

// Of the courses started by `as_of`, how many had a company placement or a
// social effort by then ("about half").
Share PlacementOrSocialProgression(const std::vector<CourseFact>& courses, absl::CivilDay as_of);

// Days from the course's start to its first placement, for the courses
// with one.
std::vector<int> DaysToFirstPlacement(const std::vector<CourseFact>& courses);

// The median of `values` (the mean of the middle two for an even count).
std::optional<double> Median(std::vector<int> values);

// How many of `days` are at most `limit` (placement within a month: 30).
Share Within(const std::vector<int>& days, int limit);

// Job conversations held by their due date, of those due; conversations
// attended, of those held or missed.
Share Timeliness(const std::vector<CourseFact>& courses);
Share Attendance(const std::vector<CourseFact>& courses);

// Running courses per consultant on `as_of`.
std::map<std::string, int> CaseloadOn(const std::vector<CourseFact>& courses, absl::CivilDay as_of);

// How a caseload stands against the budget's 25 and the fidelity scale's
// 20.
enum class CaseloadBand { kWithinFidelity, kWithinBudget, kOver };
CaseloadBand BandOf(int caseload, int budget_cap = 25, int fidelity_cap = 20);

// Employer contacts per consultant per week over a period of `days` days.
double ContactsPerWeek(int contacts, int days);

// The course outcomes of ended courses, by attainment.
std::map<Attainment, long long> OutcomeDistribution(const std::vector<CourseFact>& courses);

// Cost per citizen and per job or education outcome, from a yearly budget
// (in kroner) over a period of `days` days.
struct Cost {
  std::optional<double> per_citizen;
  std::optional<double> per_outcome;
};
Cost CostOf(double budget_per_year, int days, long long citizens, long long outcomes);

}  // namespace ips::reporting
