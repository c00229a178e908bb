// Load run for the registry over loopback with mTLS and real tokens:
// GetCitizen and ListCitizens at concurrency 1 and 32 on SQLite (and on
// PostgreSQL when IPS_TEST_PG_URL is set), next to an empty-handler gRPC
// service measured in the same run, and the enrolment write path.
//
//   build/bench/registry_load [--seconds=5] [--citizens=2000]
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/empty.grpc.pb.h"
#include "services/common/dates.h"
#include "services/common/server_runner.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/registry_server.h"

namespace {

using namespace ips::testing;
namespace rv1 = ips::registry::v1;

struct Result {
  double qps = 0, p50_us = 0, p99_us = 0;
  long calls = 0, errors = 0;
};

class EmptyService final : public ips::bench::Empty::Service {
  grpc::Status Ping(grpc::ServerContext*, const ips::bench::PingRequest*,
                    ips::bench::PingResponse*) override {
    return grpc::Status::OK;
  }
};

// QPS and latency percentiles from per-thread latencies (microseconds).
Result Summarize(const std::vector<std::vector<double>>& lat, long errors, absl::Duration elapsed) {
  std::vector<double> all;
  for (const auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Result r;
  r.calls = static_cast<long>(all.size());
  r.errors = errors;
  r.qps = all.size() / absl::ToDoubleSeconds(elapsed);
  if (!all.empty()) {
    r.p50_us = all[all.size() / 2];
    r.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return r;
}

// Runs `call(thread, i)` from `concurrency` threads for `seconds`.
template <typename Call>
Result Load(int concurrency, double seconds, Call call) {
  std::vector<std::vector<double>> lat(concurrency);
  std::atomic<long> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (long i = 0; !stop; ++i) {
        absl::Time a = absl::Now();
        bool ok = call(t, i);
        lat[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - a));
        if (!ok) ++errors;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(seconds * 1000)));
  stop = true;
  for (auto& th : threads) th.join();
  return Summarize(lat, errors, absl::Now() - start);
}

// Runs `call(thread, i)` for i = 0..count-1 spread over `concurrency` threads.
template <typename Call>
Result Batch(int concurrency, long count, Call call) {
  std::atomic<long> next{0};
  std::vector<std::vector<double>> lat(concurrency);
  std::atomic<long> errors{0};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (long i = next++; i < count; i = next++) {
        absl::Time a = absl::Now();
        if (!call(t, i)) ++errors;
        lat[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - a));
      }
    });
  }
  for (auto& th : threads) th.join();
  return Summarize(lat, errors, absl::Now() - start);
}

void Row(const std::string& what, const std::string& db, int concurrency, const Result& r) {
  std::cout << absl::StrFormat("| %-22s | %-10s | %3d | %9.0f | %8.0f | %8.0f | %7ld | %ld |\n", what, db,
                               concurrency, r.qps, r.p50_us, r.p99_us, r.calls, r.errors);
  std::cout.flush();
}

// Channels spread the client threads over several HTTP/2 connections.
std::vector<std::shared_ptr<grpc::Channel>> Channels(int port, int n) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < n; ++i) out.push_back(Channel(port));
  return out;
}

