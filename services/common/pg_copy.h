#pragma once

#include <soci/soci.h>

#include <string>
#include <string_view>

namespace ips {

// Upserts rows into a PostgreSQL table through COPY: the rows stream into a
// temporary staging table of the same columns (one COPY, no bind
// parameters to parse or plan), and one INSERT ... SELECT moves them into
// `table` with `conflict` ("ON CONFLICT ..."), emptying the staging table
// as it goes. `rows` is COPY's text format: one line a row, values
// separated by tabs, each escaped with AppendCopyValue. Runs in the
// session's transaction; throws std::runtime_error when PostgreSQL refuses,
// so the transaction fails as with any other statement.
void CopyUpsert(soci::session& s, const std::string& table, const std::string& columns,
                const std::string& rows, const std::string& conflict);

// Inserts rows into `table` with one COPY straight into it: for rows
// appended once, where a row already there is an error (the transaction
// fails) rather than something to merge. `rows` as for CopyUpsert.
void CopyAppend(soci::session& s, const std::string& table, const std::string& columns,
                const std::string& rows);

// Appends `value` to a row of COPY's text format, escaped.
void AppendCopyValue(std::string& row, std::string_view value);

}  // namespace ips
