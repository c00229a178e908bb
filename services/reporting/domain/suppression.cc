#include "services/reporting/domain/suppression.h"

#include <utility>

namespace ips::reporting {
namespace {

struct Entry {
  long long value = 0;
  bool suppressed = false;
  bool total = false;
};

using Grid = std::vector<std::vector<Entry>>;

// The lines of the grid: every set of entries that adds up to a published
// total. Rows (cells + row total, column totals + grand total) and the
// last column exist only when row totals are published.
std::vector<std::vector<Entry*>> Lines(Grid& g, bool with_row_totals) {
  const size_t rows = g.size() - 1, cols = g[0].size() - 1;
  std::vector<std::vector<Entry*>> lines;
  if (with_row_totals) {
    for (auto& r : g) {
      lines.emplace_back();
      for (auto& e : r) lines.back().push_back(&e);
    }
  }
  for (size_t c = 0; c < cols + (with_row_totals ? 1 : 0); ++c) {
    lines.emplace_back();
    for (size_t r = 0; r <= rows; ++r) lines.back().push_back(&g[r][c]);
  }
  return lines;
}

// Suppresses the best partner in a line with one suppressed entry: the
// smallest non-zero inner cell, else the smallest non-zero total, else any
// zero (which still hides how a total splits). False when there is none.
bool SuppressPartner(const std::vector<Entry*>& line) {
  Entry* best = nullptr;
  auto rank = [](const Entry* e) { return std::make_pair(e->value == 0 ? 2 : (e->total ? 1 : 0), e->value); };
  for (Entry* e : line) {
    if (e->suppressed) continue;
    if (!best || rank(e) < rank(best)) best = e;
  }
  if (best) best->suppressed = true;
  return best != nullptr;
}

}  // namespace

SuppressedTable Suppress(const std::vector<std::vector<long long>>& counts, long long threshold,
                         bool with_row_totals) {
  const size_t rows = counts.size(), cols = rows ? counts[0].size() : 0;
  Grid g(rows + 1, std::vector<Entry>(cols + 1));
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      const long long v = counts[r][c];
      g[r][c].value = v;
      g[r][cols].value += v;
      g[rows][c].value += v;
      g[rows][cols].value += v;
    }
  }
  for (size_t r = 0; r <= rows; ++r) g[r][cols].total = true;
  for (size_t c = 0; c <= cols; ++c) g[rows][c].total = true;
  for (size_t r = 0; r <= rows; ++r) {
    for (size_t c = 0; c <= cols; ++c) {
      if (!with_row_totals && c == cols) continue;  // not published
      auto& e = g[r][c];
      e.suppressed = e.value > 0 && e.value < threshold;
    }
  }
  const auto lines = Lines(g, with_row_totals);
  // Every round suppresses one more entry or ends, so this stops.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& line : lines) {
      int suppressed = 0;
      for (const Entry* e : line) suppressed += e->suppressed;
      if (suppressed == 1 && SuppressPartner(line)) changed = true;
    }
  }
  SuppressedTable out;
  out.cells.assign(rows, std::vector<bool>(cols));
  out.row_totals.assign(rows, false);
  out.column_totals.assign(cols, false);
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) out.cells[r][c] = g[r][c].suppressed;
    out.row_totals[r] = with_row_totals && g[r][cols].suppressed;
  }
  for (size_t c = 0; c < cols; ++c) out.column_totals[c] = g[rows][c].suppressed;
  out.grand_total = with_row_totals && g[rows][cols].suppressed;
  return out;
}

SuppressedList SuppressList(const std::vector<long long>& counts, long long threshold) {
  if (counts.empty()) return {};  // nothing to publish, not even a total
  std::vector<std::vector<long long>> column;
  for (long long v : counts) column.push_back({v});
  auto t = Suppress(column, threshold, /*with_row_totals=*/false);
  SuppressedList out;
  for (const auto& row : t.cells) out.items.push_back(row[0]);
  out.total = t.column_totals[0];
  return out;
}

std::string ShowCount(long long count, bool suppressed, long long threshold) {
  return suppressed ? "<" + std::to_string(threshold) : std::to_string(count);
}

}  // namespace ips::reporting
