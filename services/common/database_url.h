#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace ips {

// Turns postgresql://user:password@host:port/dbname?key=value into libpq's
// key=value form (SOCI does not pass URIs through to libpq unchanged).
absl::StatusOr<std::string> PostgresConnInfo(const std::string& url);

// The URL with any password replaced by "***", for messages and logs.
std::string WithoutPassword(const std::string& url);

}  // namespace ips
