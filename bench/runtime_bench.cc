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
  static const PageTokens tokens({std::string(32, 'k')});
  static auto* log = new AuditLog(*db, tokens);
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

// The floor of any storage call: lease a pooled session, run one statement.
void BM_ReadSelectOneSqlite(benchmark::State& state) {
  auto db = *Database::Open(testing::FreshDatabase(testing::Backend::kSqlite));
  for (auto _ : state) {
    benchmark::DoNotOptimize(db->Read([](soci::session& s) {
      int one = 0;
      s << "SELECT 1", soci::into(one);
      return absl::OkStatus();
    }));
  }
}
BENCHMARK(BM_ReadSelectOneSqlite);

// An empty write transaction (BEGIN IMMEDIATE; COMMIT) on SQLite.
void BM_EmptyWriteSqlite(benchmark::State& state) {
  auto db = *Database::Open(testing::FreshDatabase(testing::Backend::kSqlite));
  for (auto _ : state) benchmark::DoNotOptimize(db->Write([](soci::session&) { return absl::OkStatus(); }));
}
BENCHMARK(BM_EmptyWriteSqlite);

// The statements of one audit append, one at a time, each in its own
// write transaction: what each costs.
void BM_AuditStatementsSqlite(benchmark::State& state) {
  auto db = *Database::Open(testing::FreshDatabase(testing::Backend::kSqlite));
  (void)db->Migrate(CommonMigrations());
  const int which = static_cast<int>(state.range(0));
  long long seq = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(db->Write([&](soci::session& s) {
      long long v = 0;
      std::string h;
      ++seq;
      if (which == 0)
        s << "UPDATE counters SET value = value + 1 WHERE name = 'audit' RETURNING value", soci::into(v);
      if (which == 1) s << "SELECT value FROM counters WHERE name = 'audit'", soci::into(v);
      if (which == 2) {
        s << "INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, resource, "
             "citizen_id, outcome, note, previous_hash, hash) VALUES (:s, 0, 'a', 'b', 'c', 'd', 'e', 'f', "
             "'g', "
             "'', 'x', 'y')",
            soci::use(seq);
      }
      return absl::OkStatus();
    }));
  }
}
BENCHMARK(BM_AuditStatementsSqlite)->Arg(0)->Arg(1)->Arg(2);

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
