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

}  // namespace ips::registry
