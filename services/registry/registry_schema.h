#pragma once

#include <vector>

#include "services/common/common_rpcs.h"
#include "services/common/database.h"

namespace ips::registry {

// The registry's own tables (versions from 100; 1-99 are the runtime's).
std::vector<Migration> RegistryMigrations();

// What the registry keeps about a citizen, for subject access, erasure and the
// retention sweep.
SubjectData RegistrySubjectData();

}  // namespace ips::registry
