#include "services/common/prepared.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>

namespace ips {
namespace {

// The caches leased on this thread, innermost first (a linked stack through
// StatementCache::outer_).
thread_local StatementCache* leased = nullptr;

}  // namespace

void StatementCache::Clear() {
  for (auto& [sql, entry] : entries_) {
    try {
      entry.statement.reset();
    } catch (...) {
      // Deallocating on a broken connection may fail; the connection goes.
    }
  }
  entries_.clear();
}

StatementCache::Lease::Lease(StatementCache& cache) : cache_(cache) {
  cache.outer_ = leased;
  leased = &cache;
}

StatementCache::Lease::~Lease() { leased = cache_.outer_; }

StatementCache* StatementCache::For(soci::session& s) {
  for (StatementCache* c = leased; c != nullptr; c = c->outer_) {
    if (&c->session_ == &s) return c;
  }
  return nullptr;
}

Prepared::Prepared(soci::session& s, const std::string& sql, Keep keep) {
  StatementCache* cache = keep == Keep::kIfPooled ? StatementCache::For(s) : nullptr;
  if (cache != nullptr) {
    auto& entry = cache->entries_[sql];
    if (!entry.busy) {
      sqlite_ = s.get_backend_name() == "sqlite3";
      if (entry.statement && entry.replan_after > 0 && entry.runs >= entry.replan_after) {
        try {
          entry.statement.reset();  // deallocated on the server
        } catch (...) {
          // Left to go with the connection; prepared again just below.
        }
        entry.replan_after = std::min(entry.replan_after * 2, StatementCache::kMaxReplan);
      }
      if (!entry.statement) {
        auto st = std::make_unique<soci::statement>(s);
        st->alloc();
        st->prepare(sql, soci::details::st_repeatable_query);
        entry.statement = std::move(st);
        entry.runs = 0;
        // SQLite plans without table statistics unless ANALYZE has run, and
        // prepares again by itself when the schema changes.
        if (!sqlite_ && entry.replan_after == 0) entry.replan_after = StatementCache::kFirstReplan;
      }
      ++entry.runs;
      entry.busy = true;
      entry_ = &entry;
      statement_ = entry.statement.get();
      return;
    }
  }
  // Not pooled, or this SQL is running on the session already (a nested
  // use): a one-off, which PostgreSQL runs without a named statement.
  own_ = std::make_unique<soci::statement>(s);
  own_->alloc();
  own_->prepare(sql, soci::details::st_one_time_query);
  statement_ = own_.get();
}

Prepared::~Prepared() {
  if (entry_ == nullptr) return;
  try {
    statement_->bind_clean_up();
    if (sqlite_) {
      auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement_->get_backend());
      if (backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
    }
    entry_->busy = false;
  } catch (...) {
    // Left busy: this statement is not reused, a one-off takes its place.
  }
}

bool Prepared::Execute(bool fetch_first) {
  if (!bound_) {
    statement_->define_and_bind();
    bound_ = true;
  }
  return statement_->execute(fetch_first || !reads_rows_);
}

}  // namespace ips
