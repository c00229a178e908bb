#pragma once

#include <soci/soci.h>

#include <exception>
#include <string>

#include "absl/status/status.h"

namespace ips {

// What a storage exception means for a caller, read from SQLite's result
// code, PostgreSQL's SQLSTATE or SOCI's error category, never from the
// message (SOCI messages can quote bound values, which may be personal
// data).
struct StorageFailure {
  absl::StatusCode code = absl::StatusCode::kInternal;
  std::string what = "unknown";
  bool environment = false;  // the storage's failure, not the call's
};
StorageFailure ClassifyStorageFailure(const std::exception& e);

// The status a caller gets: UNAVAILABLE or RESOURCE_EXHAUSTED saying that
// nothing was saved and what to do, otherwise the code with what failed.
absl::Status StatusOf(const StorageFailure& failure);

// A PostgreSQL session whose connection is gone (the server restarted,
// failed over, or the network dropped it).
bool ConnectionBroken(soci::session& s);

// Translates a storage exception into a status without its text: the
// environment's failures UNAVAILABLE or RESOURCE_EXHAUSTED with what a
// caller can do, a broken constraint ABORTED, anything else INTERNAL.
// `environment` is set when the failure is the storage's, not the call's.
absl::Status StorageError(const std::exception& e, bool* environment = nullptr);

}  // namespace ips
