#pragma once

#include <vector>

#include "services/common/common_rpcs.h"
#include "services/common/database.h"

namespace ips::reporting {

// The reporting service's own tables (versions 100 and up): the facts it
// derives from the feeds, keyed by pseudonym, and each feed's cursor.
std::vector<Migration> ReportingMigrations();

// What reporting keeps about a pseudonym, for subject access.
SubjectData ReportingSubjectData();

}  // namespace ips::reporting
