#include "services/rules/conversation_plan.h"

#include <algorithm>

namespace ips::rules {
namespace {

// The rule itself: each due date, in order, is met by the earliest held
// conversation not yet used on or before it (`held` ascending). Calls
// `judge(due index, held index or -1)` for the due dates up to `last`.
template <typename Due, typename Held, typename DateOf, typename Judge>
void MatchDueDates(const std::vector<Due>& due, const std::vector<Held>& held, DateOf date_of,
                   std::optional<Due> last, Judge judge) {
  size_t next = 0;  // held conversations before `next` are used
  for (size_t i = 0; i < due.size(); ++i) {
    if (last && due[i] > *last) break;
    if (next < held.size() && date_of(held[next]) <= due[i]) {
      judge(i, static_cast<long>(next));
      ++next;
    } else {
      judge(i, -1L);
    }
  }
}

}  // namespace

std::vector<DueOutcome> EvaluatePlan(const std::vector<absl::CivilDay>& due_dates,
                                     std::vector<HeldConversation> held, absl::CivilDay as_of,
                                     std::optional<absl::CivilDay> end) {
  std::stable_sort(held.begin(), held.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  std::vector<DueOutcome> out;
  MatchDueDates(
      due_dates, held, [](const HeldConversation& h) { return h.date; }, end,
      [&](size_t i, long used) {
        const absl::CivilDay due = due_dates[i];
        if (used >= 0) {
          out.push_back({due, DueState::kMet, held[static_cast<size_t>(used)].id});
        } else {
          out.push_back({due, as_of > due ? DueState::kMissed : DueState::kPending, ""});
        }
      });
  return out;
}

PlanTally TallyPlan(const std::vector<int>& due_days, std::vector<int>& held_days, int as_of_day,
                    std::optional<int> end_day) {
  std::sort(held_days.begin(), held_days.end());
  PlanTally out;
  MatchDueDates(
      due_days, held_days, [](int day) { return day; }, end_day,
      [&](size_t i, long used) {
        if (used >= 0) {
          ++out.judged;
          ++out.met;
        } else if (as_of_day > due_days[i]) {
          ++out.judged;
        }
      });
  return out;
}

}  // namespace ips::rules
