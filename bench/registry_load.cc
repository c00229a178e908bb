// Load run for the registry over loopback with mTLS and real tokens:
// GetCitizen and ListCitizens at concurrency 1 and 32 on SQLite (and on
// PostgreSQL when IPS_TEST_PG_URL is set), next to an empty-handler gRPC
// service measured in the same run, and the enrolment write path.
//
//   build/bench/registry_load [--seconds=5] [--citizens=2000] [--idle_server_threads=64]
//                             [--only=get|enrol]
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/load_harness.h"
#include "services/common/dates.h"
#include "services/common/server_runner.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/registry_server.h"

namespace {

using namespace ips::testing;
using namespace ips::bench;
namespace rv1 = ips::registry::v1;

void RunRegistry(Backend backend, double seconds, int citizens, const Baseline& base, bool only_get,
                 bool only_enrol, int idle_server_threads) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  const std::string db = BackendName(backend);
  RegistryServer server(url, "", nullptr,
                        [&](ips::RuntimeOptions& o) { o.idle_server_threads = idle_server_threads; });
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
    ShareRow(get, base.at(c));
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
  const double seconds = SecondsFlag(argc, argv, 5);
  int citizens = 2000;
  std::string only;  // "get" or "enrol": that call on SQLite only (for profiling)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--citizens=", 0) == 0) citizens = std::atoi(a.c_str() + 11);
    if (a.rfind("--only=", 0) == 0) only = a.substr(7);
  }
  ips::DisableMutexDeadlockDetection();  // as every service does
  Header();
  const int idle = IdleServerThreadsFlag(argc, argv);
  const Baseline base = MeasureEmptyHandler(seconds, idle);
  RunRegistry(Backend::kSqlite, seconds, citizens, base, only == "get", only == "enrol", idle);
  if (only.empty()) RunRegistry(Backend::kPostgres, seconds, citizens, base, false, false, idle);
  PrintMaxRss();
  return 0;
}
