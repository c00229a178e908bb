#pragma once

#include <vector>

#include "services/common/database.h"
#include "services/common/subject_erasure.h"

namespace ips::treatment {

// The treatment service's own tables (versions 100 and up; the shared
// runtime's tables are below 100).
std::vector<Migration> TreatmentMigrations();

// What erasing a citizen clears here, and how long their data is kept.
ErasurePlan TreatmentErasurePlan();

}  // namespace ips::treatment
