#include "services/reporting/report_builder.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/dates.h"
#include "services/reporting/domain/kpi_formulas.h"
#include "services/reporting/domain/published.h"
#include "services/reporting/domain/suppression.h"

namespace ips::reporting {
namespace {

v1::Kpi ShareKpi(const std::string& id, const std::string& title, const Share& share, long long threshold,
                 std::optional<double> target_percent) {
  v1::Kpi k;
  k.set_id(id);
  k.set_title(title);
  const Shown shown = ShowShare(share, threshold);
  k.set_value(shown.text);
  k.set_suppressed(shown.suppressed);
  if (!shown.suppressed) {
    k.set_numerator(share.numerator);
    k.set_denominator(share.denominator);
  }
  if (shown.percent) k.set_value_number(*shown.percent);
  if (target_percent) {
    k.set_target(absl::StrCat(absl::StrFormat("%g", *target_percent), "%"));
    if (!shown.percent) {
      k.set_status(v1::TARGET_STATUS_NO_DATA);
    } else {
      k.set_status(*shown.percent >= *target_percent ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET);
    }
  } else {
    k.set_status(v1::TARGET_STATUS_NO_TARGET);
  }
  return k;
}

v1::Kpi CountKpi(const std::string& id, const std::string& title, long long count, long long threshold) {
  v1::Kpi k;
  k.set_id(id);
  k.set_title(title);
  const bool hidden = count > 0 && count < threshold;
  k.set_value(ShowPlain(count, threshold));
  k.set_suppressed(hidden);
  if (!hidden) {
    k.set_denominator(count);
    k.set_value_number(static_cast<double>(count));
  }
  k.set_status(v1::TARGET_STATUS_NO_TARGET);
  return k;
}

v1::CaseloadBand BandProto(CaseloadBand b) {
  switch (b) {
    case CaseloadBand::kWithinFidelity:
      return v1::CASELOAD_BAND_WITHIN_FIDELITY;
    case CaseloadBand::kWithinBudget:
      return v1::CASELOAD_BAND_WITHIN_BUDGET;
    case CaseloadBand::kOver:
      return v1::CASELOAD_BAND_OVER;
  }
  return v1::CASELOAD_BAND_UNSPECIFIED;
}

}  // namespace

v1::ProgrammeReport BuildReport(const CourseFacts& facts, absl::CivilDay as_of, absl::CivilDay period_start,
                                const ReportConfig& config) {
  const long long t = config.suppression_threshold;
  const auto& courses = facts.courses;
  const int period_days = static_cast<int>(as_of - period_start) + 1;
  v1::ProgrammeReport r;
  *r.mutable_as_of() = ToProtoDate(as_of);
  *r.mutable_period_start() = ToProtoDate(period_start);
  r.set_suppression_threshold(static_cast<int>(t));

  const auto caseload = CaseloadOn(courses, as_of);
  long long active = 0;
  for (const auto& [k, n] : caseload) active += n;
  *r.add_kpis() = CountKpi("enrolled_total", "Citizens enrolled by the as-of day",
                           static_cast<long long>(courses.size()), t);
  *r.add_kpis() = CountKpi("enrolled_active", "Citizens with a running course", active, t);
  *r.add_kpis() = ShareKpi("job_or_education_12m", "In job or education within 12 months of the start",
                           JobOrEducationWithin(courses, 12, as_of), t, config.target_12_months);
  *r.add_kpis() = ShareKpi("job_or_education_24m", "In job or education within 24 months of the start",
                           JobOrEducationWithin(courses, 24, as_of), t, config.target_24_months);
  *r.add_kpis() = ShareKpi("job_or_education_now", "Running courses in job or education on the as-of day",
                           InJobOrEducationOn(courses, as_of), t, std::nullopt);
  *r.add_kpis() = ShareKpi("placement_or_progression", "With a company placement or social progression",
                           PlacementOrSocialProgression(courses, as_of), t, config.target_progression);
  const auto days = DaysToFirstPlacement(courses);
  {
    v1::Kpi k;
    k.set_id("days_to_first_placement");
    k.set_title("Median days from the start to the first placement");
    k.set_target(absl::StrCat("≤ ", config.target_days_to_placement, " days"));
    auto median = Median(days);
    const bool hidden = !days.empty() && static_cast<long long>(days.size()) < t;
    if (!median || hidden) {
      k.set_value(
          hidden ? absl::StrCat("hidden (", ShowPlain(static_cast<long long>(days.size()), t), " placed)")
                 : "no placements");
      k.set_suppressed(hidden);
      k.set_status(v1::TARGET_STATUS_NO_DATA);
    } else {
      k.set_value(absl::StrFormat("%g days (%d placed)", *median, days.size()));
      k.set_value_number(*median);
      k.set_denominator(static_cast<long long>(days.size()));
      k.set_status(*median <= config.target_days_to_placement ? v1::TARGET_STATUS_MET
                                                              : v1::TARGET_STATUS_NOT_MET);
    }
    *r.add_kpis() = k;
  }
  *r.add_kpis() = ShareKpi("placed_within_30_days", "First placement within 30 days of the start",
                           Within(days, config.target_days_to_placement), t, std::nullopt);
  *r.add_kpis() = ShareKpi("conversation_timeliness", "Job conversations held by their due date",
                           Timeliness(courses), t, std::nullopt);
  *r.add_kpis() =
      ShareKpi("conversation_attendance", "Job conversations attended", Attendance(courses), t, std::nullopt);
  long long treated = 0;
  for (const auto& c : courses) treated += c.treatment_starts_after_start;
  *r.add_kpis() =
      CountKpi("referrals_during_course", "Referrals to treatment during a course", facts.referrals, t);
  *r.add_kpis() = CountKpi("treatment_starts_during_course", "Treatment started during a course", treated, t);
  *r.add_kpis() = ShareKpi("treatment_guarantee_met", "Treatment offered within the 14-day guarantee",
                           Share{facts.guarantee_met, facts.guarantee_judged}, t, 100.0);
  {
    // The period's budget over the citizens served in the period (a course
    // running on any of its days) and the job or education outcomes reached
    // in it.
    long long served = 0, outcomes = 0;
    for (const auto& c : courses) {
      if (c.end && *c.end < period_start) continue;
      ++served;
      auto first = FirstJobOrEducation(c);
      outcomes += first && *first >= period_start && *first <= as_of;
    }
    const Cost cost = CostOf(config.budget_per_year, period_days, served, outcomes);
    for (const auto& [id, title, value] :
         {std::tuple{"cost_per_citizen", "Budget per citizen served in the period (kr.)", cost.per_citizen},
          std::tuple{"cost_per_outcome", "Budget per job or education reached in the period (kr.)",
                     cost.per_outcome}}) {
      v1::Kpi k;
      k.set_id(id);
      k.set_title(title);
      k.set_status(v1::TARGET_STATUS_NO_TARGET);
      if (value) {
        k.set_value(absl::StrFormat("%.0f", *value));
        k.set_value_number(*value);
      } else {
        k.set_value("-");
      }
      *r.add_kpis() = k;
    }
  }

  // Cohorts by start quarter.
  std::map<std::string, long long> enrolled_by_cohort;
  for (const auto& c : courses) ++enrolled_by_cohort[CohortOf(c.start)];
  const auto within12 = JobOrEducationWithinByCohort(courses, 12, as_of);
  const auto within24 = JobOrEducationWithinByCohort(courses, 24, as_of);
  for (const auto& [cohort, n] : enrolled_by_cohort) {
    auto* row = r.add_cohorts();
    row->set_cohort(cohort);
    row->set_enrolled(ShowPlain(n, t));
    row->set_within_12_months(ShowShare(within12.at(cohort), t).text);
    row->set_within_24_months(ShowShare(within24.at(cohort), t).text);
  }

  // Consultants: caseload (suppressed as a list with its total) and
  // employer contacts per week.
  const auto& contacts = facts.employer_contacts;
  std::vector<std::string> consultants;
  for (const auto& [k, n] : caseload) consultants.push_back(k);
  for (const auto& [k, n] : contacts) {
    if (!caseload.count(k)) consultants.push_back(k);
  }
  std::vector<long long> loads;
  for (const auto& k : consultants) loads.push_back(caseload.count(k) ? caseload.at(k) : 0);
  const auto hidden_loads = SuppressList(loads, t);
  for (size_t i = 0; i < consultants.size(); ++i) {
    auto* row = r.add_consultants();
    row->set_consultant_id(consultants[i]);
    row->set_caseload(ShowCount(loads[i], hidden_loads.items[i], t));
    row->set_band(BandProto(BandOf(static_cast<int>(loads[i]))));
    row->set_employer_contacts_per_week(
        ContactsPerWeek(contacts.count(consultants[i]) ? contacts.at(consultants[i]) : 0, period_days));
  }

  // Outcomes of ended courses.
  const auto outcomes = OutcomeDistribution(courses);
  const std::vector<std::pair<Attainment, std::string>> kinds = {{Attainment::kJob, "job"},
                                                                 {Attainment::kEducation, "education"},
                                                                 {Attainment::kOther, "other"},
                                                                 {Attainment::kEndedEarly, "ended_early"}};
  std::vector<long long> counts;
  for (const auto& [a, name] : kinds) counts.push_back(outcomes.count(a) ? outcomes.at(a) : 0);
  const auto hidden_outcomes = SuppressList(counts, t);
  for (size_t i = 0; i < kinds.size(); ++i) {
    auto* row = r.add_outcomes();
    row->set_outcome(kinds[i].second);
    row->set_count(ShowCount(counts[i], hidden_outcomes.items[i], t));
  }
  return r;
}

}  // namespace ips::reporting
