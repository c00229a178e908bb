// The registry binary as a separate process: it serves over mTLS, and on
// SIGTERM it stops taking calls, lets the calls in flight finish, and
// exits 0; every call that succeeded is stored, none twice, and no call
// that failed left anything behind.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/support/cpr_numbers.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"

namespace ips::testing {
namespace {

namespace rv1 = ips::registry::v1;

std::string RegistryBinary() { return BinaryDir() + "/services/registry/registry"; }

TEST(RegistryProcessTest, SigtermDrainsInFlightCallsAndLosesNothing) {
  const std::string dir = TempDir("ips-drain");
  const std::string db = "sqlite://" + dir + "/registry.db";
  int acknowledged_after_signal = 0;
  std::vector<std::string> acknowledged;
  {
    Process registry(ServiceArgs(RegistryBinary(), db, dir + "/port"), dir + "/registry.log");
    int port = WaitForPortFile(dir + "/port", absl::Seconds(20));
    ASSERT_GT(port, 0) << "registry did not start; see " << dir << "/registry.log";

    std::atomic<bool> signalled{false}, stop{false};
    std::mutex mu;
    std::vector<std::thread> clients;
    std::atomic<int> other_errors{0};
    for (int t = 0; t < 16; ++t) {
      clients.emplace_back([&, t] {
        auto stub = rv1::CitizenRegistry::NewStub(Channel(port));
        for (int i = 0; !stop && i < 1000; ++i) {
          rv1::CreateCitizenRequest req;
          req.mutable_citizen()->set_cpr(CprFor(1960 + t, 1 + i % 12, 1 + i / 12 % 28, i % 1000));
          req.mutable_citizen()->set_given_name("Drain");
          req.mutable_citizen()->set_family_name("Test");
          req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
          rv1::Citizen out;
          auto s = stub->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out);
          std::lock_guard lock(mu);
          if (s.ok()) {
            acknowledged.push_back(out.name());
            if (signalled) ++acknowledged_after_signal;
          } else if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                     s.error_code() == grpc::StatusCode::CANCELLED) {
            // Calls that had not reached a handler when the server began to
            // shut down are refused (UNAVAILABLE) or cancelled; they wrote
            // nothing, which the restart check below proves.
            if (signalled) return;
            ADD_FAILURE() << "refused before SIGTERM: " << s.error_message();
            ++other_errors;
          } else {
            ADD_FAILURE() << "unexpected " << s.error_code() << ": " << s.error_message()
                          << (signalled ? " (after SIGTERM)" : "");
            ++other_errors;
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    signalled = true;
    registry.Signal(SIGTERM);
    auto code = registry.Wait(absl::Seconds(30));
    stop = true;
    for (auto& c : clients) c.join();
    ASSERT_TRUE(code.has_value()) << "registry did not exit after SIGTERM";
    EXPECT_EQ(*code, 0);
    EXPECT_EQ(other_errors.load(), 0);
  }
  ASSERT_GT(acknowledged.size(), 10u);
  EXPECT_GE(acknowledged_after_signal, 1) << "no call was in flight at SIGTERM";

  // Restart on the same database: exactly the acknowledged citizens exist.
  Process again(ServiceArgs(RegistryBinary(), db, dir + "/port2"), dir + "/registry2.log");
  int port = WaitForPortFile(dir + "/port2", absl::Seconds(20));
  ASSERT_GT(port, 0);
  auto stub = rv1::CitizenRegistry::NewStub(Channel(port));
  std::set<std::string> stored;
  rv1::ListCitizensRequest req;
  req.set_page_size(1000);
  while (true) {
    rv1::ListCitizensResponse resp;
    auto s = stub->ListCitizens(Ctx(ConsultantToken()).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& c : resp.citizens()) stored.insert(c.name());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  std::set<std::string> acked(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(acked.size(), acknowledged.size()) << "a citizen acknowledged twice";
  EXPECT_EQ(stored, acked);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(absl::Seconds(30)).value_or(-1), 0);
}

}  // namespace
}  // namespace ips::testing
