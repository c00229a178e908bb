#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "services/common/service_core.h"
#include "tests/support/status_details.h"

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

// One refused request of a bad-input table.
struct BadCase {
  std::string name;
  grpc::StatusCode code;
  std::string field;  // the one BadRequest field expected for INVALID_ARGUMENT
  std::function<grpc::Status()> call;
};

// Runs each case and expects exactly its code, for INVALID_ARGUMENT exactly
// its one field, and `rows()` unchanged by it.
inline void ExpectRefusedWithoutWrites(const std::vector<BadCase>& cases,
                                       const std::function<long long()>& rows) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const long long before = rows();
    auto s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << s.error_message();
    if (c.code == grpc::StatusCode::INVALID_ARGUMENT) {
      EXPECT_EQ(BadFields(s), std::vector<std::string>{c.field}) << s.error_message();
    }
    EXPECT_EQ(rows(), before);
  }
}

}  // namespace ips::testing
