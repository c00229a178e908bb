// The registry binary as a separate process: it serves over mTLS, and on
// SIGTERM it stops taking calls, lets the calls in flight finish, and
// exits 0; every call that succeeded is stored, none twice, and no call
// that failed left anything behind.
#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"

namespace ips::testing {
namespace {

namespace rv1 = ips::registry::v1;

std::string RegistryBinary() { return BinaryDir() + "/services/registry/registry"; }

class RegistryDrainTest : public ::testing::TestWithParam<Backend> {};

TEST_P(RegistryDrainTest, SigtermDrainsInFlightCallsAndLosesNothing) {
  const std::string dir = TempDir("ips-drain");
  std::string db;
  IPS_FRESH_DATABASE_OR_SKIP(db, GetParam());
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
  // The logs hold no personal data: no CPR number, no name.
  std::ifstream log(dir + "/registry.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"event\":\"serving\""), std::string::npos) << "logs are JSON lines";
  EXPECT_EQ(text.find("Drain"), std::string::npos);
  EXPECT_EQ(text.find(CprFor(1960, 1, 1, 0)), std::string::npos);
  EXPECT_EQ(text.find("citizens/"), std::string::npos);
  EXPECT_EQ(acked.size(), acknowledged.size()) << "a citizen acknowledged twice";
  EXPECT_EQ(stored, acked);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(absl::Seconds(30)).value_or(-1), 0);
}

INSTANTIATE_TEST_SUITE_P(Db, RegistryDrainTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return BackendName(info.param); });

TEST(RegistryProcessTest, ServesHealthReflectionAndMetrics) {
  const std::string dir = TempDir("ips-ops");
  const int metrics_port = FreePort();
  auto args = ServiceArgs(RegistryBinary(), "sqlite://" + dir + "/registry.db", dir + "/port");
  args.push_back("--metrics_listen=127.0.0.1:" + std::to_string(metrics_port));
  Process registry(args, dir + "/registry.log");
  int port = WaitForPortFile(dir + "/port", absl::Seconds(20));
  ASSERT_GT(port, 0);

  // grpc.health.v1.Health/Check for the registry service (grpc-proto's
  // health.proto).
  grpc::health::v1::HealthCheckRequest check;
  check.set_service("ips.registry.v1.CitizenRegistry");
  grpc::health::v1::HealthCheckResponse health;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(grpc::health::v1::Health::NewStub(Channel(port))->Check(&ctx, check, &health).ok());
  EXPECT_EQ(health.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Server reflection lists the services (hand-encoded
  // ServerReflectionRequest{list_services = 7: ""}).
  class ReflectionCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit ReflectionCall(grpc::GenericStub& stub) {
      ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      stub.PrepareBidiStreamingCall(&ctx_, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                    grpc::StubOptions(), this);
      grpc::Slice request(std::string("\x3a\x00", 2));
      out_ = grpc::ByteBuffer(&request, 1);
      StartWrite(&out_);
      StartRead(&in_);
      StartCall();
    }
    void OnWriteDone(bool) override { StartWritesDone(); }
    void OnReadDone(bool ok) override {
      if (!ok) return;
      std::vector<grpc::Slice> slices;
      (void)in_.Dump(&slices);
      for (const auto& s : slices) text_.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    void OnDone(const grpc::Status& s) override { done_.set_value(s); }
    std::string Wait() {
      done_.get_future().wait();
      return text_;
    }

   private:
    grpc::ClientContext ctx_;
    grpc::ByteBuffer out_, in_;
    std::string text_;
    std::promise<grpc::Status> done_;
  };
  grpc::GenericStub generic(Channel(port));
  ReflectionCall reflection(generic);
  const std::string services = reflection.Wait();
  EXPECT_NE(services.find("ips.registry.v1.CitizenRegistry"), std::string::npos);
  EXPECT_NE(services.find("grpc.health.v1.Health"), std::string::npos);

  auto stub = rv1::CitizenRegistry::NewStub(Channel(port));
  rv1::GetCitizenRequest get;
  get.set_name("citizens/abc");
  rv1::Citizen out;
  EXPECT_EQ(stub->GetCitizen(Ctx(ConsultantToken()).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  std::string metrics = HttpGet(metrics_port, "/metrics");
  EXPECT_NE(metrics.find("ips_rpc_server_handled_total{code=\"NOT_FOUND\",method=\"GetCitizen\"} 1"),
            std::string::npos)
      << metrics.substr(0, 2000);
  EXPECT_NE(metrics.find("ips_rpc_server_handling_seconds_bucket"), std::string::npos);
  registry.Signal(SIGTERM);
  EXPECT_EQ(registry.Wait(absl::Seconds(30)).value_or(-1), 0);
}

}  // namespace
}  // namespace ips::testing
