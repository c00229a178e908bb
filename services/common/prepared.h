#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace ips {

// The statements one pooled session keeps prepared, by their SQL text.
//
// SOCI prepares every statement it is given and, on PostgreSQL, deallocates
// it again when the statement object goes: a server-side parse and plan and
// two extra round trips per query. A pooled session lives for the process,
// so its hot statements are prepared once and reused (what pgx and JDBC
// drivers do). Database owns one cache per pooled session and clears it
// before the session is reopened; Prepared (below) finds it.
//
// A kept statement is also a kept plan: after five runs PostgreSQL may
// settle on a generic plan made with the table sizes of that moment, and
// keeps it until the table is next analysed. A service that starts on empty
// tables (every new deployment, every restore into a fresh database) would
// otherwise run for a minute or more on plans made for no rows: the
// registry's least-loaded-consultant query, planned on an empty table, read
// every active enrolment once per consultant (3.3 ms at 900 enrolments;
// 0.25 ms at 2,000 when planned afresh). So on PostgreSQL each statement is prepared
// again after 16, 32, 64, ... runs (every 65,536 from then on): the planner
// sees the tables' current size each time, at a cost of one parse per
// doubling.
class StatementCache {
 public:
  explicit StatementCache(soci::session& session) : session_(session) {}
  ~StatementCache() { Clear(); }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Drops every statement (before the session is reopened: they belong to
  // the old connection).
  void Clear();

  // The first and the largest number of runs between two preparations of a
  // kept PostgreSQL statement (see above).
  static constexpr long long kFirstReplan = 16;
  static constexpr long long kMaxReplan = 65536;

  // While a Lease lives, Prepared on `session` uses `cache`. Leases nest (a
  // Read inside a Write's callback uses another session).
  class Lease {
   public:
    explicit Lease(StatementCache& cache);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    StatementCache& cache_;  // its outer_ is the lease to restore
  };

 private:
  friend class Prepared;
  struct Entry {
    std::unique_ptr<soci::statement> statement;
    bool busy = false;
    long long runs = 0;          // since it was last prepared
    long long replan_after = 0;  // runs before it is prepared again (0: never)
  };

  // The cache leased on this thread for `s`, or nullptr.
  static StatementCache* For(soci::session& s);

  soci::session& session_;
  std::unordered_map<std::string, Entry> entries_;
  StatementCache* outer_ = nullptr;  // the lease this one's replaced, on this thread
};

// One execution of `sql` on `s`: a kept statement when `s` is a pooled
// session (and the same SQL is not already running on it), else a one-off.
// Bind with the comma operator, as with SOCI's own prepare:
//
//   Prepared st(s, "SELECT name FROM t WHERE id = :id");
//   st, soci::use(id), soci::into(name);
//   if (st.Execute()) ...
//
// The bindings are dropped when it goes, so the statement never points at a
// caller's variables after its call; on SQLite the statement is also reset,
// which ends the read snapshot it held.
class Prepared {
 public:
  // kOneOff: SQL that varies too much to keep (a statement per row count,
  // say), run without a named statement.
  enum class Keep { kIfPooled, kOneOff };
  Prepared(soci::session& s, const std::string& sql, Keep keep = Keep::kIfPooled);
  ~Prepared();
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  Prepared& operator,(soci::details::into_type_ptr const& into) {
    statement_->exchange(into);
    reads_rows_ = true;
    return *this;
  }
  Prepared& operator,(soci::details::use_type_ptr const& use) {
    statement_->exchange(use);
    return *this;
  }
  // What soci::into and soci::use return.
  template <typename T, typename Indicator>
  Prepared& operator,(soci::details::into_container<T, Indicator> const& into) {
    statement_->exchange(into);
    reads_rows_ = true;
    return *this;
  }
  template <typename T, typename Indicator>
  Prepared& operator,(soci::details::use_container<T, Indicator> const& use) {
    statement_->exchange(use);
    return *this;
  }

  // Runs it; with `fetch_first`, the first row (if any) is in the bound
  // variables and the result says whether there was one; without, the rows
  // are read with Fetch(). A statement that reads no rows (nothing bound
  // with soci::into) always runs in full: SOCI's SQLite backend would
  // otherwise not run it at all. It may run again with the same bindings
  // (their variables' new values).
  bool Execute(bool fetch_first = true);
  // The next row; false at the end.
  bool Fetch() { return statement_->fetch(); }
  bool kept() const { return entry_ != nullptr; }

 private:
  std::unique_ptr<soci::statement> own_;
  StatementCache::Entry* entry_ = nullptr;
  soci::statement* statement_ = nullptr;
  bool sqlite_ = false;  // a kept SQLite statement, reset when it goes
  bool bound_ = false;
  bool reads_rows_ = false;  // something is bound with soci::into
};

// Runs `sql` once through a kept statement with `bindings` (soci::use and
// soci::into); whether a row came back. For the one-statement calls
// (`s << sql, use(a), into(b)`) on a hot path.
template <typename... Bindings>
bool RunKept(soci::session& s, const std::string& sql, Bindings&&... bindings) {
  Prepared st(s, sql);
  ((st, std::forward<Bindings>(bindings)), ...);
  return st.Execute();
}

}  // namespace ips
