#include "services/common/policy.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/common/jwt_verifier.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

const char kPolicy[] = R"({
  "service": "x.v1.S",
  "methods": {
    "Read": [{"agencies": ["BIF"], "roles": ["ips_consultant", "team_lead"]},
             {"agencies": ["BIF", "JOINT"], "roles": ["dpo"]}],
    "Stream": [{"services": ["reporting"], "agencies": ["JOINT"], "roles": ["event_reader"]}]
  }
})";

TEST(PolicyTest, AllowsOnlyMatchingClauses) {
  auto p = Policy::Parse(kPolicy);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->Allows("Read", {"a", "BIF", {"ips_consultant"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"a", "SOF", {"ips_consultant"}, ""}));  // wrong agency
  EXPECT_TRUE(p->Allows("Read", {"d", "JOINT", {"dpo"}, ""}));
  // A role holds only for the agencies its clause names.
  EXPECT_FALSE(p->Allows("Read", {"d", "SOF", {"dpo"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"d", "", {"dpo"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"d", "MADE-UP", {"dpo"}, ""}));
  EXPECT_FALSE(p->Allows("Read", {"a", "BIF", {"analyst"}, ""}));
  EXPECT_TRUE(p->Allows("Stream", {"r", "JOINT", {"event_reader"}, "reporting"}));
  EXPECT_FALSE(p->Allows("Stream", {"r", "JOINT", {"event_reader"}, "ipsctl"}));   // wrong certificate
  EXPECT_FALSE(p->Allows("Stream", {"r", "BIF", {"event_reader"}, "reporting"}));  // wrong agency
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
        R"({"service": "s", "methods": {"M": {}}})",
        // Roles without the agencies they hold for.
        R"({"service": "s", "methods": {"M": [{"roles": ["dpo"]}]}})",
        R"({"service": "s", "methods": {"M": [{"services": ["reporting"], "roles": ["event_reader"]}]}})"}) {
    EXPECT_FALSE(Policy::Parse(bad).ok()) << bad;
  }
}

// The policies the services ship (and the ConfigMaps generated from them,
// which the deploy test keeps equal): every clause that names roles names
// the agencies they hold for, and the event feeds open only to the
// certificates of the configured feed readers.
TEST(PolicyTest, EveryShippedPolicyBindsRolesToAgenciesAndFeedsToCertificates) {
  for (const std::string service : {"registry", "treatment", "matching", "reporting"}) {
    SCOPED_TRACE(service);
    auto text = ReadFile(testing::SourceDir() + "/services/" + service + "/policy.json");
    ASSERT_TRUE(text.ok()) << text.status();
    ASSERT_TRUE(Policy::Parse(*text).ok()) << Policy::Parse(*text).status();
    auto doc = nlohmann::json::parse(*text);
    int clauses = 0;
    for (const auto& [method, list] : doc["methods"].items()) {
      for (const auto& clause : list) {
        ++clauses;
        if (clause.contains("roles")) {
          EXPECT_TRUE(clause.contains("agencies") && !clause["agencies"].empty())
              << method << ": " << clause.dump();
        }
        if (method == "StreamEvents") {
          EXPECT_TRUE(clause.contains("services") && !clause["services"].empty())
              << "a feed must name the certificates that may read it: " << clause.dump();
        }
      }
    }
    EXPECT_GT(clauses, 4);
  }
}

}  // namespace
}  // namespace ips
