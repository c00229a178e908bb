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
#include "services/common/database_url.h"
#include "services/common/prepared.h"
#include "services/common/storage_errors.h"

namespace ips {

enum class Dialect { kSqlite, kPostgres };

// One versioned schema migration. `statements` run in order inside one
// transaction together with the row that records the version. Every
// service stores the same way: business dates as 'YYYY-MM-DD' text ('' for
// none, which sorts and compares alike on both databases), enums as their
// proto numbers, a version per row behind its etag, and citizens outside
// the registry by the registry's opaque id only.
struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

// Database is a service's own store, reached through SOCI: SQLite (the
// embedded default, in WAL mode) or PostgreSQL (production), chosen by URL:
//   sqlite:///var/lib/ips/registry.db   or   postgresql://user@host:5432/db
// The same SQL runs on both; where they differ, code asks dialect().
//
// It watches its storage. A failure of the environment (a file that became
// read-only or unreadable, a full disk, PostgreSQL gone or failing over)
// turns Healthy() false, with one log line saying why, and the call that
// met it fails with a code a caller can act on: UNAVAILABLE (retry later)
// or RESOURCE_EXHAUSTED (the storage is full), never INTERNAL. Every
// pooled connection is then reopened before its next use, and a probe
// (a small write, also every few seconds while healthy, so a database that
// cannot be written is noticed without traffic) turns Healthy() true again
// by itself once the storage is back: no restart needed.
class Database {
 public:
  // Refuses a database it cannot read and write, naming the file or the URL
  // (its password elided).
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& url, size_t pool_size = 8);
  ~Database();

  Dialect dialect() const { return dialect_; }

  // Runs `fn` on a pooled session outside a transaction (reads).
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

  // Whether the storage can be read and written, as last seen; and why not.
  bool Healthy() const { return healthy_; }
  std::string Problem() const;

  // The URL with its password elided, for messages.
  const std::string& display_url() const { return display_url_; }

 private:
  Database(Dialect dialect, size_t pool_size);
  absl::Status Run(bool write, const std::function<absl::Status(soci::session&)>& fn);
  // Opens (or reopens) session `s` with this database's settings.
  void Connect(soci::session& s);
  // A small write: whether the storage can be read and written now.
  absl::Status Probe();
  // Records a failure of the storage: unhealthy, every session reopened
  // before its next use, one log line per change.
  void MarkUnhealthy(const absl::Status& why);
  void MarkHealthy();
  // Probes, and (SQLite) checkpoints the write-ahead log, off the request path.
  void WatchLoop();

  Dialect dialect_;
  std::string connect_;      // what SOCI opens
  std::string display_url_;  // the URL without its password
  soci::connection_pool pool_;
  std::vector<uint64_t> session_generation_;  // per pooled session, guarded by its lease
  // Per pooled session, guarded by its lease: the statements it keeps
  // prepared (prepared.h), leased to the callback for the time of its call.
  std::vector<std::unique_ptr<StatementCache>> statements_;
  std::atomic<uint64_t> generation_{1};
  std::atomic<bool> healthy_{true};
  // The last failure was a full disk: SQLite waits for free space too.
  std::atomic<bool> storage_full_{false};
  std::string sqlite_dir_;  // the SQLite file's folder; empty on PostgreSQL
  mutable std::mutex problem_mu_;
  std::string problem_;
  std::mutex sqlite_write_mu_;
  soci::session watch_session_;
  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  bool watch_stop_ = false;
  std::thread watcher_;
};

}  // namespace ips
