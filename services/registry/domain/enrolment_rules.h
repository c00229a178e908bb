#pragma once

#include <cstddef>

namespace ips::registry {

// A course is enrolled after the fact or up to a year ahead of its start.
inline constexpr int kEnrolmentStartDaysAhead = 366;

// A team lead may enrol a citizen who does not meet every entry rule, with
// a written reason kept on the enrolment (the programme's exception
// route); a reason where every rule is met is refused, so an override is
// never recorded that overrode nothing.
inline constexpr std::size_t kOverrideReasonMinChars = 10;
inline constexpr std::size_t kOverrideReasonMaxChars = 2000;

enum class OverrideVerdict {
  kNotNeeded,          // every rule met, no reason given
  kOverridden,         // rules unmet, a team lead's reason: enrol, marked overridden
  kRefusedUnmet,       // rules unmet, no reason
  kNeedsTeamLead,      // a reason from someone who is not a team lead
  kNothingToOverride,  // a reason while every rule is met
};

// Checked in this order: the role before the rules (a consultant learns
// nothing about the rules from a refused override), then the rules.
OverrideVerdict DecideOverride(bool reason_given, bool caller_is_team_lead, bool every_rule_met);

// Whether only the role check applies yet (before the rules are evaluated):
// PERMISSION_DENIED for a reason from someone who is not a team lead.
bool OverrideNeedsTeamLead(bool reason_given, bool caller_is_team_lead);

}  // namespace ips::registry
