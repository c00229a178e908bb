#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/common/dates.h"

namespace ips::rules {

// The programme's rules as dated versions (the law changes; code should
// not). Each course is judged by the version in force on its start date:
// its entry criteria, its conversation plan and the outcomes it may end in.
// Where the law for a date is not yet known, the last known version stays
// in force and the book says so (PendingChange). The versions are data
// (services/registry/rules.json, or a file an operator gives the
// registry); rule_book_json.h reads and checks them.

// The citizen's match group (matchgruppe) at the start.
enum class MatchGroup { kActivityReady = 1, kJobReady = 2 };
const char* MatchGroupName(MatchGroup g);  // "ACTIVITY_READY", "JOB_READY"

// A job conversation plan: each due point is a period from the start
// (the first within a week, four within six months...), all within
// `period`, the stretch of the course the plan covers.
struct ConversationPlan {
  Period period;
  std::vector<Period> due;
  // What the plan rests on: the law, or the programme's own plan where the
  // law leaves it to the municipality.
  std::string basis;
};

// Who may enter the programme.
struct EntryCriteria {
  int minimum_age = 30;
  // Unemployment must be strictly below this many months.
  int unemployment_limit_months = 60;
  std::set<MatchGroup> match_groups;
  std::set<int> benefits;   // ips.registry.v1.BenefitType numbers
  std::set<int> districts;  // ips.registry.v1.District numbers
};

struct RuleVersion {
  std::string id;  // e.g. "LAB-2019"
  absl::CivilDay effective_from;
  std::string source;  // the law or decision it rests on
  EntryCriteria entry;
  std::map<MatchGroup, ConversationPlan> plans;
  std::set<int> outcomes;  // ips.registry.v1.CourseOutcome numbers a course may end in
};

// A change announced but not yet known in detail: courses from its date are
// judged by the last known version, provisionally.
struct PendingChange {
  absl::CivilDay expected_from;
  std::string change;
  std::string source;
};

struct RuleBook {
  std::vector<RuleVersion> versions;  // ascending by effective_from
  std::vector<PendingChange> pending;
};

// The version in force on `day`, and the announced change it stands in for
// when that change's date has come but its rules are not known. `version`
// is null before the first version.
struct InForce {
  const RuleVersion* version = nullptr;
  const PendingChange* not_yet_known = nullptr;
};
InForce VersionOn(const RuleBook& book, absl::CivilDay day);

// The due dates of `plan` for a course started on `start`, ascending.
std::vector<absl::CivilDay> PlanDueDates(const ConversationPlan& plan, absl::CivilDay start);

// The plan a course of `group` follows under `version`: its own group's,
// else (a citizen enrolled by a team lead's override) the first the version
// has. Null when it has none.
const ConversationPlan* PlanFor(const RuleVersion& version, MatchGroup group);

}  // namespace ips::rules
