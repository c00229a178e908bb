#include "services/common/database.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>
#include <sys/statvfs.h>

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/json_log.h"

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

// What a storage exception means for a caller.
struct Meaning {
  absl::StatusCode code = absl::StatusCode::kInternal;
  std::string what = "unknown";
  bool environment = false;  // the storage's failure, not the call's
};

Meaning MeaningOf(const std::exception& e) {
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

absl::Status StatusOf(const Meaning& m) {
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

// A PostgreSQL session whose connection is gone (the server restarted,
// failed over, or the network dropped it).
bool ConnectionBroken(soci::session& s) {
  // (Only asked of PostgreSQL sessions; SOCI does not export the backend's
  // type information, so no dynamic_cast.)
  auto* backend = static_cast<soci::postgresql_session_backend*>(s.get_backend());
  return backend && (!backend->conn_ || PQstatus(backend->conn_) != CONNECTION_OK);
}

}  // namespace

Database::Database(Dialect dialect, size_t pool_size)
    : dialect_(dialect), pool_(pool_size), session_generation_(pool_size, 0) {}

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
        absl::StrCat("db: cannot open ", db->display_url_, ": ", MeaningOf(e).what));
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
    const Meaning m = MeaningOf(e);
    return absl::Status(m.environment ? m.code : absl::StatusCode::kUnavailable,
                        absl::StrCat("db: cannot write ", db->display_url_, ": ", m.what));
  }
  db->watcher_ = std::thread([raw = db.get()] { raw->WatchLoop(); });
  return db;
}

absl::StatusOr<std::string> PostgresConnInfo(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return absl::InvalidArgumentError("db: not a URL");
  std::string rest = url.substr(scheme + 3);
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string dbname;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    dbname = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string user, password;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    user = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = user.find(':'); colon != std::string::npos) {
      password = user.substr(colon + 1);
      user = user.substr(0, colon);
    }
  }
  std::string host = rest, port;
  if (auto colon = rest.rfind(':'); colon != std::string::npos && rest.find(']') == std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  // Values are quoted for libpq; quotes and backslashes inside are escaped.
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') out.push_back('\\');
      out.push_back(c);
    }
    return out + "'";
  };
  std::string info;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) absl::StrAppend(&info, info.empty() ? "" : " ", key, "=", quote(value));
  };
  add("host", host);
  add("port", port);
  add("user", user);
  add("password", password);
  add("dbname", dbname);
  for (absl::string_view kv : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    auto eq = kv.find('=');
    if (eq == absl::string_view::npos) return absl::InvalidArgumentError("db: malformed URL query");
    add(std::string(kv.substr(0, eq)).c_str(), std::string(kv.substr(eq + 1)));
  }
  return info;
}

std::string WithoutPassword(const std::string& url) {
  std::string out = url;
  const auto scheme = out.find("://");
  const auto at = out.find('@', scheme == std::string::npos ? 0 : scheme);
  if (scheme != std::string::npos && at != std::string::npos) {
    const auto colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  if (auto p = out.find("password="); p != std::string::npos) {
    const auto end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

absl::Status StorageError(const std::exception& e, bool* environment) {
  const Meaning m = MeaningOf(e);
  if (environment) *environment = m.environment;
  LogWarn("storage_error", {{"code", absl::StatusCodeToString(m.code)}, {"what", m.what}});
  return StatusOf(m);
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
  if (session_generation_[pos] != generation) {
    try {
      Connect(session);
      session_generation_[pos] = generation;
    } catch (const std::exception& e) {
      Meaning m = MeaningOf(e);
      if (m.code == absl::StatusCode::kInternal)
        m = {absl::StatusCode::kUnavailable, "the database cannot be reached", true};
      absl::Status status = StatusOf(m);
      MarkUnhealthy(status);
      return status;
    }
  }
  bool in_tx = false;
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
