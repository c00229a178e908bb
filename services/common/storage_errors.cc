#include "services/common/storage_errors.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "services/common/json_log.h"

namespace ips {

StorageFailure ClassifyStorageFailure(const std::exception& e) {
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    switch (lite->result() & 0xff) {
      case SQLITE_FULL:
        return {absl::StatusCode::kResourceExhausted, "the storage is full", true};
      case SQLITE_READONLY:
        return {absl::StatusCode::kUnavailable, "the database is read-only", true};
      case SQLITE_CANTOPEN:
      case SQLITE_PERM:
      case SQLITE_AUTH:
        return {absl::StatusCode::kUnavailable, "the database file cannot be opened", true};
      case SQLITE_IOERR:
        return {absl::StatusCode::kUnavailable, "the database file cannot be read or written", true};
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return {absl::StatusCode::kUnavailable, "the database file is damaged", true};
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return {absl::StatusCode::kUnavailable, "the database is busy", false};
      case SQLITE_CONSTRAINT:
        return {absl::StatusCode::kAborted, "constraint_violation", false};
      default:
        break;
    }
  }
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "53100") return {absl::StatusCode::kResourceExhausted, "the storage is full", true};
    if (state.rfind("08", 0) == 0)
      return {absl::StatusCode::kUnavailable, "PostgreSQL cannot be reached", true};
    if (state.rfind("57P", 0) == 0) {
      return {absl::StatusCode::kUnavailable, "PostgreSQL is shutting down or starting", true};
    }
    if (state == "25006") {
      return {absl::StatusCode::kUnavailable, "PostgreSQL is read-only (a standby, as after a failover)",
              true};
    }
    if (state.rfind("53", 0) == 0)
      return {absl::StatusCode::kUnavailable, "PostgreSQL is out of resources", true};
    if (state == "40001" || state == "40P01" || state.rfind("23", 0) == 0) {
      return {absl::StatusCode::kAborted, "constraint_violation", false};
    }
  }
  if (const auto* se = dynamic_cast<const soci::soci_error*>(&e)) {
    switch (se->get_error_category()) {
      case soci::soci_error::connection_error:
        return {absl::StatusCode::kUnavailable, "the database cannot be reached", true};
      case soci::soci_error::constraint_violation:
        return {absl::StatusCode::kAborted, "constraint_violation", false};
      case soci::soci_error::invalid_statement:
        return {absl::StatusCode::kInternal, "invalid_statement", false};
      default:
        break;
    }
  }
  return {};
}

absl::Status StatusOf(const StorageFailure& m) {
  switch (m.code) {
    case absl::StatusCode::kResourceExhausted:
      return absl::ResourceExhaustedError(
          "the database's storage is full; nothing was saved; retry once space is freed");
    case absl::StatusCode::kUnavailable:
      return absl::UnavailableError(
          absl::StrCat("the database is unavailable (", m.what, "); nothing was saved; retry later"));
    default:
      return absl::Status(m.code, absl::StrCat("storage error (", m.what, "); retry later"));
  }
}

bool ConnectionBroken(soci::session& s) {
  // (Only asked of PostgreSQL sessions; SOCI does not export the backend's
  // type information, so no dynamic_cast.)
  auto* backend = static_cast<soci::postgresql_session_backend*>(s.get_backend());
  return backend && (!backend->conn_ || PQstatus(backend->conn_) != CONNECTION_OK);
}

absl::Status StorageError(const std::exception& e, bool* environment) {
  const StorageFailure m = ClassifyStorageFailure(e);
  if (environment) *environment = m.environment;
  LogWarn("storage_error", {{"code", absl::StatusCodeToString(m.code)}, {"what", m.what}});
  return StatusOf(m);
}

}  // namespace ips
