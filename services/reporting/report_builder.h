#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "ips/reporting/v1/report.pb.h"
#include "services/reporting/domain/programme_facts.h"

namespace ips::reporting {

// What the report is judged against (the source documents' figures,
// configurable because budgets and targets change).
struct ReportConfig {
  long long suppression_threshold = 5;
  double target_12_months = 15;        // % in job or education within a year
  double target_24_months = 25;        // % within two years
  double target_progression = 50;      // % with a placement or social progression ("about half")
  int target_days_to_placement = 30;   // placement within a month
  double budget_per_year = 2'504'000;  // kroner: BIF 1,874 t.kr. + SOF 630 t.kr. (2022-2025)
};

// The facts as the formulas take them: every course with its placements,
// conversations, referrals and treatment starts, joined by pseudonym
// (FactsInMemory::CoursesAsOf).
struct CourseFacts {
  std::vector<CourseFact> courses;
  std::map<std::string, int> employer_contacts;  // per consultant, in the period
  long long referrals = 0, referrals_by_consultant = 0;
  long long guarantee_judged = 0, guarantee_met = 0;
};

// The programme report from the loaded facts, suppressed.
v1::ProgrammeReport BuildReport(const CourseFacts& facts, absl::CivilDay as_of, absl::CivilDay period_start,
                                const ReportConfig& config);

}  // namespace ips::reporting
