// Load with a fault: eight clients register citizens at the registry
// binary as fast as it answers while the registry is killed with SIGKILL a
// third of the way in and started again. Clients do what docs/api-
// conventions.md asks: wait for the service and repeat a create with the
// same request_id. Afterwards every acknowledged citizen is there, none
// twice, and the 99th percentile of the time to an acknowledgement (the
// outage included) stays within the stated bound. IPS_LOAD_SECONDS sets the
// length (default 20; the test command runs 120, and docs/security.md
// records the figures).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/common/peer_channel.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"

namespace ips::testing {
namespace {

namespace rv1 = registry::v1;

// The stated bound: 99 % of creates acknowledged within 5 s, a restart
// (about a second) and the clients' reconnection included.
constexpr double kP99BoundSeconds = 5.0;

// A channel that reconnects within half a second of the restart.
std::shared_ptr<grpc::Channel> QuickReconnectChannel(int port) {
  grpc::ChannelArguments args;
  ReconnectQuickly(args, 500);
  return Channel(port, "ipsctl", args);
}

class LoadWithRestartTest : public ::testing::TestWithParam<Backend> {};

TEST_P(LoadWithRestartTest, EveryAcknowledgedWriteSurvivesAKillMidLoad) {
  std::string db;
  IPS_FRESH_DATABASE_OR_SKIP(db, GetParam());
  const std::string dir = TempDir("ips-load");
  const int port = FreePort();
  auto args = ServiceArgs(BinaryDir() + "/services/registry/registry", db, dir + "/port");
  for (auto& a : args) {
    if (a.rfind("--listen=", 0) == 0) a = "--listen=127.0.0.1:" + std::to_string(port);
  }
  std::unique_ptr<Process> registry;
  auto launch = [&] {
    std::remove((dir + "/port").c_str());
    registry = std::make_unique<Process>(args, dir + "/registry.log");
    ASSERT_EQ(WaitForPortFile(dir + "/port", absl::Seconds(30)), port);
  };
  launch();

  const char* env = std::getenv("IPS_LOAD_SECONDS");
  const int seconds = env ? std::max(5, std::atoi(env)) : 20;
  const auto start = std::chrono::steady_clock::now();
  const auto stop_at = start + std::chrono::seconds(seconds);
  constexpr int kClients = 8;
  std::mutex mu;
  std::vector<double> latencies;
  std::set<std::string> acknowledged;
  std::atomic<int> retries{0}, failed{0};
  std::vector<std::thread> clients;
  const std::string token = ConsultantToken();
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      auto stub = rv1::CitizenRegistry::NewStub(QuickReconnectChannel(port));
      for (int i = 0; std::chrono::steady_clock::now() < stop_at; ++i) {
        rv1::CreateCitizenRequest req;
        // Unique CPR numbers: a birth day per client and a serial per call.
        req.mutable_citizen()->set_cpr(CprFor(1960 + t, 1 + (i / 1000) % 12, 1 + (i / 12000) % 28, i % 1000));
        req.mutable_citizen()->set_given_name("Load");
        req.mutable_citizen()->set_family_name("Test");
        req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
        req.set_request_id("load-" + std::to_string(t) + "-" + std::to_string(i));
        const auto begun = std::chrono::steady_clock::now();
        rv1::Citizen out;
        grpc::Status s;
        for (int attempt = 0; attempt < 100; ++attempt) {
          grpc::ClientContext ctx;
          ctx.AddMetadata("authorization", "Bearer " + token);
          ctx.set_wait_for_ready(true);
          ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
          s = stub->CreateCitizen(&ctx, req, &out);
          if (s.error_code() != grpc::StatusCode::UNAVAILABLE &&
              s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED)
            break;
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (!s.ok()) {
          ++failed;
          ADD_FAILURE() << req.request_id() << ": " << s.error_code() << " " << s.error_message();
          return;
        }
        const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
        std::lock_guard lock(mu);
        latencies.push_back(took);
        EXPECT_TRUE(acknowledged.insert(out.name()).second) << "the same citizen acknowledged twice";
      }
    });
  }
  // A third of the way in: kill -9, then the same command again.
  std::this_thread::sleep_until(start + std::chrono::seconds(seconds) / 3);
  registry->Signal(SIGKILL);
  ASSERT_EQ(registry->Wait(absl::Seconds(10)), 128 + SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  launch();
  const double outage = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
  for (auto& c : clients) c.join();
  ASSERT_EQ(failed.load(), 0);

  // Every acknowledged citizen is there, and nothing else.
  auto stub = rv1::CitizenRegistry::NewStub(Channel(port));
  std::set<std::string> stored;
  std::string page;
  do {
    rv1::ListCitizensRequest req;
    req.set_page_size(1000);
    req.set_page_token(page);
    rv1::ListCitizensResponse resp;
    auto s = stub->ListCitizens(Ctx(DpoToken()).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& c : resp.citizens()) EXPECT_TRUE(stored.insert(c.name()).second) << c.name();
    page = resp.next_page_token();
  } while (!page.empty());
  EXPECT_EQ(stored, acknowledged);
  ASSERT_GT(latencies.size(), 100u);
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) { return latencies[static_cast<size_t>(q * (latencies.size() - 1))]; };
  std::cout << "load with a restart (" << BackendName(GetParam()) << "): " << latencies.size()
            << " creates in " << seconds << " s by " << kClients << " clients, " << retries.load()
            << " repeated while the registry was down; restart took " << outage << " s; p50 "
            << at(0.5) * 1000 << " ms, p99 " << at(0.99) * 1000 << " ms, max " << latencies.back() * 1000
            << " ms\n";
  EXPECT_LT(at(0.99), kP99BoundSeconds);
  registry->Signal(SIGTERM);
}

IPS_ON_BOTH_DATABASES(LoadWithRestartTest);

}  // namespace
}  // namespace ips::testing
