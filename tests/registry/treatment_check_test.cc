// The enrolment rule "not already in substance treatment" checked against
// a running treatment service over mTLS with the registry's own service
// identity: consent given (in treatment or not), consent missing, and the
// service down (failing, or proceeding unverified where configured).
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/registry_fixture.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

class TreatmentCheckTest : public RegistryFixture {
 protected:
  void SetUp() override {
    std::string treatment_url;
    IPS_FRESH_DATABASE_OR_SKIP(treatment_url, GetParam());
    treatment_ = std::make_unique<TreatmentServer>(treatment_url);
    sof_ = treatment_->Stub();
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    StartRegistry(false);
    unit_ = MakeUnit();
  }

  void StartRegistry(bool proceed_unverified) {
    token_file_ = TempDir("registry-token") + "/token";
    std::ofstream(token_file_) << RegistryServiceToken() << "\n";
    registry::TreatmentClientConfig config;
    config.address = "localhost:" + std::to_string(treatment_->port());
    config.tls = {Pki().ClientCert("registry"), Pki().ClientKey("registry"), Pki().ca};
    config.token_file = token_file_;
    config.deadline = absl::Seconds(2);
    config.proceed_unverified = proceed_unverified;
    auto client = registry::TreatmentClient::Create(config);
    ASSERT_TRUE(client.ok()) << client.status();
    stub_.reset();
    server_.reset();
    server_ = std::make_unique<RegistryServer>(
        url_, "", std::shared_ptr<const registry::TreatmentClient>(std::move(*client)));
    stub_ = server_->Stub();
  }

  std::string MakeUnit() {
    tv1::CreateTreatmentUnitRequest req;
    req.mutable_unit()->set_display_name("Ambulatorium Sydhavn");
    tv1::TreatmentUnit out;
    EXPECT_TRUE(sof_->CreateTreatmentUnit(Ctx(SofTreatmentToken()).get(), req, &out).ok());
    return out.name();
  }

  void ConsentToStatus(const rv1::Citizen& c) {
    tv1::CreateConsentRequest req;
    req.set_parent(c.name());
    req.mutable_consent()->set_scope(tv1::CONSENT_SCOPE_TREATMENT_STATUS);
    *req.mutable_consent()->mutable_given_date() = ToProtoDate(DaysFromToday(-30));
    *req.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysFromToday(300));
    tv1::Consent out;
    ASSERT_TRUE(sof_->CreateConsent(Ctx(SofOutreachToken()).get(), req, &out).ok());
  }

  void InTreatmentSince(const rv1::Citizen& c, absl::CivilDay start) {
    tv1::CreateTreatmentEpisodeRequest req;
    req.set_parent(c.name());
    req.mutable_episode()->set_unit(unit_);
    req.mutable_episode()->set_modality(tv1::MODALITY_OUTPATIENT);
    *req.mutable_episode()->mutable_start_date() = ToProtoDate(start);
    tv1::TreatmentEpisode out;
    ASSERT_TRUE(sof_->CreateTreatmentEpisode(Ctx(SofTreatmentToken()).get(), req, &out).ok());
  }

  grpc::Status TryEnroll(const rv1::Citizen& c, rv1::Enrollment* out) {
    auto k = consultant_.empty() ? (consultant_ = MakeConsultant("Kim").name()) : consultant_;
    return stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), EnrollRequest(c, TodayInCopenhagen(), k), out);
  }

  int EnrollmentsOf(const rv1::Citizen& c) {
    rv1::ListEnrollmentsRequest req;
    req.set_parent(c.name());
    rv1::ListEnrollmentsResponse resp;
    EXPECT_TRUE(stub_->ListEnrollments(Ctx(TeamLeadToken()).get(), req, &resp).ok());
    return resp.enrollments_size();
  }

  std::unique_ptr<TreatmentServer> treatment_;
  std::unique_ptr<tv1::TreatmentCoordination::Stub> sof_;
  std::string unit_, token_file_, consultant_;
};

TEST_P(TreatmentCheckTest, WithConsentSofsAnswerDecides) {
  auto treated = MakeCitizen(CprFor(1980, 3, 1, 1));
  ConsentToStatus(treated);
  InTreatmentSince(treated, DaysFromToday(-10));
  rv1::Enrollment e;
  // The citizen declares no treatment; SOF knows better.
  auto s = TryEnroll(treated, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{"ELIGIBILITY_RULE_NOT_IN_SUBSTANCE_TREATMENT"});
  EXPECT_NE(s.error_message().find("checked with SOF"), std::string::npos) << s.error_message();

  rv1::CheckEligibilityRequest check;
  check.set_citizen(treated.name());
  *check.mutable_start_date() = ToProtoDate(TodayInCopenhagen());
  *check.mutable_assessment() = EligibleAssessment();
  rv1::EligibilityDecision decision;
  ASSERT_TRUE(stub_->CheckEligibility(Ctx(ConsultantToken()).get(), check, &decision).ok());
  EXPECT_EQ(decision.treatment_check(), rv1::TREATMENT_CHECK_VERIFIED);

  auto clear = MakeCitizen(CprFor(1981, 3, 1, 2));
  ConsentToStatus(clear);
  ASSERT_TRUE(TryEnroll(clear, &e).ok());
  EXPECT_EQ(e.decision().treatment_check(), rv1::TREATMENT_CHECK_VERIFIED);
}

