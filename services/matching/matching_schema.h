#pragma once

#include <vector>

#include "services/common/database.h"
#include "services/common/subject_erasure.h"

namespace ips::matching {

// The matching service's own tables (versions 100 and up).
std::vector<Migration> MatchingMigrations();

// What erasing a citizen clears here, and how long their data is kept.
ErasurePlan MatchingErasurePlan();

}  // namespace ips::matching
