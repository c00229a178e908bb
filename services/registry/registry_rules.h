#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/registry/domain/conversation_plan.h"
#include "services/registry/domain/eligibility.h"
#include "services/registry/domain/outcome_catalogue.h"

namespace ips::registry {

// The registry's rules as data (the law changes; code should not), loaded
// from JSON (services/registry/rules.json is the built-in default).
struct RegistryRules {
  EligibilityConfig eligibility;
  std::set<int> programme_districts;  // District enum numbers
  int default_caseload_cap = 25;
  std::vector<ConversationSchedule> schedules;
  std::vector<OutcomeCatalogue> outcomes;
};

absl::StatusOr<RegistryRules> ParseRegistryRules(const std::string& json_text);

// The built-in rules and policy, compiled into the binary.
const std::string& DefaultRulesJson();
const std::string& DefaultPolicyJson();

}  // namespace ips::registry
