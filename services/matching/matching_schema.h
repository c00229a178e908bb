#pragma once

#include <vector>

#include "services/common/database.h"

namespace ips::matching {

// The matching service's own tables (versions 100 and up).
std::vector<Migration> MatchingMigrations();

}  // namespace ips::matching
