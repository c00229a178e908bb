// Small-cell suppression: hand-worked tables and a property test over
// random tables (every small count hidden, and no line of the published
// grid has exactly one hidden entry, so none can be found by subtraction).
#include "services/reporting/domain/suppression.h"

#include <gtest/gtest.h>

#include <random>

namespace ips::reporting {
namespace {

using Counts = std::vector<std::vector<long long>>;

TEST(SuppressionTest, ShowsSmallCountsAsBelowTheThreshold) {
  EXPECT_EQ(ShowCount(3, true, 5), "<5");
  EXPECT_EQ(ShowCount(12, false, 5), "12");
  EXPECT_EQ(ShowCount(0, false, 5), "0");
}

TEST(SuppressionTest, ALonelySmallCellTakesItsSmallestNeighbourWithIt) {
  // Outcome by consultant:   job  education  other | total
  //   Anna                    12      3        9   |  24
  //   Bo                      10      8        7   |  25
  //   total                   22     11       16   |  49
  const Counts t = {{12, 3, 9}, {10, 8, 7}};
  auto s = Suppress(t, 5);
  // The 3 is small. Its row would give it away (24 - 12 - 9), so Anna's
  // smallest other cell, 9, goes too; its column (11 - 8) takes Bo's 8;
  // Bo's row then takes his 7, and the "other" column is balanced.
  EXPECT_EQ(s.cells, (std::vector<std::vector<bool>>{{false, true, true}, {false, true, true}}));
  EXPECT_EQ(s.row_totals, (std::vector<bool>{false, false}));
  EXPECT_EQ(s.column_totals, (std::vector<bool>{false, false, false}));
  EXPECT_FALSE(s.grand_total);
}

TEST(SuppressionTest, NothingSmallNothingHidden) {
  auto s = Suppress({{5, 6}, {7, 0}}, 5);
  EXPECT_EQ(s.cells, (std::vector<std::vector<bool>>{{false, false}, {false, false}}));
}

TEST(SuppressionTest, ASmallTotalIsHiddenToo) {
  // Two consultants with 1 and 2 citizens in education: both cells and the
  // column total are small.
  auto s = Suppress({{1, 30}, {2, 40}}, 5);
  EXPECT_TRUE(s.cells[0][0]);
  EXPECT_TRUE(s.cells[1][0]);
  EXPECT_TRUE(s.column_totals[0]);
  // The rows then need partners: each row's other cell or total.
  EXPECT_TRUE(s.cells[0][1] || s.row_totals[0]);
  EXPECT_TRUE(s.cells[1][1] || s.row_totals[1]);
}

TEST(SuppressionTest, AListHidesItsSmallItemAndOneMore) {
  // Outcome distribution: 9 job, 4 education, 6 other; total 19.
  auto s = SuppressList({9, 4, 6}, 5);
  EXPECT_EQ(s.items, (std::vector<bool>{false, true, true}));  // 4, and the 6 with it
  EXPECT_FALSE(s.total);
  auto none = SuppressList({9, 0, 6}, 5);
  EXPECT_EQ(none.items, (std::vector<bool>{false, false, false}));
}

TEST(SuppressionTest, EmptyInputsPublishNothingHidden) {
  auto list = SuppressList({}, 5);
  EXPECT_TRUE(list.items.empty());
  EXPECT_FALSE(list.total);
  auto table = Suppress({}, 5);
  EXPECT_TRUE(table.cells.empty());
  EXPECT_FALSE(table.grand_total);
}

// Published grid entries: cells, row totals (last column), column totals
// (last row), grand total.
struct Published {
  Counts values;
  std::vector<std::vector<bool>> hidden;
};

Published Grid(const Counts& t, const SuppressedTable& s) {
  const size_t rows = t.size(), cols = t[0].size();
  Published p{Counts(rows + 1, std::vector<long long>(cols + 1, 0)),
              std::vector<std::vector<bool>>(rows + 1, std::vector<bool>(cols + 1, false))};
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < cols; ++c) {
      p.values[r][c] = t[r][c];
      p.values[r][cols] += t[r][c];
      p.values[rows][c] += t[r][c];
      p.values[rows][cols] += t[r][c];
      p.hidden[r][c] = s.cells[r][c];
    }
    p.hidden[r][cols] = s.row_totals[r];
  }
  for (size_t c = 0; c < cols; ++c) p.hidden[rows][c] = s.column_totals[c];
  p.hidden[rows][cols] = s.grand_total;
  return p;
}

TEST(SuppressionTest, RandomTablesNeverGiveAHiddenCountAway) {
  std::mt19937 rng(20261123);
  for (int round = 0; round < 2000; ++round) {
    const size_t rows = 1 + rng() % 6, cols = 1 + rng() % 6;
    Counts t(rows, std::vector<long long>(cols));
    for (auto& r : t) {
      for (auto& v : r) v = rng() % 3 == 0 ? rng() % 5 : rng() % 40;
    }
    const long long threshold = 5;
    auto s = Suppress(t, threshold);
    auto p = Grid(t, s);
    for (size_t r = 0; r <= rows; ++r) {
      for (size_t c = 0; c <= cols; ++c) {
        const long long v = p.values[r][c];
        if (v > 0 && v < threshold) {
          EXPECT_TRUE(p.hidden[r][c]) << "round " << round;
        }
      }
    }
    // No row or column of the grid has exactly one hidden entry.
    for (size_t r = 0; r <= rows; ++r) {
      int hidden = 0;
      for (size_t c = 0; c <= cols; ++c) hidden += p.hidden[r][c];
      EXPECT_NE(hidden, 1) << "round " << round << " row " << r;
    }
    for (size_t c = 0; c <= cols; ++c) {
      int hidden = 0;
      for (size_t r = 0; r <= rows; ++r) hidden += p.hidden[r][c];
      EXPECT_NE(hidden, 1) << "round " << round << " column " << c;
    }
  }
}

}  // namespace
}  // namespace ips::reporting
