#include "services/registry/domain/cpr.h"

#include <gtest/gtest.h>

namespace ips::registry {
namespace {

struct CprCase {
  std::string input;
  bool valid;
  int year, month, day;
};

class CprTest : public ::testing::TestWithParam<CprCase> {};

TEST_P(CprTest, ParsesOrRejects) {
  const auto& c = GetParam();
  auto cpr = ParseCpr(c.input);
  ASSERT_EQ(cpr.ok(), c.valid) << c.input << ": " << cpr.status();
  if (!c.valid) {
    EXPECT_EQ(cpr.status().code(), absl::StatusCode::kInvalidArgument);
    return;
  }
  EXPECT_EQ(cpr->birth_date, absl::CivilDay(c.year, c.month, c.day)) << c.input;
  EXPECT_EQ(cpr->digits.size(), 10u);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CprTest,
    ::testing::Values(CprCase{"0101701234", true, 1970, 1, 1},    // 7th digit 1: 1900s
                      CprCase{"010170-1234", true, 1970, 1, 1},   // dash accepted
                      CprCase{"2902964123", true, 1996, 2, 29},   // 7th 4, yy 96 > 36: 1900s (leap year)
                      CprCase{"0101204123", true, 2020, 1, 1},    // 7th 4, yy 20 <= 36: 2000s
                      CprCase{"0101365123", true, 2036, 1, 1},    // 7th 5, yy 36 <= 57: 2000s
                      CprCase{"0101585123", true, 1858, 1, 1},    // 7th 5, yy 58: 1800s
                      CprCase{"0101999123", true, 1999, 1, 1},    // 7th 9, yy 99: 1900s
                      CprCase{"0101109123", true, 2010, 1, 1},    // 7th 9, yy 10: 2000s
                      CprCase{"3112853999", true, 1985, 12, 31},  // 7th 3: 1900s
                      CprCase{"2902971234", false, 0, 0, 0},      // 1997 not a leap year
                      CprCase{"2902004123", true, 2000, 2, 29},   // 2000 is a leap year
                      CprCase{"3204701234", false, 0, 0, 0},      // day 32
                      CprCase{"0013701234", false, 0, 0, 0},      // month 13 / day 0
                      CprCase{"010170123", false, 0, 0, 0},       // 9 digits
                      CprCase{"01017012345", false, 0, 0, 0},     // 11 digits
                      CprCase{"0101701a34", false, 0, 0, 0},      // letter
                      CprCase{"01017-01234", false, 0, 0, 0},     // dash in wrong place
                      CprCase{"", false, 0, 0, 0},
                      CprCase{"0101701234 ", false, 0, 0, 0}));  // trailing space

TEST(CprTest, Modulus11IsInformationOnly) {
  // 070761-4285 is a classic modulus-11-valid example; 0707614286 is not,
  // and is still accepted (numbers after 2007 need not pass).
  auto valid = ParseCpr("0707614285");
  auto invalid = ParseCpr("0707614286");
  ASSERT_TRUE(valid.ok());
  ASSERT_TRUE(invalid.ok());
  EXPECT_TRUE(valid->passes_modulus11);
  EXPECT_FALSE(invalid->passes_modulus11);
}

TEST(CprTest, CenturyTable) {
  EXPECT_EQ(CenturyYear(36, 4), 2036);
  EXPECT_EQ(CenturyYear(37, 4), 1937);
  EXPECT_EQ(CenturyYear(57, 8), 2057);
  EXPECT_EQ(CenturyYear(58, 8), 1858);
  EXPECT_EQ(CenturyYear(0, 0), 1900);
  EXPECT_EQ(CenturyYear(99, 3), 1999);
}

}  // namespace
}  // namespace ips::registry
