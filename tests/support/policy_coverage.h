#pragma once

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "services/common/policy.h"

namespace ips::testing {

// Deny by default needs an explicit decision for every RPC: every method of
// `service_full_name` has an entry in the policy, and every entry names a
// method (a stale entry would hide a rename).
inline void ExpectPolicyCoversService(const std::string& policy_json, const std::string& service_full_name) {
  auto policy = Policy::Parse(policy_json);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->service(), service_full_name);
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_full_name);
  ASSERT_NE(service, nullptr);
  ASSERT_GT(service->method_count(), 0);
  for (int i = 0; i < service->method_count(); ++i) {
    EXPECT_TRUE(policy->HasEntry(service->method(i)->name())) << service->method(i)->name();
  }
  auto doc = nlohmann::json::parse(policy_json);
  for (const auto& [method, unused] : doc["methods"].items()) {
    EXPECT_NE(service->FindMethodByName(method), nullptr) << "stale policy entry " << method;
  }
}

}  // namespace ips::testing
