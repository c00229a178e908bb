#pragma once

#include <vector>

#include "services/common/common_rpcs.h"
#include "services/common/database.h"

namespace ips::matching {

// The matching service's own tables (versions 100 and up).
std::vector<Migration> MatchingMigrations();

// What matching keeps about a citizen, for subject access, erasure and the
// retention sweep.
SubjectData MatchingSubjectData();

}  // namespace ips::matching
