#include "services/rules/rule_book.h"

#include <algorithm>

namespace ips::rules {

const char* MatchGroupName(MatchGroup g) {
  return g == MatchGroup::kActivityReady ? "ACTIVITY_READY" : "JOB_READY";
}

InForce VersionOn(const RuleBook& book, absl::CivilDay day) {
  InForce in_force;
  for (const auto& v : book.versions) {
    if (v.effective_from <= day) in_force.version = &v;
  }
  if (!in_force.version) return in_force;
  for (const auto& p : book.pending) {
    if (p.expected_from <= day && p.expected_from > in_force.version->effective_from)
      in_force.not_yet_known = &p;
  }
  return in_force;
}

std::vector<absl::CivilDay> PlanDueDates(const ConversationPlan& plan, absl::CivilDay start) {
  std::vector<absl::CivilDay> due;
  for (const Period& p : plan.due) due.push_back(AddPeriod(start, p));
  std::sort(due.begin(), due.end());
  return due;
}

const ConversationPlan* PlanFor(const RuleVersion& version, MatchGroup group) {
  auto it = version.plans.find(group);
  if (it != version.plans.end()) return &it->second;
  return version.plans.empty() ? nullptr : &version.plans.begin()->second;
}

}  // namespace ips::rules
