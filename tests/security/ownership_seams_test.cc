// Per-agency data ownership at the mechanisms many RPCs share, tried as an
// attacker with ordinary staff credentials: request ids belong to their
// caller, a role holds only for the agency its policy clause names, and a
// refusal toward BIF reads the same whatever SOF holds. Each test failed on
// the main branch before these were fixed; all run on both databases.
#include <gtest/gtest.h>

#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/common/resource_name.h"
#include "tests/support/bad_input.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {
namespace {

namespace tv1 = ips::treatment::v1;

class OwnershipSeamsTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (!server_) return;
    anna_ = MakeConsultant("Anna");  // consultant-anna, ConsultantToken()
    bo_ = MakeConsultant("Bo");      // consultant-Bo
  }
  static std::string BoToken() { return Token("consultant-Bo", "BIF", {"ips_consultant"}); }

  grpc::Status Create(const std::string& token, const std::string& cpr, const std::string& request_id,
                      rv1::Citizen* out, const std::string& given = "Test") {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(cpr);
    req.mutable_citizen()->set_given_name(given);
    req.mutable_citizen()->set_family_name("Person");
    req.mutable_citizen()->set_phone_number("+45 11 22 33 44");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    req.set_request_id(request_id);
    return stub_->CreateCitizen(Ctx(token).get(), req, out);
  }
  long long Rows() {
    return CountRows(server_->core(), {"citizens", "enrollments", "request_ids", "outbox"});
  }

  rv1::Consultant anna_, bo_;
};

TEST_P(OwnershipSeamsTest, AnotherCallersRequestIdNeverReturnsTheirCitizen) {
  // Anna registers and enrols a citizen; request ids are predictable.
  const std::string cpr_a = CprFor(1980, 3, 4, 1), cpr_b = CprFor(1981, 5, 6, 2);
  rv1::Citizen annas;
  ASSERT_TRUE(Create(ConsultantToken(), cpr_a, "seed-2026-citizen-1", &annas).ok());
  Enroll(annas, TodayInCopenhagen() - 10, anna_.name());
  rv1::GetCitizenRequest get;
  get.set_name(annas.name());
  rv1::Citizen read;
  auto denied = stub_->GetCitizen(Ctx(BoToken()).get(), get, &read);
  ASSERT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(ErrorReason(denied), "NOT_ON_CASELOAD");

  // Bo sends Anna's request id with a body of his own: his own citizen.
  rv1::Citizen bos;
  ASSERT_TRUE(Create(BoToken(), cpr_b, "seed-2026-citizen-1", &bos).ok());
  EXPECT_NE(bos.name(), annas.name());
  EXPECT_EQ(bos.cpr(), cpr_b);
  // His retry is his, too.
  rv1::Citizen again;
  ASSERT_TRUE(Create(BoToken(), cpr_b, "seed-2026-citizen-1", &again).ok());
  EXPECT_EQ(again.name(), bos.name());

  // A third consultant with Anna's id and Anna's very body learns only that
  // the CPR number is registered (as without an id), not her citizen.
  const long long before = Rows();
  rv1::Citizen answer;
  auto s = Create(Token("consultant-carl", "BIF", {"ips_consultant"}), cpr_a, "seed-2026-citizen-1", &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(answer.name(), "");
  EXPECT_EQ(answer.phone_number(), "");
  EXPECT_EQ(s.error_message().find(annas.name()), std::string::npos);
  EXPECT_EQ(Rows(), before);

  // Anna reusing her id for another body is refused, naming request_id,
  // and writes nothing; her retry still gets her citizen.
  s = Create(ConsultantToken(), CprFor(1982, 7, 8, 3), "seed-2026-citizen-1", &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"request_id"});
  EXPECT_EQ(Rows(), before);
  ASSERT_TRUE(Create(ConsultantToken(), cpr_a, "seed-2026-citizen-1", &answer).ok());
  EXPECT_EQ(answer.name(), annas.name());
  // The same id for another method of the same caller is refused too.
  rv1::EnrollCitizenRequest enrol = EnrollRequest(bos, TodayInCopenhagen() - 1, anna_.name());
  enrol.set_request_id("seed-2026-citizen-1");
  rv1::Enrollment e;
  s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), enrol, &e);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"request_id"});
  EXPECT_EQ(Rows(), before);
}

