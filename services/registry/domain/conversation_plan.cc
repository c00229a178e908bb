#include "services/registry/domain/conversation_plan.h"

#include <algorithm>

namespace ips::registry {

absl::StatusOr<ConversationSchedule> ScheduleFor(const std::vector<ConversationSchedule>& schedules,
                                                 absl::CivilDay start) {
  const ConversationSchedule* best = nullptr;
  for (const auto& s : schedules) {
    if (s.effective_from <= start && (!best || s.effective_from > best->effective_from)) best = &s;
  }
  if (!best) return absl::NotFoundError("no job conversation schedule is in force on the start date");
  return *best;
}

std::vector<absl::CivilDay> PlanDueDates(const ConversationSchedule& schedule, absl::CivilDay start) {
  std::vector<absl::CivilDay> due;
  for (int offset : schedule.due_offsets_days) due.push_back(start + offset);
  std::sort(due.begin(), due.end());
  return due;
}

std::vector<DueOutcome> EvaluatePlan(const std::vector<absl::CivilDay>& due_dates,
                                     std::vector<HeldConversation> held, absl::CivilDay as_of) {
  std::stable_sort(held.begin(), held.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  std::vector<DueOutcome> out;
  size_t next = 0;  // held conversations before `next` are used
  for (absl::CivilDay due : due_dates) {
    if (next < held.size() && held[next].date <= due) {
      out.push_back({due, DueState::kMet, held[next].id});
      ++next;
    } else {
      out.push_back({due, as_of > due ? DueState::kMissed : DueState::kPending, ""});
    }
  }
  return out;
}

}  // namespace ips::registry
