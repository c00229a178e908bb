#pragma once

#include <string>
#include <vector>

namespace ips::reporting {

// Small-cell suppression for published counts (docs/architecture.md §6): a count from 1
// to threshold-1 is shown as "<threshold", and further cells are
// suppressed so that no suppressed count can be recovered from the totals.
//
// A table is published with its row totals, column totals and grand total.
// Think of it as an (R+1)×(C+1) grid whose last column holds the row totals
// and last row the column totals. Every row and every column of that grid
// is a line whose entries add up (the cells to their total). A line with
// exactly one suppressed entry gives it away by subtraction, so for every
// such line the smallest other entry is suppressed too (a non-zero inner
// cell first), until no line has exactly one. Zero is published: it
// reveals no one.
struct SuppressedTable {
  std::vector<std::vector<bool>> cells;  // rows × columns
  std::vector<bool> row_totals;
  std::vector<bool> column_totals;
  bool grand_total = false;
};

// `counts` is rows × columns, every row the same length, counts ≥ 0.
// With `with_row_totals` false neither the row totals nor the grand total
// are published (a single-column list needs only its column total), and
// only the columns are lines.
SuppressedTable Suppress(const std::vector<std::vector<long long>>& counts, long long threshold,
                         bool with_row_totals = true);

// A list of counts published with its total: one column.
struct SuppressedList {
  std::vector<bool> items;
  bool total = false;
};
SuppressedList SuppressList(const std::vector<long long>& counts, long long threshold);

// How a count is shown: the number, or "<threshold" when suppressed.
std::string ShowCount(long long count, bool suppressed, long long threshold);

}  // namespace ips::reporting