TEST_P(OwnershipSeamsTest, AnotherCallersEnrolmentRequestIdNeverReturnsTheirEnrolment) {
  auto x = MakeCitizen(CprFor(1975, 1, 2, 4));
  auto z = MakeCitizen(CprFor(1976, 2, 3, 5));
  auto req = EnrollRequest(x, TodayInCopenhagen() - 20, anna_.name());
  req.set_request_id("enrol-1");
  rv1::Enrollment annas;
  ASSERT_TRUE(stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &annas).ok());

  // Bo, with the same id, enrols his own citizen and gets his enrolment.
  auto bos_req = EnrollRequest(z, TodayInCopenhagen() - 5, bo_.name());
  bos_req.set_request_id("enrol-1");
  rv1::Enrollment bos;
  ASSERT_TRUE(stub_->EnrollCitizen(Ctx(BoToken()).get(), bos_req, &bos).ok());
  EXPECT_NE(bos.name(), annas.name());
  EXPECT_TRUE(bos.name().rfind(z.name() + "/", 0) == 0) << bos.name();
  EXPECT_EQ(bos.consultant(), bo_.name());

  // A retry is answered only as far as the caller may read now: once a
  // team lead moves Anna's citizen to Bo, her retry is refused.
  rv1::AssignConsultantRequest move;
  move.set_name(annas.name());
  move.set_consultant(bo_.name());
  rv1::Enrollment moved;
  ASSERT_TRUE(stub_->AssignConsultant(Ctx(TeamLeadToken()).get(), move, &moved).ok());
  rv1::Enrollment retry;
  auto s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &retry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(retry.name(), "");
}

