#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/common/prepared.h"

namespace ips {

// Runs a kept SELECT (prepared.h) whose columns are bound into `row` (a
// struct with `into` bindings) and collects `make(row)` for every fetched
// row: the one loop every store uses to turn rows into messages. It takes
// only kept statements, so no store's reads go back to SOCI preparing (and
// PostgreSQL planning and deallocating) a statement per call.
template <typename Out, typename Row, typename Make>
std::vector<Out> CollectRows(Prepared& st, Row& row, Make make) {
  std::vector<Out> out;
  for (bool more = st.Execute(); more; more = st.Fetch()) out.push_back(make(row));
  return out;
}

// The first of `rows`, if any (for lookups by key).
template <typename Out>
std::optional<Out> FirstRow(std::vector<Out> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// The keyset condition for lists ordered by a date column and then id,
// continuing after the cursor from SplitDateIdKey (stored_values.h): binds
// the cursor's date twice, then its id. Starts with " AND".
inline std::string AfterDateIdClause(const std::string& date_column) {
  return " AND (" + date_column + " > :d1 OR (" + date_column + " = :d2 AND id > :i)) ";
}

}  // namespace ips
