#pragma once

#include <vector>

#include "services/common/database.h"

namespace ips::registry {

// The registry's own tables (versions from 100; 1-99 are the runtime's).
std::vector<Migration> RegistryMigrations();

}  // namespace ips::registry
