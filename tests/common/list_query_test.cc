#include "services/common/list_query.h"

#include <gtest/gtest.h>

#include "services/common/errors.h"

namespace ips {
namespace {

TEST(PageSizeTest, DefaultsAndBounds) {
  EXPECT_EQ(*ResolvePageSize(0), 50);
  EXPECT_EQ(*ResolvePageSize(1), 1);
  EXPECT_EQ(*ResolvePageSize(1000), 1000);
  EXPECT_EQ(ResolvePageSize(1001).status().code(), absl::StatusCode::kInvalidArgument);
  auto negative = ResolvePageSize(-1).status();
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(errors::FieldViolationsOf(negative).size(), 1u);
  EXPECT_EQ(errors::FieldViolationsOf(negative)[0].field, "page_size");
}

TEST(PageTokenTest, RoundTripsWithinTheSameQuery) {
  auto token = EncodePageToken("ListCitizens|district = X", "abc123");
  auto key = DecodePageToken(token, "ListCitizens|district = X");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "abc123");
}

TEST(PageTokenTest, RejectsAnotherQuery) {
  auto token = EncodePageToken("ListCitizens|a", "abc");
  auto key = DecodePageToken(token, "ListCitizens|b");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("different query"), std::string::npos);
}

TEST(PageTokenTest, RejectsForgedOrGarbageTokens) {
  for (const std::string& bad :
       std::vector<std::string>{"garbage", "djF8", std::string(5000, 'a'), "!!!", ""}) {
    EXPECT_EQ(DecodePageToken(bad, "q").status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // Flip one character of a real token: the checksum catches it.
  auto token = EncodePageToken("q", "abc");
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodePageToken(token, "q").ok());
}

TEST(FilterTest, ParsesConjunctions) {
  auto terms = ParseFilter(R"(district = DISTRICT_SYDHAVNEN AND consultant = "consultants/a b")",
                           {"district", "consultant"});
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ((*terms)[0].field, "district");
  EXPECT_EQ((*terms)[0].value, "DISTRICT_SYDHAVNEN");
  EXPECT_EQ((*terms)[1].value, "consultants/a b");
  EXPECT_TRUE(ParseFilter("", {"x"})->empty());
  EXPECT_TRUE(ParseFilter("   ", {"x"})->empty());
}

TEST(FilterTest, RejectsWhatItDoesNotUnderstand) {
  const std::set<std::string> allowed = {"district", "enrolled"};
  for (const std::string& bad :
       std::vector<std::string>{"cpr = 123", "district", "district =", "district = A OR enrolled = true",
                                "district = A AND", "district = \"open", "district = A AND district = B",
                                "= A", "district != A", std::string(2000, 'x')}) {
    auto terms = ParseFilter(bad, allowed);
    EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    auto fields = errors::FieldViolationsOf(terms.status());
    ASSERT_FALSE(fields.empty());
    EXPECT_EQ(fields[0].field, "filter");
  }
}

}  // namespace
}  // namespace ips
