#pragma once

#include <optional>

#include "absl/time/civil_time.h"

namespace ips {

// Storage limitation (GDPR art. 5(1)(e)): a service keeps a citizen's
// personal data while it is still needed for something running (a course,
// a referral awaiting its offer, a treatment episode, a placement) and for
// the retention period after the last day anything about the citizen
// happened there (registration, a course's end, a placement's end, a
// note). Each service judges from its own records; no service asks
// another, so each owner can erase on its own schedule.
struct SubjectHistory {
  bool open = false;        // something still running
  absl::CivilDay last_day;  // the latest day recorded about the citizen
};

// The first day the data may no longer be kept, or nullopt while something
// is open. `retention_days` must be positive.
std::optional<absl::CivilDay> RetentionEnds(const SubjectHistory& h, int retention_days);

// Whether the data is past retention on `today`.
bool PastRetention(const SubjectHistory& h, absl::CivilDay today, int retention_days);

// Erasure on request (art. 17) is refused while something is open: the
// municipality needs the data for a course or treatment it runs as a legal
// obligation (art. 17(3)(b)). Once nothing is open, the request is granted
// without waiting for the retention period.
inline bool ErasureAllowed(const SubjectHistory& h) { return !h.open; }

}  // namespace ips
