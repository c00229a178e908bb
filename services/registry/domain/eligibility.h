#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/registry/domain/treatment_evidence.h"
#include "services/rules/rule_book.h"

namespace ips::registry {

// The programme's entry rules, in the order they are reported.
enum class EligibilityRuleId {
  kAge30OrOver = 1,
  kActivityReady = 2,
  kCashBenefit = 3,
  kSubstanceUseProblem = 4,
  kUnemploymentUnder5Years = 5,
  kResidesInProgrammeDistrict = 6,
  kNotInSubstanceTreatment = 7,
};

// What the rules are evaluated on, all already known to the caller.
struct EligibilityFacts {
  absl::CivilDay birth_date;
  absl::CivilDay start_date;
  rules::MatchGroup match_group = rules::MatchGroup::kJobReady;
  int benefit = 0;   // ips.registry.v1.BenefitType number
  int district = 0;  // ips.registry.v1.District number
  bool substance_use_problem = false;
  int unemployment_months = 0;
  bool in_substance_treatment = false;
  TreatmentSource treatment_source = TreatmentSource::kSelfDeclared;
};

struct EligibilityRuleOutcome {
  EligibilityRuleId rule;
  bool met;
  std::string detail;  // for case workers; no CPR, no names
};

// Completed years of age on `day`.
int AgeOn(absl::CivilDay birth_date, absl::CivilDay day);

// Evaluates every rule (not just the first failing one) so that a case
// worker sees all unmet rules at once, against the entry criteria of the
// rules version in force on the start date (rules/rule_book.h): age, match
// group, benefit, unemployment and districts are data of that version.
std::vector<EligibilityRuleOutcome> EvaluateEligibility(const EligibilityFacts& facts,
                                                        const rules::EntryCriteria& criteria);

bool AllMet(const std::vector<EligibilityRuleOutcome>& outcomes);

// "30-39" style ten-year band of an age, for events and reports.
std::string AgeBand(int age);

}  // namespace ips::registry
