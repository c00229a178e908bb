#include "services/registry/domain/eligibility.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

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

// How case workers name the benefits (ips.registry.v1.BenefitType).
std::string BenefitName(int benefit) {
  switch (benefit) {
    case 1:
      return "cash benefit";
    case 2:
      return "integration benefit";
    case 3:
      return "education benefit";
    case 4:
      return "sickness benefit";
    default:
      return "another benefit";
  }
}

std::string GroupName(rules::MatchGroup g) {
  return g == rules::MatchGroup::kActivityReady ? "activity-ready (aktivitetsparat)" : "job-ready (jobparat)";
}

template <typename Set, typename Name>
std::string Names(const Set& set, Name name) {
  std::vector<std::string> out;
  for (const auto& x : set) out.push_back(name(x));
  return absl::StrJoin(out, " or ");
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
                                                        const rules::EntryCriteria& c) {
  const std::string start =
      absl::StrFormat("%04d-%02d-%02d", f.start_date.year(), f.start_date.month(), f.start_date.day());
  const int age = AgeOn(f.birth_date, f.start_date);
  const bool group_admitted = c.match_groups.count(f.match_group) > 0;
  const bool benefit_admitted = c.benefits.count(f.benefit) > 0;
  const bool in_district = c.districts.count(f.district) > 0;
  std::vector<EligibilityRuleOutcome> out;
  out.push_back({EligibilityRuleId::kAge30OrOver, age >= c.minimum_age,
                 absl::StrCat("age ", age, " on ", start, "; must be ", c.minimum_age, " or more")});
  out.push_back({EligibilityRuleId::kActivityReady, group_admitted,
                 group_admitted ? absl::StrCat("assessed ", GroupName(f.match_group))
                                : absl::StrCat("assessed ", GroupName(f.match_group), "; must be ",
                                               Names(c.match_groups, GroupName))});
  out.push_back({EligibilityRuleId::kCashBenefit, benefit_admitted,
                 benefit_admitted ? absl::StrCat("receives ", BenefitName(f.benefit))
                                  : absl::StrCat("receives ", BenefitName(f.benefit), "; must receive ",
                                                 Names(c.benefits, BenefitName))});
  out.push_back({EligibilityRuleId::kSubstanceUseProblem, f.substance_use_problem,
                 f.substance_use_problem ? "has a substance-use problem"
                                         : "the programme is for citizens with a substance-use problem"});
  out.push_back({EligibilityRuleId::kUnemploymentUnder5Years,
                 f.unemployment_months < c.unemployment_limit_months,
                 absl::StrCat(f.unemployment_months, " months of unemployment; must be under ",
                              c.unemployment_limit_months)});
  out.push_back(
      {EligibilityRuleId::kResidesInProgrammeDistrict, in_district,
       in_district ? "lives in a programme district" : "must live in one of the programme's districts"});
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
