#pragma once

#include <gtest/gtest.h>

#include <string>

#include "services/common/service_core.h"

namespace ips::testing {

// One value read straight from a service's database, for tests that check
// what is stored (or gone) beneath the API; `key`, when given, is bound to
// the statement's only parameter.
template <typename T>
T QueryValue(ServiceCore& core, const std::string& sql, const std::string& key = "") {
  T value{};
  auto status = core.db().Read([&](soci::session& s) {
    if (key.empty()) {
      s << sql, soci::into(value);
    } else {
      s << sql, soci::use(key), soci::into(value);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return value;
}

inline int QueryInt(ServiceCore& core, const std::string& sql, const std::string& key = "") {
  return QueryValue<int>(core, sql, key);
}

inline std::string QueryText(ServiceCore& core, const std::string& sql, const std::string& key = "") {
  return QueryValue<std::string>(core, sql, key);
}

}  // namespace ips::testing
