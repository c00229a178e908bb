#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace ips::registry {

// A statutory job conversation schedule, versioned by the date it takes
// effect: the due dates are start + each offset (LAB 2019: the first within
// a week, at least four within six months).
struct ConversationSchedule {
  std::string version;
  absl::CivilDay effective_from;
  std::vector<int> due_offsets_days;
};

// The schedule in force on `start`: the latest one effective on or before
// it. NOT_FOUND when none is.
absl::StatusOr<ConversationSchedule> ScheduleFor(const std::vector<ConversationSchedule>& schedules,
                                                 absl::CivilDay start);

std::vector<absl::CivilDay> PlanDueDates(const ConversationSchedule& schedule, absl::CivilDay start);

enum class DueState { kPending, kMet, kMissed };

struct HeldConversation {
  absl::CivilDay date;
  std::string id;
};

struct DueOutcome {
  absl::CivilDay due;
  DueState state;
  std::string met_by;  // id of the held conversation, when met
};

// Timeliness: each due date, in order, is met by the earliest held
// conversation not yet used that took place on or before it; a due date
// without one is missed once `as_of` is past it, and pending until then.
// A conversation held late can still meet a later due date.
std::vector<DueOutcome> EvaluatePlan(const std::vector<absl::CivilDay>& due_dates,
                                     std::vector<HeldConversation> held, absl::CivilDay as_of);

// EvaluatePlan's rule, counted, over days as numbers (days since
// 1970-01-01): how many due dates are judged (met or missed) and how many
// met. For reporting, which judges every course of the programme per
// report. `due_days` ascending; `held_days` is sorted in place.
struct PlanTally {
  int judged = 0, met = 0;
};
PlanTally TallyPlan(const std::vector<int>& due_days, std::vector<int>& held_days, int as_of_day);

}  // namespace ips::registry