void RunRegistry(Backend backend, double seconds, int citizens, const Result& base1, const Result& base32,
                 bool only_get, bool only_enrol) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  const std::string db = BackendName(backend);
  RegistryServer server(url);
  auto channels = Channels(server.port(), 4);
  const std::string token = ConsultantToken();
  auto stub = rv1::CitizenRegistry::NewStub(channels[0]);
  std::vector<std::string> names;
  for (int i = 0; i < citizens; ++i) {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(CprFor(1950 + i % 45, 1 + i % 12, 1 + (i / 12) % 28, i % 1000));
    req.mutable_citizen()->set_given_name("Bench");
    req.mutable_citizen()->set_family_name("Citizen");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    rv1::Citizen out;
    if (stub->CreateCitizen(Ctx(token).get(), req, &out).ok()) names.push_back(out.name());
  }
  std::vector<std::unique_ptr<rv1::CitizenRegistry::Stub>> stubs;
  for (int t = 0; t < 32; ++t) stubs.push_back(rv1::CitizenRegistry::NewStub(channels[t % channels.size()]));
  for (int c : {1, 32}) {
    if (only_enrol) break;
    auto get = Load(c, seconds, [&](int t, long i) {
      rv1::GetCitizenRequest req;
      req.set_name(names[(t * 7919 + i) % names.size()]);
      rv1::Citizen out;
      return stubs[t]->GetCitizen(Ctx(token).get(), req, &out).ok();
    });
    Row("GetCitizen", db, c, get);
    std::cout << absl::StrFormat(
        "|   vs empty handler     |            |     | %8.0f%% |          |          |         |   |\n",
        100.0 * get.qps / (c == 1 ? base1.qps : base32.qps));
  }
  if (only_get) return;
  for (int c : {1, 32}) {
    if (only_enrol) break;
    Row("ListCitizens (20/page)", db, c, Load(c, seconds, [&](int t, long) {
          rv1::ListCitizensRequest req;
          req.set_page_size(20);
          rv1::ListCitizensResponse out;
          return stubs[t]->ListCitizens(Ctx(token).get(), req, &out).ok();
        }));
  }

  // Enrolment write path: new citizens enrolled with consultants that have room.
  for (int k = 0; k < citizens / 90 + 1; ++k) {
    rv1::CreateConsultantRequest req;
    req.mutable_consultant()->set_display_name("Bench consultant");
    req.mutable_consultant()->set_caseload_cap(100);
    rv1::Consultant out;
    stub->CreateConsultant(Ctx(TeamLeadToken()).get(), req, &out);
  }
  // Half of the citizens enrolled one at a time, the other half by 32 callers.
  const long half = static_cast<long>(names.size()) / 2;
  for (int c : {1, 32}) {
    const long offset = c == 1 ? 0 : half;
    auto r = Batch(c, half, [&](int t, long i) {
      rv1::EnrollCitizenRequest req;
      req.set_citizen(names[offset + i]);
      *req.mutable_enrollment()->mutable_start_date() = ips::ToProtoDate(ips::TodayInCopenhagen() - 10);
      auto* a = req.mutable_enrollment()->mutable_assessment();
      a->set_activity_ready(true);
      a->set_benefit_type(rv1::BENEFIT_TYPE_CASH_BENEFIT);
      a->set_substance_use_problem(true);
      a->set_unemployment_months(10);
      rv1::Enrollment out;
      return stubs[t]->EnrollCitizen(Ctx(token).get(), req, &out).ok();
    });
    Row("EnrollCitizen", db, c, r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int citizens = 2000;
  std::string only;  // "get" or "enrol": that call on SQLite only (for profiling)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--seconds=", 0) == 0) seconds = std::atof(a.c_str() + 10);
    if (a.rfind("--citizens=", 0) == 0) citizens = std::atoi(a.c_str() + 11);
    if (a.rfind("--only=", 0) == 0) only = a.substr(7);
  }
  ips::DisableMutexDeadlockDetection();  // as every service does
  EmptyService empty;
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = *ips::ReadFile(Pki().ca);
  ssl.pem_key_cert_pairs.push_back({*ips::ReadFile(Pki().server_key), *ips::ReadFile(Pki().server_cert)});
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl), &port);
  builder.RegisterService(&empty);
  auto server = builder.BuildAndStart();

  std::cout << "| call                   | database   |  c  |       QPS | p50 (us) | p99 (us) |   calls | "
               "errors |\n"
               "|------------------------|------------|-----|-----------|----------|----------|---------|----"
               "----|\n";
  auto channels = Channels(port, 4);
  std::vector<std::unique_ptr<ips::bench::Empty::Stub>> stubs;
  for (int t = 0; t < 32; ++t) stubs.push_back(ips::bench::Empty::NewStub(channels[t % channels.size()]));
  Result base[2];
  int idx = 0;
  for (int c : {1, 32}) {
    base[idx] = Load(c, seconds, [&](int t, long) {
      grpc::ClientContext ctx;
      ips::bench::PingRequest req;
      ips::bench::PingResponse resp;
      return stubs[t]->Ping(&ctx, req, &resp).ok();
    });
    Row("empty handler", "-", c, base[idx++]);
  }
  RunRegistry(Backend::kSqlite, seconds, citizens, base[0], base[1], only == "get", only == "enrol");
  if (only.empty()) RunRegistry(Backend::kPostgres, seconds, citizens, base[0], base[1], false, false);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::cout << "\nmax RSS of the bench process (clients + servers): " << ru.ru_maxrss / 1024 << " MiB\n";
  server->Shutdown();
  return 0;
}
