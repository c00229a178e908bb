#pragma once

#include <soci/soci.h>

#include "services/reporting/facts_in_memory.h"

namespace ips::reporting {

// The durable copy of reporting's facts (tables of reporting_schema.cc).

// Reads every stored fact and feed cursor into `out`: at start, and after
// a write that failed.
void LoadFactsInMemory(soci::session& s, FactsInMemory& out);

// Writes the rows `changes` names as they now are in `facts`, and the
// cursors, on a session in the caller's transaction: one statement per
// changed row, however many events changed it.
void SaveChanges(soci::session& s, const FactsInMemory& facts, const FactsInMemory::Changes& changes);

// The stored cursor of `source`.
long long StoredCursor(soci::session& s, const std::string& source);

}  // namespace ips::reporting
