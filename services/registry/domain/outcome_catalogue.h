#pragma once

#include <set>
#include <vector>

#include "absl/time/civil_time.h"

namespace ips::registry {

// Which course outcomes may be recorded, versioned by the course's start
// date: a reform can abolish an outcome for new cases only (the December
// 2025 reform does so for resource courses) while older courses keep it.
struct OutcomeCatalogue {
  absl::CivilDay effective_from;
  std::set<int> allowed;  // CourseOutcome enum numbers
};

// True when the catalogue in force on `course_start` (the latest effective
// on or before it) allows `outcome`; false when none is in force.
bool OutcomeAllowed(const std::vector<OutcomeCatalogue>& catalogues, absl::CivilDay course_start,
                    int outcome);

}  // namespace ips::registry
