#include "services/common/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/statvfs.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/json_log.h"
#include "services/common/storage_errors.h"

namespace ips {

namespace {

constexpr auto kProbeWhileHealthy = std::chrono::seconds(5);
constexpr auto kProbeWhileUnhealthy = std::chrono::milliseconds(500);
constexpr auto kCheckpointEvery = std::chrono::milliseconds(250);
// The write-ahead log is truncated back to this when it has grown past it,
// so a crash never leaves more than this to replay (and the disk gets the
// space back).
constexpr long long kWalLimitBytes = 64LL << 20;
// After the storage was full, SQLite is healthy again only with this much
// free: a small probe write fits into pages the files already hold, so it
// alone would say "healthy" on a disk that is still full.
constexpr unsigned long long kFreeAfterFullBytes = 4ULL << 20;

// Free bytes on the file system holding `path`, or nullopt.
std::optional<unsigned long long> FreeBytesAt(const std::string& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
}

}  // namespace

Database::Database(Dialect dialect, size_t pool_size)
    : dialect_(dialect), pool_(pool_size), session_generation_(pool_size, 0) {
  for (size_t i = 0; i < pool_size; ++i) statements_.push_back(std::make_unique<StatementCache>(pool_.at(i)));
}

Database::~Database() {
  if (watcher_.joinable()) {
    {
      std::lock_guard lock(watch_mu_);
      watch_stop_ = true;
    }
    watch_cv_.notify_all();
    watcher_.join();
  }
}

void Database::Connect(soci::session& s) {
  try {
    s.close();
  } catch (...) {
    // Closing a broken connection may throw; it is being replaced.
  }
  if (dialect_ == Dialect::kSqlite) {
    s.open(soci::sqlite3, connect_);
    s << "PRAGMA journal_mode=WAL";
    s << "PRAGMA synchronous=NORMAL";
    s << "PRAGMA foreign_keys=ON";
    // Checkpoints run in WatchLoop, off the request path.
    s << "PRAGMA wal_autocheckpoint=0";
    s << "PRAGMA journal_size_limit=" << kWalLimitBytes;
  } else {
    s.open(soci::postgresql, connect_);
    s << "SET client_min_messages TO WARNING";
  }
}

std::string Database::Problem() const {
  std::lock_guard lock(problem_mu_);
  return problem_;
}

void Database::MarkUnhealthy(const absl::Status& why) {
  // Every pooled connection is reopened before its next use.
  ++generation_;
  if (why.code() == absl::StatusCode::kResourceExhausted) storage_full_ = true;
  {
    std::lock_guard lock(problem_mu_);
    problem_ = std::string(why.message());
  }
  if (healthy_.exchange(false)) {
    LogWarn("storage_unavailable", {{"database", display_url_},
                                    {"code", absl::StatusCodeToString(why.code())},
                                    {"why", std::string(why.message())}});
    watch_cv_.notify_all();
  }
}

void Database::MarkHealthy() {
  storage_full_ = false;
  if (!healthy_.exchange(true)) LogInfo("storage_available", {{"database", display_url_}});
}

absl::Status Database::Probe() {
  if (storage_full_ && !sqlite_dir_.empty()) {
    const auto free = FreeBytesAt(sqlite_dir_);
    if (free && *free < kFreeAfterFullBytes) {
      return absl::ResourceExhaustedError(absl::StrCat("the storage is still full (", *free, " bytes free)"));
    }
  }
  return Write([](soci::session& s) {
    long long now = NowMicros();
    s << "UPDATE storage_probe SET micros = :t WHERE id = 1", soci::use(now);
    return absl::OkStatus();
  });
}

void Database::WatchLoop() {
  using Clock = std::chrono::steady_clock;
  auto next_probe = Clock::now() + kProbeWhileHealthy;
  uint64_t watch_generation = generation_;
  std::unique_lock lock(watch_mu_);
  while (!watch_stop_) {
    watch_cv_.wait_for(lock, dialect_ == Dialect::kSqlite ? kCheckpointEvery : kProbeWhileUnhealthy);
    if (watch_stop_) break;
    lock.unlock();
    if (dialect_ == Dialect::kSqlite && healthy_) {
      try {
        if (watch_generation != generation_) {
          watch_generation = generation_;
          Connect(watch_session_);
        }
        // PASSIVE never blocks writers or readers; it copies what it can.
        int busy = 0, log = 0, done = 0, page_size = 4096;
        watch_session_ << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(log),
            soci::into(done);
        watch_session_ << "PRAGMA page_size", soci::into(page_size);
        // A log grown past the limit is truncated once fully copied.
        if (static_cast<long long>(log) * page_size > kWalLimitBytes && done == log) {
          watch_session_ << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
              soci::into(done);
        }
      } catch (const std::exception& e) {
        // The probe below (or the next call) says what is wrong.
        watch_generation = 0;
      }
    }
    const auto now = Clock::now();
    if (now >= next_probe || !healthy_) {
      if (Probe().ok()) MarkHealthy();
      next_probe = now + (healthy_ ? kProbeWhileHealthy : kProbeWhileUnhealthy);
    }
    lock.lock();
  }
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& url, size_t pool_size) {
  Dialect dialect;
  std::string connect, sqlite_dir;
  if (absl::StartsWith(url, "sqlite://")) {
    dialect = Dialect::kSqlite;
    std::string path = url.substr(strlen("sqlite://"));
    if (path.empty()) return absl::InvalidArgumentError("db: sqlite URL needs a file path");
    connect = absl::StrCat("db=", path, " timeout=30");
    const auto slash = path.rfind('/');
    sqlite_dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  } else if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    dialect = Dialect::kPostgres;
    auto info = PostgresConnInfo(url);
    if (!info.ok()) return info.status();
    connect = *info;
    // Give up on an unreachable server within seconds, not minutes, so a
    // failover shows as UNAVAILABLE quickly.
    if (connect.find("connect_timeout=") == std::string::npos) connect += " connect_timeout='3'";
  } else {
    return absl::InvalidArgumentError("db: URL must start with sqlite:// or postgresql://");
  }
  std::unique_ptr<Database> db(new Database(dialect, pool_size));
  db->connect_ = connect;
  db->display_url_ = WithoutPassword(url);
  db->sqlite_dir_ = sqlite_dir;
  try {
    for (size_t i = 0; i < pool_size; ++i) {
      db->Connect(db->pool_.at(i));
      db->session_generation_[i] = db->generation_;
    }
    if (dialect == Dialect::kSqlite) db->Connect(db->watch_session_);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("db: cannot open ", db->display_url_, ": ", ClassifyStorageFailure(e).what));
  }
  // Prove the database can be written before anything is served from it.
  try {
    soci::session& s = db->pool_.at(0);
    s << (dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    // Replicas starting together take turns, as for the migrations.
    if (dialect == Dialect::kPostgres) {
      int one = 0;
      s << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7431)) AS migration_lock", soci::into(one);
    }
    s << "CREATE TABLE IF NOT EXISTS storage_probe (id INTEGER PRIMARY KEY, micros BIGINT NOT NULL)";
    int rows = 0;
    s << "SELECT COUNT(*) FROM storage_probe", soci::into(rows);
    long long now = NowMicros();
    if (rows == 0) s << "INSERT INTO storage_probe (id, micros) VALUES (1, :t)", soci::use(now);
    s << "UPDATE storage_probe SET micros = :t WHERE id = 1", soci::use(now);
    s << "COMMIT";
  } catch (const std::exception& e) {
    const StorageFailure m = ClassifyStorageFailure(e);
    return absl::Status(m.environment ? m.code : absl::StatusCode::kUnavailable,
                        absl::StrCat("db: cannot write ", db->display_url_, ": ", m.what));
  }
  db->watcher_ = std::thread([raw = db.get()] { raw->WatchLoop(); });
  return db;
}

