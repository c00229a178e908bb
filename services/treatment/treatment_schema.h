#pragma once

#include <vector>

#include "services/common/common_rpcs.h"
#include "services/common/database.h"

namespace ips::treatment {

// The treatment service's own tables (versions 100 and up; the shared
// runtime's tables are below 100).
std::vector<Migration> TreatmentMigrations();

// What the treatment service keeps about a citizen, for subject access, erasure and the
// retention sweep.
SubjectData TreatmentSubjectData();

}  // namespace ips::treatment
