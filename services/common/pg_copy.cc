#include "services/common/pg_copy.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <memory>
#include <stdexcept>

#include "absl/strings/str_cat.h"

namespace ips {
namespace {

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Runs `sql` (one or more statements, no parameters) and checks it.
void Exec(PGconn* conn, const std::string& sql, ExecStatusType expected) {
  Result r(PQexec(conn, sql.c_str()), &PQclear);
  if (PQresultStatus(r.get()) != expected) {
    throw std::runtime_error(absl::StrCat("PostgreSQL: ", PQerrorMessage(conn)));
  }
}

PGconn* ConnOf(soci::session& s, const char* caller) {
  // SOCI's backend library exports no type information, so no dynamic_cast.
  if (s.get_backend_name() != "postgresql")
    throw std::logic_error(std::string(caller) + " needs a PostgreSQL session");
  return static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_;
}

// COPY `rows` into `table` (`columns`) and checks every result.
void Copy(PGconn* conn, const std::string& table, const std::string& columns, const std::string& rows) {
  Exec(conn, absl::StrCat("COPY ", table, " (", columns, ") FROM STDIN"), PGRES_COPY_IN);
  const bool sent = PQputCopyData(conn, rows.data(), static_cast<int>(rows.size())) == 1;
  if (PQputCopyEnd(conn, sent ? nullptr : "the rows could not be sent") != 1) {
    throw std::runtime_error(absl::StrCat("PostgreSQL: ", PQerrorMessage(conn)));
  }
  for (Result r(PQgetResult(conn), &PQclear); r; r.reset(PQgetResult(conn))) {
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      // Drain the rest, then fail.
      while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
      throw std::runtime_error(absl::StrCat("PostgreSQL COPY: ", PQerrorMessage(conn)));
    }
  }
}

}  // namespace

void AppendCopyValue(std::string& row, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        row += "\\\\";
        break;
      case '\t':
        row += "\\t";
        break;
      case '\n':
        row += "\\n";
        break;
      case '\r':
        row += "\\r";
        break;
      default:
        row += c;
    }
  }
}

void CopyUpsert(soci::session& s, const std::string& table, const std::string& columns,
                const std::string& rows, const std::string& conflict) {
  PGconn* conn = ConnOf(s, "CopyUpsert");
  const std::string stage = "copy_stage_" + table;
  // Created once per connection and kept, empty between calls: the move
  // below deletes what COPY put in, and a failed transaction takes its rows
  // (and a creation) back. SET LOCAL keeps "already exists, skipping" out
  // of the log, in one round trip with the CREATE.
  Exec(conn,
       absl::StrCat("SET LOCAL client_min_messages = warning; CREATE TEMP TABLE IF NOT EXISTS ", stage,
                    " AS SELECT ", columns, " FROM ", table, " WITH NO DATA"),
       PGRES_COMMAND_OK);
  Copy(conn, stage, columns, rows);
  Exec(conn,
       absl::StrCat("WITH moved AS (DELETE FROM ", stage, " RETURNING ", columns, ") INSERT INTO ", table,
                    " (", columns, ") SELECT ", columns, " FROM moved ", conflict),
       PGRES_COMMAND_OK);
}

void CopyAppend(soci::session& s, const std::string& table, const std::string& columns,
                const std::string& rows) {
  Copy(ConnOf(s, "CopyAppend"), table, columns, rows);
}

}  // namespace ips