absl::Status Database::Run(bool write, const std::function<absl::Status(soci::session&)>& fn) {
  std::unique_lock<std::mutex> write_lock;
  if (write && dialect_ == Dialect::kSqlite) write_lock = std::unique_lock(sqlite_write_mu_);
  const size_t pos = pool_.lease();
  struct GiveBack {
    soci::connection_pool& pool;
    size_t pos;
    ~GiveBack() { pool.give_back(pos); }
  } give_back{pool_, pos};
  soci::session& session = pool_.at(pos);
  // A connection from before a failure of the storage is reopened first.
  const uint64_t generation = generation_;
  StatementCache& statements = *statements_[pos];
  if (session_generation_[pos] != generation) {
    statements.Clear();  // they belong to the old connection
    try {
      Connect(session);
      session_generation_[pos] = generation;
    } catch (const std::exception& e) {
      StorageFailure m = ClassifyStorageFailure(e);
      if (m.code == absl::StatusCode::kInternal)
        m = {absl::StatusCode::kUnavailable, "the database cannot be reached", true};
      absl::Status status = StatusOf(m);
      MarkUnhealthy(status);
      return status;
    }
  }
  bool in_tx = false;
  const StatementCache::Lease lease(statements);
  try {
    if (write) {
      session << (dialect_ == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
      in_tx = true;
    }
    absl::Status status = fn(session);
    if (in_tx) {
      in_tx = false;
      session << (status.ok() ? "COMMIT" : "ROLLBACK");
      if (status.ok() && !storage_full_) MarkHealthy();  // a full disk: the probe decides
    }
    return status;
  } catch (const std::exception& e) {
    if (in_tx) {
      try {
        session << "ROLLBACK";
      } catch (...) {
        // The connection is gone; the server rolls back on its own.
      }
    }
    bool environment = false;
    absl::Status status = StorageError(e, &environment);
    if (!environment && dialect_ == Dialect::kPostgres && ConnectionBroken(session)) {
      // A call in flight when the connection broke: its commit is unknown,
      // and a retry with the same request id finds what it made, if it did.
      status = StatusOf({absl::StatusCode::kUnavailable, "the connection to PostgreSQL broke", true});
      environment = true;
    }
    if (environment) MarkUnhealthy(status);
    return status;
  }
}

absl::Status Database::Read(const std::function<absl::Status(soci::session&)>& fn) { return Run(false, fn); }

absl::Status Database::Write(const std::function<absl::Status(soci::session&)>& fn) { return Run(true, fn); }

absl::Status Database::Migrate(const std::vector<Migration>& migrations) {
  // Replicas starting together on one PostgreSQL take turns: a transaction
  // advisory lock serialises the migration transactions, and each one
  // re-checks what is already applied.
  const auto take_turn = [&](soci::session& s) {
    if (dialect_ != Dialect::kPostgres) return;
    int one = 0;
    s << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7431)) AS migration_lock", soci::into(one);
  };
  absl::Status status = Write([&](soci::session& s) {
    take_turn(s);
    s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
         "name TEXT NOT NULL, applied_micros BIGINT NOT NULL)";
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  for (const auto& m : migrations) {
    status = Write([&](soci::session& s) {
      take_turn(s);
      int count = 0;
      s << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version),
          soci::into(count);
      if (count > 0) return absl::OkStatus();
      for (const auto& sql : m.statements) {
        // "sqlite:" and "postgres:" prefixes mark dialect-specific statements.
        if (absl::StartsWith(sql, "sqlite:")) {
          if (dialect_ == Dialect::kSqlite) s << sql.substr(strlen("sqlite:"));
        } else if (absl::StartsWith(sql, "postgres:")) {
          if (dialect_ == Dialect::kPostgres) s << sql.substr(strlen("postgres:"));
        } else {
          s << sql;
        }
      }
      long long now = NowMicros();
      s << "INSERT INTO schema_migrations (version, name, applied_micros) VALUES (:v, :n, :t)",
          soci::use(m.version), soci::use(m.name), soci::use(now);
      LogInfo("migration_applied", {{"version", m.version}, {"name", m.name}});
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace ips
