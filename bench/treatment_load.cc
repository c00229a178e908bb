// Load run for the treatment service over loopback with mTLS and real
// tokens: GetTreatmentStatus from a BIF consultant (consent check on every
// call) at concurrency 1 and 32, on SQLite and on PostgreSQL when
// IPS_TEST_PG_URL is set, next to the empty-handler baseline measured in
// the same run; also the refusal path (no consent) and a SOF caller, who
// needs no consent check.
//
//   build/bench/treatment_load [--seconds=5] [--citizens=2000] [--idle_server_threads=64]
#include <cstdlib>
#include <iostream>

#include "bench/load_harness.h"
#include "services/common/dates.h"
#include "services/common/server_runner.h"
#include "tests/support/registry_server.h"
#include "tests/support/treatment_server.h"

namespace {

using namespace ips::testing;
using namespace ips::bench;
namespace tv1 = ips::treatment::v1;

void RunTreatment(Backend backend, double seconds, int citizens, const Baseline& base,
                  int idle_server_threads) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  const std::string db = BackendName(backend);
  TreatmentServer server(url, {},
                         [&](ips::RuntimeOptions& o) { o.idle_server_threads = idle_server_threads; });
  auto channels = Channels(server.port(), 4);
  auto stub = tv1::TreatmentCoordination::NewStub(channels[0]);
  const std::string sof = SofTreatmentToken();
  const auto today = ips::TodayInCopenhagen();

  tv1::CreateTreatmentUnitRequest unit_req;
  unit_req.mutable_unit()->set_display_name("Bench unit");
  tv1::TreatmentUnit unit;
  stub->CreateTreatmentUnit(Ctx(sof).get(), unit_req, &unit);
  // Each citizen: a referral and an episode; the first half with a
  // treatment-status consent, the second half without.
  std::vector<std::string> with_consent, without;
  for (int i = 0; i < citizens; ++i) {
    const std::string citizen = "citizens/bench-" + std::to_string(i);
    tv1::CreateReferralRequest refer;
    refer.set_parent(citizen);
    refer.mutable_referral()->set_referred_by(tv1::REFERRER_OUTREACH);
    *refer.mutable_referral()->mutable_request_date() = ips::ToProtoDate(today - 40);
    tv1::Referral referral;
    stub->CreateReferral(Ctx(sof).get(), refer, &referral);
    tv1::CreateTreatmentEpisodeRequest start;
    start.set_parent(citizen);
    start.mutable_episode()->set_unit(unit.name());
    start.mutable_episode()->set_modality(tv1::MODALITY_OUTPATIENT);
    start.mutable_episode()->set_referral(referral.name());
    *start.mutable_episode()->mutable_start_date() = ips::ToProtoDate(today - 30);
    tv1::TreatmentEpisode episode;
    stub->CreateTreatmentEpisode(Ctx(sof).get(), start, &episode);
    if (i % 2 == 0) {
      tv1::CreateConsentRequest consent;
      consent.set_parent(citizen);
      consent.mutable_consent()->set_scope(tv1::CONSENT_SCOPE_TREATMENT_STATUS);
      *consent.mutable_consent()->mutable_given_date() = ips::ToProtoDate(today - 60);
      *consent.mutable_consent()->mutable_expiry_date() = ips::ToProtoDate(today + 300);
      tv1::Consent out;
      stub->CreateConsent(Ctx(sof).get(), consent, &out);
      with_consent.push_back(citizen + "/treatmentStatus");
    } else {
      without.push_back(citizen + "/treatmentStatus");
    }
  }
  std::vector<std::unique_ptr<tv1::TreatmentCoordination::Stub>> stubs;
  for (int t = 0; t < 32; ++t)
    stubs.push_back(tv1::TreatmentCoordination::NewStub(channels[t % channels.size()]));

  // `expect_ok`: whether the call should succeed (a refusal counts as an
  // error when it should not happen, and vice versa).
  auto status_load = [&](int c, const std::string& token, const std::vector<std::string>& names,
                         bool expect_ok) {
    return Load(c, seconds, [&](int t, long i) {
      tv1::GetTreatmentStatusRequest req;
      req.set_name(names[(t * 7919 + i) % names.size()]);
      tv1::TreatmentStatus out;
      auto s = stubs[t]->GetTreatmentStatus(Ctx(token).get(), req, &out);
      return expect_ok ? s.ok() && out.status() == tv1::MINIMAL_STATUS_IN_TREATMENT
                       : s.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    });
  };
  const std::string bif = ConsultantToken();
  for (int c : {1, 32}) {
    auto r = status_load(c, bif, with_consent, true);
    Row("Status, BIF, consent", db, c, r);
    ShareRow(r, base.at(c));
  }
  for (int c : {1, 32}) Row("Status, BIF, refused", db, c, status_load(c, bif, without, false));
  for (int c : {1, 32}) Row("Status, SOF (no check)", db, c, status_load(c, sof, with_consent, true));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = SecondsFlag(argc, argv, 5);
  int citizens = 2000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--citizens=", 0) == 0) citizens = std::atoi(a.c_str() + 11);
  }
  ips::DisableMutexDeadlockDetection();  // as every service does
  Header();
  const int idle = IdleServerThreadsFlag(argc, argv);
  const Baseline base = MeasureEmptyHandler(seconds, idle);
  RunTreatment(Backend::kSqlite, seconds, citizens, base, idle);
  RunTreatment(Backend::kPostgres, seconds, citizens, base, idle);
  PrintMaxRss();
  return 0;
}
