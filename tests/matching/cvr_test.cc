#include "services/matching/domain/cvr.h"

#include <gtest/gtest.h>

namespace ips::matching {
namespace {

TEST(CvrTest, ValidationTable) {
  struct Row {
    const char* text;
    const char* digits;  // nullptr: refused
  };
  const Row rows[] = {
      {"10150817", "10150817"},        // a real CVR number passes modulus 11
      {"25313763", "25313763"},        //
      {"DK29403473", "29403473"},      // VAT form
      {"dk 2940 3473", "29403473"},    // spaced, lowercase prefix
      {"  13 58 56 28 ", "13585628"},  // grouped in pairs, padded
      {"12345678", nullptr},           // weighted sum 4 mod 11
      {"10150818", nullptr},           // one digit off
      {"01234567", nullptr},           // leading zero
      {"1015081", nullptr},            // 7 digits
      {"101508170", nullptr},          // 9 digits
      {"1015-0817", nullptr},          // dash
      {"", nullptr},
      {"DK", nullptr},
      {"abcdefgh", nullptr},
      {"１０１５０８１７", nullptr},  // full-width digits
  };
  for (const auto& r : rows) {
    auto got = ParseCvr(r.text);
    if (r.digits) {
      ASSERT_TRUE(got.ok()) << r.text << ": " << got.status();
      EXPECT_EQ(*got, r.digits);
    } else {
      EXPECT_FALSE(got.ok()) << r.text;
      EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << r.text;
    }
  }
}

TEST(CvrTest, ErrorsSayWhichRuleFailed) {
  EXPECT_EQ(ParseCvr("1234567").status().message(), "must be 8 digits");
  EXPECT_EQ(ParseCvr("01234567").status().message(), "must not start with 0");
  EXPECT_NE(ParseCvr("12345678").status().message().find("modulus-11"), absl::string_view::npos);
}

// Every single-digit error in a valid number is caught (weights 2,7,6,5,4,
// 3,2,1 are all non-zero mod 11, so changing one digit changes the sum by
// a non-multiple of 11).
TEST(CvrTest, EverySingleDigitChangeIsCaught) {
  const std::string valid = "25313763";
  for (int pos = 0; pos < 8; ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == valid[pos]) continue;
      std::string changed = valid;
      changed[pos] = d;
      EXPECT_FALSE(ParseCvr(changed).ok()) << changed;
    }
  }
}

}  // namespace
}  // namespace ips::matching
