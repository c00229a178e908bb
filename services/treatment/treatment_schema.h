#pragma once

#include <vector>

#include "services/common/database.h"

namespace ips::treatment {

// The treatment service's own tables (versions 100 and up; the shared
// runtime's tables are below 100).
std::vector<Migration> TreatmentMigrations();

}  // namespace ips::treatment
