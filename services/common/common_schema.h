#pragma once

#include <vector>

#include "services/common/database.h"

namespace ips {

// Tables every service has: the event outbox, the audit log, idempotency
// keys and the counters that make outbox and audit sequences gap-free.
// Versions 1-99 are reserved for these; services number theirs from 100.
std::vector<Migration> CommonMigrations();

}  // namespace ips
