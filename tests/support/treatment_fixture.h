#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "services/common/dates.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {

namespace tv1 = ips::treatment::v1;

inline absl::CivilDay DaysFromToday(int n) { return TodayInCopenhagen() + n; }

// A treatment service on a fresh database of the test's backend, with
// helpers that record what most tests need through the API as SOF staff.
class TreatmentFixture : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<TreatmentServer>(url_);
    stub_ = server_->Stub();
  }

  tv1::TreatmentUnit MakeUnit(const std::string& display_name) {
    tv1::CreateTreatmentUnitRequest req;
    req.mutable_unit()->set_display_name(display_name);
    req.mutable_unit()->set_address("Sydhavns Plads 1");
    tv1::TreatmentUnit out;
    auto s = stub_->CreateTreatmentUnit(Ctx(SofTreatmentToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  tv1::Consent GiveConsent(const std::string& citizen, tv1::ConsentScope scope, absl::CivilDay given,
                           absl::CivilDay expiry) {
    tv1::CreateConsentRequest req;
    req.set_parent(citizen);
    req.mutable_consent()->set_scope(scope);
    *req.mutable_consent()->mutable_given_date() = ToProtoDate(given);
    *req.mutable_consent()->mutable_expiry_date() = ToProtoDate(expiry);
    tv1::Consent out;
    auto s = stub_->CreateConsent(Ctx(SofOutreachToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  tv1::Referral Refer(const std::string& citizen, absl::CivilDay requested, const std::string& unit = "") {
    tv1::CreateReferralRequest req;
    req.set_parent(citizen);
    req.mutable_referral()->set_referred_by(tv1::REFERRER_OUTREACH);
    *req.mutable_referral()->mutable_request_date() = ToProtoDate(requested);
    req.mutable_referral()->add_substances(tv1::SUBSTANCE_ALCOHOL);
    req.mutable_referral()->set_unit(unit);
    tv1::Referral out;
    auto s = stub_->CreateReferral(Ctx(SofOutreachToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status TryStartEpisode(const std::string& citizen, const std::string& unit, absl::CivilDay start,
                               const std::string& referral, tv1::TreatmentEpisode* out) {
    tv1::CreateTreatmentEpisodeRequest req;
    req.set_parent(citizen);
    req.mutable_episode()->set_unit(unit);
    req.mutable_episode()->set_modality(tv1::MODALITY_OUTPATIENT);
    *req.mutable_episode()->mutable_start_date() = ToProtoDate(start);
    req.mutable_episode()->set_referral(referral);
    return stub_->CreateTreatmentEpisode(Ctx(SofTreatmentToken()).get(), req, out);
  }

  tv1::TreatmentEpisode StartEpisode(const std::string& citizen, const std::string& unit,
                                     absl::CivilDay start, const std::string& referral = "") {
    tv1::TreatmentEpisode out;
    auto s = TryStartEpisode(citizen, unit, start, referral, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Status(const std::string& citizen, const std::string& token, tv1::TreatmentStatus* out,
                      std::optional<absl::CivilDay> as_of = std::nullopt,
                      const std::string& client = "ipsctl") {
    tv1::GetTreatmentStatusRequest req;
    req.set_name(citizen + "/treatmentStatus");
    if (as_of) *req.mutable_as_of() = ToProtoDate(*as_of);
    auto stub = client == "ipsctl" ? nullptr : server_->Stub(client);
    return (stub ? stub.get() : stub_.get())->GetTreatmentStatus(Ctx(token).get(), req, out);
  }

  std::string url_;
  std::unique_ptr<TreatmentServer> server_;
  std::unique_ptr<tv1::TreatmentCoordination::Stub> stub_;
};

}  // namespace ips::testing
