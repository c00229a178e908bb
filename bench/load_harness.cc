#include "bench/load_harness.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_format.h"
#include "bench/empty.grpc.pb.h"
#include "services/common/jwt_verifier.h"
#include "services/common/server_runner.h"
#include "tests/support/test_env.h"

namespace ips::bench {
namespace {

class EmptyService final : public Empty::Service {
  grpc::Status Ping(grpc::ServerContext*, const PingRequest*, PingResponse*) override {
    return grpc::Status::OK;
  }
};

}  // namespace

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

void Header() {
  std::cout << "| call                   | database   |  c  |       QPS | p50 (us) | p99 (us) |   calls | "
               "errors |\n"
               "|------------------------|------------|-----|-----------|----------|----------|---------|----"
               "----|\n";
}

void Row(const std::string& what, const std::string& db, int concurrency, const Result& r) {
  std::cout << absl::StrFormat("| %-22s | %-10s | %3d | %9.0f | %8.0f | %8.0f | %7ld | %ld |\n", what, db,
                               concurrency, r.qps, r.p50_us, r.p99_us, r.calls, r.errors);
  std::cout.flush();
}

void ShareRow(const Result& r, const Result& baseline) {
  std::cout << absl::StrFormat(
      "|   vs empty handler     |            |     | %8.0f%% |          |          |         |   |\n",
      100.0 * r.qps / baseline.qps);
}

std::vector<std::shared_ptr<grpc::Channel>> Channels(int port, int n) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < n; ++i) out.push_back(testing::Channel(port));
  return out;
}

Baseline MeasureEmptyHandler(double seconds, int idle_server_threads) {
  static EmptyService empty;
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_root_certs = *ReadFile(testing::Pki().ca);
  ssl.pem_key_cert_pairs.push_back(
      {*ReadFile(testing::Pki().server_key), *ReadFile(testing::Pki().server_cert)});
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl), &port);
  builder.RegisterService(&empty);
  SetServerThreads(builder, idle_server_threads);
  auto server = builder.BuildAndStart();
  auto channels = Channels(port, 4);
  std::vector<std::unique_ptr<Empty::Stub>> stubs;
  for (int t = 0; t < 32; ++t) stubs.push_back(Empty::NewStub(channels[t % channels.size()]));
  Baseline b;
  for (int c : {1, 32}) {
    Result r = Load(c, seconds, [&](int t, long) {
      grpc::ClientContext ctx;
      PingRequest req;
      PingResponse resp;
      return stubs[t]->Ping(&ctx, req, &resp).ok();
    });
    Row("empty handler", "-", c, r);
    (c == 1 ? b.c1 : b.c32) = r;
  }
  server->Shutdown();
  return b;
}

double SecondsFlag(int argc, char** argv, double fallback) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--seconds=", 0) == 0) return std::atof(a.c_str() + 10);
  }
  return fallback;
}

int IdleServerThreadsFlag(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--idle_server_threads=", 0) == 0) return std::atoi(a.c_str() + 22);
  }
  return RuntimeOptions().idle_server_threads;
}

void PrintMaxRss() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::cout << "\nmax RSS of the bench process (clients + servers): " << ru.ru_maxrss / 1024 << " MiB\n";
}

}  // namespace ips::bench
