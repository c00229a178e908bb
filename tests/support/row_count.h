#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "services/common/service_core.h"

namespace ips::testing {

// The rows of `tables` in a service's database, summed. Bad-input tests
// compare it before and after a refused call to show nothing was written.
inline long long CountRows(ServiceCore& core, std::initializer_list<const char*> tables) {
  long long total = 0;
  auto status = core.db().Read([&](soci::session& s) {
    for (const char* table : tables) {
      long long n = 0;
      s << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
      total += n;
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return total;
}

}  // namespace ips::testing
