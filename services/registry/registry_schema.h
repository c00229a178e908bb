#pragma once

#include <vector>

#include "services/common/database.h"
#include "services/common/subject_erasure.h"

namespace ips::registry {

// The registry's own tables (versions from 100; 1-99 are the runtime's).
std::vector<Migration> RegistryMigrations();

// What erasing a citizen clears here, and how long their data is kept.
ErasurePlan RegistryErasurePlan();

}  // namespace ips::registry
