#include "services/common/list_query.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "ips/common/v1/audit.pb.h"
#include "ips/registry/v1/registry_service.pb.h"
#include "services/common/crypto.h"
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

const PageTokens kTokens({std::string(32, 'k')});

TEST(PageTokenTest, RoundTripsWithinTheSameQuery) {
  auto token = kTokens.Encode("ListCitizens|district = X", "abc123");
  auto key = kTokens.Decode(token, "ListCitizens|district = X");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, "abc123");
}

TEST(PageTokenTest, AListPageIsBoundToItsMethodParentAndFilter) {
  registry::v1::ListEnrollmentsRequest req;
  req.set_parent("citizens/-");
  req.set_filter("state = ENROLLMENT_STATE_ACTIVE");
  EXPECT_EQ(ListScope("ListEnrollments", req), "ListEnrollments|citizens/-|state = ENROLLMENT_STATE_ACTIVE");
  common::v1::ListAuditRecordsRequest audit;  // a filter, no parent
  audit.set_filter("citizen = \"citizens/a\"");
  EXPECT_EQ(ListScope("ListAuditRecords", audit), "ListAuditRecords|citizen = \"citizens/a\"");

  PageTokens tokens({std::string(32, 'k')});
  auto first = StartListPage(tokens, "ListEnrollments", req);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->size, 50);
  std::vector<std::string> rows = {"a", "b", "c"};
  first->size = 2;
  const std::string next = FinishPage(rows, *first, [](const std::string& r) { return r; });
  ASSERT_FALSE(next.empty());
  req.set_page_token(next);
  auto second = StartListPage(tokens, "ListEnrollments", req);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->after, "b");
  // The same token for another filter, or another method, is refused.
  req.set_filter("state = ENROLLMENT_STATE_ENDED");
  EXPECT_FALSE(StartListPage(tokens, "ListEnrollments", req).ok());
  req.set_filter("state = ENROLLMENT_STATE_ACTIVE");
  EXPECT_FALSE(StartListPage(tokens, "ListCaseload", req).ok());
}

TEST(PageTokenTest, RejectsAnotherQuery) {
  auto token = kTokens.Encode("ListCitizens|a", "abc");
  auto key = kTokens.Decode(token, "ListCitizens|b");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("different query"), std::string::npos);
}

TEST(PageTokenTest, RejectsForgedOrGarbageTokens) {
  for (const std::string& bad :
       std::vector<std::string>{"garbage", "djF8", std::string(5000, 'a'), "!!!", ""}) {
    EXPECT_EQ(kTokens.Decode(bad, "q").status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  // Flip one character of a real token: the signature catches it.
  auto token = kTokens.Encode("q", "abc");
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(kTokens.Decode(token, "q").ok());
}

TEST(PageTokenTest, OnlyTokensSignedWithOurKeysAreTaken) {
  // A token made by hand the way the unkeyed checksum allowed.
  const std::string body = "v2|" + Sha256Hex("q").substr(0, 16) + "|zzz";
  const std::string forged = absl::WebSafeBase64Escape(body + "|" + Sha256Hex(body).substr(0, 32));
  EXPECT_EQ(kTokens.Decode(forged, "q").status().code(), absl::StatusCode::kInvalidArgument);
  // Another service's (or another deployment's) key.
  const PageTokens other({std::string(32, 'o')});
  EXPECT_FALSE(kTokens.Decode(other.Encode("q", "abc"), "q").ok());
  // Rotation: the new key signs, tokens of the old one still page on.
  const PageTokens rotated({std::string(32, 'n'), std::string(32, 'k')});
  EXPECT_EQ(*rotated.Decode(kTokens.Encode("q", "abc"), "q"), "abc");
  EXPECT_EQ(*rotated.Decode(rotated.Encode("q", "def"), "q"), "def");
  EXPECT_FALSE(kTokens.Decode(rotated.Encode("q", "def"), "q").ok());
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
