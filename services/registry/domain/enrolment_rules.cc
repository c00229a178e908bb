#include "services/registry/domain/enrolment_rules.h"

namespace ips::registry {

bool OverrideNeedsTeamLead(bool reason_given, bool caller_is_team_lead) {
  return reason_given && !caller_is_team_lead;
}

OverrideVerdict DecideOverride(bool reason_given, bool caller_is_team_lead, bool every_rule_met) {
  if (OverrideNeedsTeamLead(reason_given, caller_is_team_lead)) return OverrideVerdict::kNeedsTeamLead;
  if (every_rule_met) return reason_given ? OverrideVerdict::kNothingToOverride : OverrideVerdict::kNotNeeded;
  return reason_given ? OverrideVerdict::kOverridden : OverrideVerdict::kRefusedUnmet;
}

}  // namespace ips::registry
