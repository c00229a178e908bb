#pragma once

#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ips {

enum class Dialect { kSqlite, kPostgres };

// One versioned schema migration. `statements` run in order inside one
// transaction together with the row that records the version.
struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

// Database is a service's own store, reached through SOCI: SQLite (the
// embedded default, in WAL mode) or PostgreSQL (production), chosen by URL:
//   sqlite:///var/lib/ips/registry.db   or   postgresql://user@host:5432/db
// The same SQL runs on both; where they differ, code asks dialect().
class Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& url, size_t pool_size = 8);
  ~Database();

  Dialect dialect() const { return dialect_; }

  // Runs `fn` on a pooled session outside a transaction (reads). Storage
  // exceptions become INTERNAL (UNAVAILABLE when the connection failed).
  absl::Status Read(const std::function<absl::Status(soci::session&)>& fn);

  // Runs `fn` in a write transaction, committed only when it returns OK.
  // SQLite takes the write lock at BEGIN (BEGIN IMMEDIATE) so a transaction
  // never fails half-way on lock upgrade; writes in this process are also
  // serialised to avoid busy-waiting inside SQLite.
  absl::Status Write(const std::function<absl::Status(soci::session&)>& fn);

  // Applies the migrations not yet recorded in schema_migrations, in order.
  absl::Status Migrate(const std::vector<Migration>& migrations);

  // " FOR UPDATE" on PostgreSQL (row lock); empty on SQLite, whose write
  // transaction already holds the database lock.
  const char* ForUpdate() const { return dialect_ == Dialect::kPostgres ? " FOR UPDATE" : ""; }

 private:
  Database(Dialect dialect, size_t pool_size);
  absl::Status Run(bool write, const std::function<absl::Status(soci::session&)>& fn);
  void CheckpointLoop();

  Dialect dialect_;
  soci::connection_pool pool_;
  std::mutex sqlite_write_mu_;
  // SQLite: WAL checkpoints run here, off the request path, instead of in
  // whichever commit crosses the auto-checkpoint threshold.
  soci::session checkpoint_session_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_stop_ = false;
  std::thread checkpointer_;
};

// Turns postgresql://user:password@host:port/dbname?key=value into libpq's
// key=value form (SOCI does not pass URIs through to libpq unchanged).
absl::StatusOr<std::string> PostgresConnInfo(const std::string& url);

// Translates a storage exception into a status without its text: SOCI
// messages can quote bound values, which may be personal data.
absl::Status StorageError(const std::exception& e);

}  // namespace ips
