// Micro-benchmarks of the per-call costs the runtime adds to every RPC:
// token verification, the audit append, and the registry's pure rules.
#include <benchmark/benchmark.h>

#include "services/common/audit_log.h"
#include "services/common/common_schema.h"
#include "services/common/jwt_verifier.h"
#include "services/registry/domain/cpr.h"
#include "services/registry/domain/eligibility.h"
#include "tests/support/test_env.h"

namespace {

using namespace ips;

void BM_VerifyToken(benchmark::State& state) {
  JwtVerifier v({testing::kIssuer, testing::kAudience, {*ReadFile(testing::Pki().jwt_public)}, 30});
  const std::string token = testing::Token("anna", "BIF", {"ips_consultant"});
  for (auto _ : state) benchmark::DoNotOptimize(v.Verify(token));
}
BENCHMARK(BM_VerifyToken);

// One log shared by the benchmark's threads, as by a server's handlers.
AuditLog& SharedLog() {
  static auto* db = [] {
    auto d = *Database::Open(testing::FreshDatabase(testing::Backend::kSqlite));
    (void)d->Migrate(CommonMigrations());
    return d.release();
  }();
  static auto* log = new AuditLog(*db);
  return *log;
}

void BM_AuditAppendSqlite(benchmark::State& state) {
  AuditLog& log = SharedLog();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        log.Append({"anna", "BIF", "ipsctl", "/ips.registry.v1.CitizenRegistry/GetCitizen", "citizens/abc",
                    "abc", "OK", ""}));
  }
}
BENCHMARK(BM_AuditAppendSqlite)->Threads(1)->Threads(8)->UseRealTime();

void BM_ParseCpr(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(registry::ParseCpr("010180-1234"));
}
BENCHMARK(BM_ParseCpr);

void BM_EvaluateEligibility(benchmark::State& state) {
  registry::EligibilityFacts f;
  f.birth_date = absl::CivilDay(1980, 1, 1);
  f.start_date = absl::CivilDay(2026, 1, 1);
  for (auto _ : state) benchmark::DoNotOptimize(registry::EvaluateEligibility(f, {}));
}
BENCHMARK(BM_EvaluateEligibility);

}  // namespace

BENCHMARK_MAIN();
