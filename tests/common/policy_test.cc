#include "services/common/policy.h"

#include <gtest/gtest.h>

namespace ips {
namespace {

const char kPolicy[] = R"({
  "service": "x.v1.S",
  "methods": {
    "Read": [{"agencies": ["BIF"], "roles": ["ips_consultant", "team_lead"]}, {"roles": ["dpo"]}],
    "Stream": [{"services": ["reporting"], "roles": ["event_reader"]}]
  }
})";

TEST(PolicyTest, AllowsOnlyMatchingClauses) {
  auto p = Policy::Parse(kPolicy);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->Allows("Read", {"a", "BIF", {"ips_consultant"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"a", "SOF", {"ips_consultant"}, ""}));  // wrong agency
  EXPECT_TRUE(p->Allows("Read", {"d", "ANY", {"dpo"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"a", "BIF", {"analyst"}, ""}));
  EXPECT_TRUE(p->Allows("Stream", {"r", "", {"event_reader"}, "reporting"}));
  EXPECT_FALSE(p->Allows("Stream", {"r", "", {"event_reader"}, "ipsctl"}));  // wrong certificate
}

TEST(PolicyTest, DeniesMethodsWithoutAnEntry) {
  auto p = Policy::Parse(kPolicy);
  EXPECT_FALSE(p->HasEntry("Write"));
  EXPECT_FALSE(p->Allows("Write", {"a", "BIF", {"admin", "team_lead", "ips_consultant"}, ""}));
}

TEST(PolicyTest, RejectsMalformedPolicies) {
  for (const char* bad :
       {"", "[]", R"({"methods": {}})", R"({"service": "s"})", R"({"service": "s", "methods": {"M": [{}]}})",
        R"({"service": "s", "methods": {"M": [{"roles": []}]}})",
        R"({"service": "s", "methods": {"M": [{"role": ["a"]}]}})",
        R"({"service": "s", "methods": {"M": [{"roles": [1]}]}})",
        R"({"service": "s", "methods": {"M": {}}})"}) {
    EXPECT_FALSE(Policy::Parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ips
