#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace ips::rules {

// Timeliness of the statutory job conversations: the rule the registry
// answers with and reporting counts with, coded once.

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

// Each due date, in order, is met by the earliest held conversation not yet
// used that took place on or before it; a due date without one is missed
// once `as_of` is past it, and pending until then. A conversation held late
// can still meet a later due date. A course that has ended (`end`) owes no
// conversation due after its end: those due dates are not judged.
// `due_dates` ascending.
std::vector<DueOutcome> EvaluatePlan(const std::vector<absl::CivilDay>& due_dates,
                                     std::vector<HeldConversation> held, absl::CivilDay as_of,
                                     std::optional<absl::CivilDay> end = std::nullopt);

// EvaluatePlan counted, over days as numbers (days since 1970-01-01), for
// reporting, which judges every course of the programme per report: how
// many due dates are judged (met or missed) and how many met. `due_days`
// ascending; `held_days` is sorted in place.
struct PlanTally {
  int judged = 0, met = 0;
};
PlanTally TallyPlan(const std::vector<int>& due_days, std::vector<int>& held_days, int as_of_day,
                    std::optional<int> end_day = std::nullopt);

}  // namespace ips::rules