TEST_P(OwnershipSeamsTest, ARoleHoldsOnlyForTheAgencyItsClauseNames) {
  auto c = MakeCitizen(CprFor(1979, 9, 9, 6));
  const long long before = Rows();
  for (const std::string agency : {"SOF", "", "MADE-UP", "bif"}) {
    SCOPED_TRACE("dpo of agency '" + agency + "'");
    const std::string dpo = Token("dpo-x", agency, {"dpo"});
    std::vector<grpc::Status> calls;
    {
      rv1::GetCitizenRequest r;
      r.set_name(c.name());
      rv1::Citizen out;
      calls.push_back(stub_->GetCitizen(Ctx(dpo).get(), r, &out));
      EXPECT_EQ(out.cpr(), "");
    }
    {
      rv1::LookupCitizenRequest r;
      r.set_cpr(c.cpr());
      rv1::Citizen out;
      calls.push_back(stub_->LookupCitizen(Ctx(dpo).get(), r, &out));
    }
    {
      rv1::ListCitizensRequest r;
      rv1::ListCitizensResponse out;
      calls.push_back(stub_->ListCitizens(Ctx(dpo).get(), r, &out));
      EXPECT_EQ(out.citizens_size(), 0);
    }
    {
      common::v1::ExportSubjectDataRequest r;
      r.set_citizen(c.name());
      common::v1::SubjectDataExport out;
      calls.push_back(stub_->ExportSubjectData(Ctx(dpo).get(), r, &out));
      EXPECT_EQ(out.data_json(), "");
    }
    {
      common::v1::ListAuditRecordsRequest r;
      common::v1::ListAuditRecordsResponse out;
      calls.push_back(stub_->ListAuditRecords(Ctx(dpo).get(), r, &out));
      EXPECT_EQ(out.audit_records_size(), 0);
    }
    for (const auto& s : calls) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
      EXPECT_EQ(ErrorReason(s), "ROLE_NOT_ALLOWED");
    }
  }
  EXPECT_EQ(Rows(), before);

  // BIF's DPO reads BIF's register; the joint DPO exports for a subject
  // access request, and only the joint DPO gets the citizen's event
  // pseudonym (which links them to every event).
  rv1::GetCitizenRequest get;
  get.set_name(c.name());
  rv1::Citizen got;
  EXPECT_TRUE(stub_->GetCitizen(Ctx(DpoToken()).get(), get, &got).ok());
  common::v1::ExportSubjectDataRequest ex;
  ex.set_citizen(c.name());
  common::v1::SubjectDataExport bif, joint;
  ASSERT_TRUE(stub_->ExportSubjectData(Ctx(DpoToken()).get(), ex, &bif).ok());
  EXPECT_EQ(bif.pseudonym(), "");
  ASSERT_TRUE(stub_->ExportSubjectData(Ctx(Token("dpo-joint", "JOINT", {"dpo"})).get(), ex, &joint).ok());
  EXPECT_EQ(joint.pseudonym().size(), 64u);
  rv1::Citizen none;
  EXPECT_EQ(stub_->GetCitizen(Ctx(Token("dpo-joint", "JOINT", {"dpo"})).get(), get, &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// The same at SOF's service: a BIF consultant reusing SOF's request id gets
// a referral of their own, never SOF's.
class TreatmentRequestIdTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<TreatmentServer>(url_);
    stub_ = server_->Stub();
  }
  grpc::Status Refer(const std::string& token, const std::string& citizen, tv1::Referrer by,
                     const std::string& request_id, tv1::Referral* out) {
    tv1::CreateReferralRequest req;
    req.set_parent(citizen);
    req.mutable_referral()->set_referred_by(by);
    *req.mutable_referral()->mutable_request_date() = ToProtoDate(TodayInCopenhagen() - 2);
    req.set_request_id(request_id);
    return stub_->CreateReferral(Ctx(token).get(), req, out);
  }
  std::string url_;
  std::unique_ptr<TreatmentServer> server_;
  std::unique_ptr<tv1::TreatmentCoordination::Stub> stub_;
};

TEST_P(TreatmentRequestIdTest, ABifCallerReusingSofsRequestIdGetsOnlyTheirOwnReferral) {
  tv1::Referral sofs;
  ASSERT_TRUE(
      Refer(SofOutreachToken(), "citizens/sof-knows", tv1::REFERRER_OUTREACH, "referral-1", &sofs).ok());
  // The attack: the same id for another citizen returned SOF's referral.
  tv1::Referral mine;
  ASSERT_TRUE(
      Refer(ConsultantToken(), "citizens/another", tv1::REFERRER_IPS_CONSULTANT, "referral-1", &mine).ok());
  EXPECT_NE(mine.name(), sofs.name());
  EXPECT_TRUE(mine.name().rfind("citizens/another/", 0) == 0) << mine.name();
  EXPECT_EQ(mine.referred_by(), tv1::REFERRER_IPS_CONSULTANT);
  EXPECT_TRUE(mine.redacted());
  // From then on the id is the consultant's: another body is refused and
  // nothing is written.
  const long long before = CountRows(server_->core(), {"referrals", "request_ids", "outbox"});
  tv1::Referral refused;
  auto s = Refer(ConsultantToken(), "citizens/third", tv1::REFERRER_IPS_CONSULTANT, "referral-1", &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"request_id"});
  EXPECT_EQ(refused.name(), "");
  EXPECT_EQ(CountRows(server_->core(), {"referrals", "request_ids", "outbox"}), before);
}

IPS_ON_BOTH_DATABASES(OwnershipSeamsTest);
IPS_ON_BOTH_DATABASES(TreatmentRequestIdTest);

}  // namespace
}  // namespace ips::testing
