#include "services/common/database.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/json_log.h"

namespace ips {

Database::Database(Dialect dialect, size_t pool_size) : dialect_(dialect), pool_(pool_size) {}

Database::~Database() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    checkpointer_.join();
  }
}

void Database::CheckpointLoop() {
  std::unique_lock lock(checkpoint_mu_);
  while (!checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return checkpoint_stop_; })) {
    try {
      // PASSIVE never blocks writers or readers; it copies what it can.
      int busy = 0, log = 0, done = 0;
      checkpoint_session_ << "PRAGMA wal_checkpoint(PASSIVE)", soci::into(busy), soci::into(log),
          soci::into(done);
    } catch (const std::exception& e) {
      (void)StorageError(e);
    }
  }
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const std::string& url, size_t pool_size) {
  Dialect dialect;
  std::string connect;
  if (absl::StartsWith(url, "sqlite://")) {
    dialect = Dialect::kSqlite;
    std::string path = url.substr(strlen("sqlite://"));
    if (path.empty()) return absl::InvalidArgumentError("db: sqlite URL needs a file path");
    connect = absl::StrCat("db=", path, " timeout=30");
  } else if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    dialect = Dialect::kPostgres;
    auto info = PostgresConnInfo(url);
    if (!info.ok()) return info.status();
    connect = *info;
  } else {
    return absl::InvalidArgumentError("db: URL must start with sqlite:// or postgresql://");
  }
  std::unique_ptr<Database> db(new Database(dialect, pool_size));
  try {
    for (size_t i = 0; i < pool_size; ++i) {
      soci::session& s = db->pool_.at(i);
      if (dialect == Dialect::kSqlite) {
        s.open(soci::sqlite3, connect);
        s << "PRAGMA journal_mode=WAL";
        s << "PRAGMA synchronous=NORMAL";
        s << "PRAGMA foreign_keys=ON";
        s << "PRAGMA wal_autocheckpoint=0";
      } else {
        s.open(soci::postgresql, connect);
        s << "SET client_min_messages TO WARNING";
      }
    }
    if (dialect == Dialect::kSqlite) {
      db->checkpoint_session_.open(soci::sqlite3, connect);
      db->checkpointer_ = std::thread([raw = db.get()] { raw->CheckpointLoop(); });
    }
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(
        "db: cannot connect to the ", dialect == Dialect::kSqlite ? "SQLite" : "PostgreSQL", " database"));
  }
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

absl::Status StorageError(const std::exception& e) {
  const auto* se = dynamic_cast<const soci::soci_error*>(&e);
  std::string category = "unknown";
  absl::StatusCode code = absl::StatusCode::kInternal;
  if (se) {
    switch (se->get_error_category()) {
      case soci::soci_error::connection_error:
        category = "connection_error";
        code = absl::StatusCode::kUnavailable;
        break;
      case soci::soci_error::constraint_violation:
        category = "constraint_violation";
        code = absl::StatusCode::kAborted;
        break;
      case soci::soci_error::invalid_statement:
        category = "invalid_statement";
        break;
      default:
        break;
    }
  }
  LogWarn("storage_error", {{"category", category}});
  return absl::Status(code, absl::StrCat("storage error (", category, "); retry later"));
}

absl::Status Database::Run(bool write, const std::function<absl::Status(soci::session&)>& fn) {
  std::unique_lock<std::mutex> write_lock;
  if (write && dialect_ == Dialect::kSqlite) write_lock = std::unique_lock(sqlite_write_mu_);
  soci::session session(pool_);
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
    return StorageError(e);
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
