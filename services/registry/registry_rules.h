#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "ips/registry/v1/enrollment.pb.h"
#include "services/rules/rule_book.h"

namespace ips::registry {

// The registry's rules as data (the law changes; code should not), loaded
// from JSON (services/registry/rules.json is the built-in default;
// --rules_file gives another): the dated rule versions every course is
// judged by (rules/rule_book.h) and the default caseload cap.
struct RegistryRules {
  int default_caseload_cap = 25;
  rules::RuleBook book;
  // SHA-256 of the rules file: a change of it re-plans the courses.
  std::string fingerprint;
};

// The match group a course is planned for.
rules::MatchGroup MatchGroupOf(const v1::EligibilityAssessment& a);

// Refused as a whole, naming the line and the rule, when inconsistent.
absl::StatusOr<RegistryRules> ParseRegistryRules(const std::string& json_text);

// The built-in rules and policy, compiled into the binary.
const std::string& DefaultRulesJson();
const std::string& DefaultPolicyJson();

}  // namespace ips::registry
