#include "services/registry/domain/retention.h"

#include <algorithm>

namespace ips::registry {

std::optional<absl::CivilDay> RetentionEnds(const CitizenHistory& h, int retention_days) {
  if (h.course_running) return std::nullopt;
  // Kept from the later of registration and the last course's end; a
  // course cannot end before the citizen was registered, but dates are
  // recorded by people.
  const absl::CivilDay from = h.last_course_end ? std::max(*h.last_course_end, h.registered) : h.registered;
  return from + retention_days;
}

bool PastRetention(const CitizenHistory& h, absl::CivilDay today, int retention_days) {
  const auto ends = RetentionEnds(h, retention_days);
  return ends && today >= *ends;
}

std::optional<std::string> ErasureRefusal(const CitizenHistory& h) {
  if (h.course_running) return "ERASURE_COURSE_RUNNING";
  return std::nullopt;
}

}  // namespace ips::registry
