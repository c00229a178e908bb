#include "services/registry/domain/eligibility.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ips::registry {
namespace {

const char* SourceText(TreatmentSource source) {
  switch (source) {
    case TreatmentSource::kSelfDeclared:
      return "self-declared";
    case TreatmentSource::kVerified:
      return "checked with SOF";
    case TreatmentSource::kUnverifiedNoConsent:
      return "self-declared; no consent for SOF to share";
    case TreatmentSource::kUnverifiedUnavailable:
      return "self-declared; SOF's treatment service did not answer";
  }
  return "";
}

}  // namespace

int AgeOn(absl::CivilDay birth, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - birth.year());
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --age;
  }
  return age;
}

std::vector<EligibilityRuleOutcome> EvaluateEligibility(const EligibilityFacts& f,
                                                        const EligibilityConfig& c) {
  const std::string start =
      absl::StrFormat("%04d-%02d-%02d", f.start_date.year(), f.start_date.month(), f.start_date.day());
  const int age = AgeOn(f.birth_date, f.start_date);
  std::vector<EligibilityRuleOutcome> out;
  out.push_back({EligibilityRuleId::kAge30OrOver, age >= c.minimum_age,
                 absl::StrCat("age ", age, " on ", start, "; must be ", c.minimum_age, " or more")});
  out.push_back(
      {EligibilityRuleId::kActivityReady, f.activity_ready,
       f.activity_ready ? "assessed activity-ready" : "must be assessed activity-ready (aktivitetsparat)"});
  out.push_back({EligibilityRuleId::kCashBenefit, f.receives_cash_benefit,
                 f.receives_cash_benefit ? "receives cash benefit" : "must receive cash benefit"});
  out.push_back({EligibilityRuleId::kSubstanceUseProblem, f.substance_use_problem,
                 f.substance_use_problem ? "has a substance-use problem"
                                         : "the programme is for citizens with a substance-use problem"});
  out.push_back({EligibilityRuleId::kUnemploymentUnder5Years,
                 f.unemployment_months < c.unemployment_limit_months,
                 absl::StrCat(f.unemployment_months, " months of unemployment; must be under ",
                              c.unemployment_limit_months)});
  out.push_back({EligibilityRuleId::kResidesInProgrammeDistrict, f.resides_in_programme_district,
                 f.resides_in_programme_district ? "lives in a programme district"
                                                 : "must live in one of the programme's districts"});
  out.push_back(
      {EligibilityRuleId::kNotInSubstanceTreatment, !f.in_substance_treatment,
       absl::StrCat(
           f.in_substance_treatment ? "already in substance treatment" : "not in substance treatment", " (",
           SourceText(f.treatment_source), ")",
           f.in_substance_treatment ? "; the programme starts treatment alongside the job" : "")});
  return out;
}

bool AllMet(const std::vector<EligibilityRuleOutcome>& outcomes) {
  return std::all_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.met; });
}

std::string AgeBand(int age) {
  if (age < 30) return "<30";
  if (age >= 60) return "60+";
  int low = age / 10 * 10;
  return absl::StrCat(low, "-", low + 9);
}

}  // namespace ips::registry
