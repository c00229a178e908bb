#pragma once

#include <optional>
#include <string>

#include "absl/time/civil_time.h"

namespace ips::registry {

// How long the registry may keep a citizen's personal data (GDPR art.
// 5(1)(e), storage limitation): while a course runs, and for the retention
// period after the last course ended; a citizen registered but never
// enrolled, for the period after registration. The sweep that anonymises
// what is past it and erasure on request build on these rules (issue 7).
struct CitizenHistory {
  absl::CivilDay registered;
  bool course_running = false;
  std::optional<absl::CivilDay> last_course_end;  // of the courses ended
};

// The first day the citizen's personal data may no longer be kept, or
// nullopt while a course runs. `retention_days` must be positive.
std::optional<absl::CivilDay> RetentionEnds(const CitizenHistory& h, int retention_days);

// Whether the data is past retention on `today`.
bool PastRetention(const CitizenHistory& h, absl::CivilDay today, int retention_days);

// Erasure on request (art. 17) is refused while the data is needed for a
// running course, which the municipality runs as a legal obligation (art.
// 17(3)(b)); the rule's name when refused, nullopt when allowed.
std::optional<std::string> ErasureRefusal(const CitizenHistory& h);

}  // namespace ips::registry