TEST_P(TreatmentCheckTest, WithoutConsentTheDeclarationStandsAndIsMarkedUnverified) {
  auto c = MakeCitizen(CprFor(1980, 3, 2, 1));
  InTreatmentSince(c, DaysFromToday(-10));  // SOF knows, but may not say
  rv1::Enrollment e;
  ASSERT_TRUE(TryEnroll(c, &e).ok());
  EXPECT_EQ(e.decision().treatment_check(), rv1::TREATMENT_CHECK_UNVERIFIED_NO_CONSENT);
  bool found = false;
  for (const auto& r : e.decision().results()) {
    if (r.rule() != rv1::ELIGIBILITY_RULE_NOT_IN_SUBSTANCE_TREATMENT) continue;
    found = true;
    EXPECT_TRUE(r.met());
    EXPECT_NE(r.detail().find("no consent"), std::string::npos) << r.detail();
  }
  EXPECT_TRUE(found);
}

TEST_P(TreatmentCheckTest, ServiceDownFailsWithUnavailableAndWritesNothing) {
  auto c = MakeCitizen(CprFor(1980, 3, 3, 1));
  treatment_->Stop();
  rv1::Enrollment e;
  auto s = TryEnroll(c, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(s.error_message().find("treatment service did not answer"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(EnrollmentsOf(c), 0);

  rv1::CheckEligibilityRequest check;
  check.set_citizen(c.name());
  *check.mutable_start_date() = ToProtoDate(TodayInCopenhagen());
  *check.mutable_assessment() = EligibleAssessment();
  rv1::EligibilityDecision decision;
  EXPECT_EQ(stub_->CheckEligibility(Ctx(ConsultantToken()).get(), check, &decision).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_P(TreatmentCheckTest, ARetryOfAnEnrolmentMadeSucceedsWhileSofIsDown) {
  auto c = MakeCitizen(CprFor(1980, 3, 6, 1));
  auto req = EnrollRequest(c, TodayInCopenhagen(), MakeConsultant("Kim").name());
  req.set_request_id("enrol-once");
  rv1::Enrollment first, again;
  ASSERT_TRUE(stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &first).ok());
  treatment_->Stop();
  auto s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.decision().treatment_check(), rv1::TREATMENT_CHECK_UNVERIFIED_NO_CONSENT);
}

TEST_P(TreatmentCheckTest, ServiceDownProceedsUnverifiedWhereConfigured) {
  StartRegistry(true);
  auto c = MakeCitizen(CprFor(1980, 3, 4, 1));
  treatment_->Stop();
  rv1::Enrollment e;
  auto s = TryEnroll(c, &e);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(e.decision().treatment_check(), rv1::TREATMENT_CHECK_UNVERIFIED_SERVICE_UNAVAILABLE);
}

TEST(TreatmentClientConfigTest, MisconfigurationIsRefusedAtStart) {
  registry::TreatmentClientConfig config;
  EXPECT_TRUE(registry::TreatmentClient::Create(config).ok());  // no address: self-declared
  config.address = "localhost:1";
  EXPECT_FALSE(registry::TreatmentClient::Create(config).ok());  // no token file
  config.token_file = "/dev/null";
  auto no_cert = registry::TreatmentClient::Create(config);
  ASSERT_FALSE(no_cert.ok());
  EXPECT_NE(no_cert.status().message().find("--treatment_client_cert"), std::string::npos);
  config.tls = {Pki().ClientCert("registry"), Pki().ClientKey("registry"), Pki().ca};
  EXPECT_TRUE(registry::TreatmentClient::Create(config).ok());
}

TEST_P(TreatmentCheckTest, AnUnreadableTokenIsReportedNotPassed) {
  auto c = MakeCitizen(CprFor(1980, 3, 5, 1));
  std::remove(token_file_.c_str());
  rv1::Enrollment e;
  auto s = TryEnroll(c, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(s.error_message().find("token"), std::string::npos) << s.error_message();
}

IPS_ON_BOTH_DATABASES(TreatmentCheckTest);

}  // namespace
}  // namespace ips::testing
