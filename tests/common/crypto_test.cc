#include "services/common/crypto.h"

#include <gtest/gtest.h>

#include "services/common/pseudonymizer.h"

namespace ips {
namespace {

TEST(CryptoTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, Sha256OfEmptyString) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CryptoTest, RandomIdsAreHexAndDistinct) {
  auto a = RandomId(), b = RandomId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(PseudonymizerTest, StableKeyedAndNotTheId) {
  Pseudonymizer p1(std::string(32, 'k')), p2(std::string(32, 'j'));
  EXPECT_EQ(p1.Pseudonym("abc"), p1.Pseudonym("abc"));
  EXPECT_NE(p1.Pseudonym("abc"), p1.Pseudonym("abd"));
  EXPECT_NE(p1.Pseudonym("abc"), p2.Pseudonym("abc"));
  EXPECT_EQ(p1.Pseudonym("abc").size(), 64u);
  EXPECT_EQ(p1.Pseudonym("abc"), HmacSha256Hex(std::string(32, 'k'), "abc"));
}

TEST(PseudonymizerTest, RefusesShortKeys) {
  EXPECT_THROW(Pseudonymizer(std::string(31, 'k')), std::invalid_argument);
}

}  // namespace
}  // namespace ips
