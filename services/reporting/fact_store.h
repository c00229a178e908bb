#pragma once

#include <soci/soci.h>

#include "services/reporting/fact_set.h"

namespace ips::reporting {

// The durable copy of reporting's facts (tables of reporting_schema.cc).

// Reads every stored fact and feed cursor into `out`: at start, and after
// a write that failed.
void LoadFactSet(soci::session& s, FactSet& out);

// Writes the rows `changes` names as they now are in `facts`, and the
// cursors, on a session in the caller's transaction: one statement per
// changed row, however many events changed it.
void SaveChanges(soci::session& s, const FactSet& facts, const FactSet::Changes& changes);

// The stored cursor of `source`.
long long StoredCursor(soci::session& s, const std::string& source);

}  // namespace ips::reporting
