// Bad input gets the exact status code, names the field, and writes
// nothing: no row, no event, no request id.
#include "tests/support/bad_input.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

struct Snapshot {
  long long rows = 0;
  long long events = 0;
  bool operator==(const Snapshot&) const = default;
};

class RegistryBadInputTest : public RegistryFixture {
 protected:
  Snapshot Take() {
    Snapshot snap;
    snap.rows = CountRows(server_->core(), {"citizens", "consultants", "enrollments", "job_conversations",
                                            "activities", "consents", "request_ids"});
    snap.events = CountRows(server_->core(), {"outbox"});
    return snap;
  }
};

TEST_P(RegistryBadInputTest, EveryBadInputIsRefusedAndNothingIsWritten) {
  auto k = MakeConsultant("Kim");
  auto c = MakeCitizen(CprFor(1980, 1, 1, 1));
  auto e = Enroll(c, TodayInCopenhagen() - 30, k.name());
  MakeCitizen(CprFor(1980, 1, 2, 2));  // so that a first page of one has a next page
  rv1::ListCitizensResponse first_page;
  {
    rv1::ListCitizensRequest req;
    req.set_page_size(1);
    ASSERT_TRUE(stub_->ListCitizens(Ctx(ConsultantToken()).get(), req, &first_page).ok());
    ASSERT_FALSE(first_page.next_page_token().empty());
  }
  const std::string token = ConsultantToken();

  auto citizen = [&](auto mutate) {
    return [&, mutate]() {
      rv1::CreateCitizenRequest req;
      req.mutable_citizen()->set_cpr(CprFor(1981, 2, 3, 4));
      req.mutable_citizen()->set_given_name("A");
      req.mutable_citizen()->set_family_name("B");
      req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
      mutate(req);
      rv1::Citizen out;
      return stub_->CreateCitizen(Ctx(token).get(), req, &out);
    };
  };
  auto enrol = [&](auto mutate) {
    return [&, mutate]() {
      auto other = rv1::Citizen();
      other.set_name(c.name());
      auto req = EnrollRequest(other, TodayInCopenhagen() - 1);
      mutate(req);
      rv1::Enrollment out;
      return stub_->EnrollCitizen(Ctx(token).get(), req, &out);
    };
  };
  auto conversation = [&](auto mutate) {
    return [&, mutate]() {
      rv1::CreateJobConversationRequest req;
      req.set_parent(e.name());
      req.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
      req.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_PHONE);
      *req.mutable_job_conversation()->mutable_date() = ToProtoDate(TodayInCopenhagen() - 1);
      mutate(req);
      rv1::JobConversation out;
      return stub_->CreateJobConversation(Ctx(token).get(), req, &out);
    };
  };

  const std::vector<BadCase> cases = {
      {"cpr too short", grpc::StatusCode::INVALID_ARGUMENT, "citizen.cpr",
       citizen([](auto& r) { r.mutable_citizen()->set_cpr("12345"); })},
      {"cpr with letters", grpc::StatusCode::INVALID_ARGUMENT, "citizen.cpr",
       citizen([](auto& r) { r.mutable_citizen()->set_cpr("01018O1234"); })},
      {"cpr impossible date", grpc::StatusCode::INVALID_ARGUMENT, "citizen.cpr",
       citizen([](auto& r) { r.mutable_citizen()->set_cpr("3102801234"); })},
      {"cpr missing", grpc::StatusCode::INVALID_ARGUMENT, "citizen.cpr",
       citizen([](auto& r) { r.mutable_citizen()->clear_cpr(); })},
      {"duplicate cpr", grpc::StatusCode::ALREADY_EXISTS, "",
       citizen([&](auto& r) { r.mutable_citizen()->set_cpr(c.cpr()); })},
      {"unknown district", grpc::StatusCode::INVALID_ARGUMENT, "citizen.district",
       citizen([](auto& r) { r.mutable_citizen()->set_district(static_cast<rv1::District>(99)); })},
      {"missing district", grpc::StatusCode::INVALID_ARGUMENT, "citizen.district",
       citizen([](auto& r) { r.mutable_citizen()->clear_district(); })},
      {"missing given name", grpc::StatusCode::INVALID_ARGUMENT, "citizen.given_name",
       citizen([](auto& r) { r.mutable_citizen()->clear_given_name(); })},
      {"oversized family name", grpc::StatusCode::INVALID_ARGUMENT, "citizen.family_name",
       citizen([](auto& r) { r.mutable_citizen()->set_family_name(std::string(201, 'x')); })},
      {"oversized request id", grpc::StatusCode::INVALID_ARGUMENT, "request_id",
       citizen([](auto& r) { r.set_request_id(std::string(101, 'r')); })},
      {"bad phone", grpc::StatusCode::INVALID_ARGUMENT, "citizen.phone_number",
       citizen([](auto& r) { r.mutable_citizen()->set_phone_number("call me"); })},
      {"start date impossible", grpc::StatusCode::INVALID_ARGUMENT, "enrollment.start_date",
       enrol([](auto& r) {
         auto* d = r.mutable_enrollment()->mutable_start_date();
         d->set_year(2026);
         d->set_month(2);
         d->set_day(30);
       })},
      {"start date missing", grpc::StatusCode::INVALID_ARGUMENT, "enrollment.start_date",
       enrol([](auto& r) { r.mutable_enrollment()->clear_start_date(); })},
      {"unknown benefit type", grpc::StatusCode::INVALID_ARGUMENT, "enrollment.assessment.benefit_type",
       enrol([](auto& r) {
         r.mutable_enrollment()->mutable_assessment()->set_benefit_type(static_cast<rv1::BenefitType>(42));
       })},
      {"negative unemployment", grpc::StatusCode::INVALID_ARGUMENT,
       "enrollment.assessment.unemployment_months",
       enrol([](auto& r) { r.mutable_enrollment()->mutable_assessment()->set_unemployment_months(-1); })},
      {"malformed citizen name", grpc::StatusCode::INVALID_ARGUMENT, "citizen",
       enrol([](auto& r) { r.set_citizen("people/1"); })},
      {"already enrolled", grpc::StatusCode::FAILED_PRECONDITION, "", enrol([](auto&) {})},
      {"override too short", grpc::StatusCode::INVALID_ARGUMENT, "override_reason",
       enrol([](auto& r) { r.set_override_reason("because"); })},
      {"unknown conversation status", grpc::StatusCode::INVALID_ARGUMENT, "job_conversation.status",
       conversation([](auto& r) {
         r.mutable_job_conversation()->set_status(static_cast<rv1::JobConversationStatus>(7));
       })},
      {"missing place", grpc::StatusCode::INVALID_ARGUMENT, "job_conversation.place",
       conversation([](auto& r) { r.mutable_job_conversation()->clear_place(); })},
      {"conversation in the future", grpc::StatusCode::INVALID_ARGUMENT, "job_conversation.date",
       conversation([](auto& r) {
         *r.mutable_job_conversation()->mutable_date() = ToProtoDate(TodayInCopenhagen() + 3);
       })},
      {"enrolment that does not exist", grpc::StatusCode::NOT_FOUND, "",
       conversation([&](auto& r) { r.set_parent(c.name() + "/enrollments/ffff"); })},
      {"page size too large", grpc::StatusCode::INVALID_ARGUMENT, "page_size",
       [&] {
         rv1::ListCitizensRequest req;
         req.set_page_size(1001);
         rv1::ListCitizensResponse out;
         return stub_->ListCitizens(Ctx(token).get(), req, &out);
       }},
      {"negative page size", grpc::StatusCode::INVALID_ARGUMENT, "page_size",
       [&] {
         rv1::ListConsultantsRequest req;
         req.set_page_size(-5);
         rv1::ListConsultantsResponse out;
         return stub_->ListConsultants(Ctx(token).get(), req, &out);
       }},
      {"unknown page token", grpc::StatusCode::INVALID_ARGUMENT, "page_token",
       [&] {
         rv1::ListCitizensRequest req;
         req.set_page_token("bm90LWEtdG9rZW4");
         rv1::ListCitizensResponse out;
         return stub_->ListCitizens(Ctx(token).get(), req, &out);
       }},
      {"page token of another filter", grpc::StatusCode::INVALID_ARGUMENT, "page_token",
       [&] {
         rv1::ListCitizensRequest req;
         req.set_page_size(1);
         req.set_filter("district = DISTRICT_BAVNEHOEJ");
         req.set_page_token(first_page.next_page_token());
         rv1::ListCitizensResponse out;
         return stub_->ListCitizens(Ctx(token).get(), req, &out);
       }},
      {"bad filter", grpc::StatusCode::INVALID_ARGUMENT, "filter",
       [&] {
         rv1::ListCitizensRequest req;
         req.set_filter("cpr = 0101801234");
         rv1::ListCitizensResponse out;
         return stub_->ListCitizens(Ctx(token).get(), req, &out);
       }},
      {"stale etag", grpc::StatusCode::ABORTED, "",
       [&] {
         rv1::UpdateCitizenRequest req;
         req.mutable_citizen()->set_name(c.name());
         req.mutable_citizen()->set_family_name("New");
         req.mutable_citizen()->set_etag("v0");
         req.mutable_update_mask()->add_paths("family_name");
         rv1::Citizen out;
         return stub_->UpdateCitizen(Ctx(token).get(), req, &out);
       }},
      {"update of immutable cpr", grpc::StatusCode::INVALID_ARGUMENT, "update_mask",
       [&] {
         rv1::UpdateCitizenRequest req;
         req.mutable_citizen()->set_name(c.name());
         req.mutable_citizen()->set_cpr("0101801234");
         req.mutable_update_mask()->add_paths("cpr");
         rv1::Citizen out;
         return stub_->UpdateCitizen(Ctx(token).get(), req, &out);
       }},
      {"missing update mask", grpc::StatusCode::INVALID_ARGUMENT, "update_mask",
       [&] {
         rv1::UpdateCitizenRequest req;
         req.mutable_citizen()->set_name(c.name());
         rv1::Citizen out;
         return stub_->UpdateCitizen(Ctx(token).get(), req, &out);
       }},
      {"citizen that does not exist", grpc::StatusCode::NOT_FOUND, "",
       [&] {
         rv1::GetCitizenRequest req;
         req.set_name("citizens/0123456789abcdef");
         rv1::Citizen out;
         return stub_->GetCitizen(Ctx(token).get(), req, &out);
       }},
      {"end date before start", grpc::StatusCode::INVALID_ARGUMENT, "end_date",
       [&] {
         rv1::EndEnrollmentRequest req;
         req.set_name(e.name());
         *req.mutable_end_date() = ToProtoDate(TodayInCopenhagen() - 60);
         req.set_outcome(rv1::COURSE_OUTCOME_EDUCATION);
         rv1::Enrollment out;
         return stub_->EndEnrollment(Ctx(token).get(), req, &out);
       }},
      {"consent expiring before given", grpc::StatusCode::INVALID_ARGUMENT, "consent.expiry_date",
       [&] {
         rv1::CreateConsentRequest req;
         req.set_parent(c.name());
         req.mutable_consent()->set_scope(rv1::CONSENT_SCOPE_COORDINATION);
         *req.mutable_consent()->mutable_given_date() = ToProtoDate(TodayInCopenhagen() - 1);
         *req.mutable_consent()->mutable_expiry_date() = ToProtoDate(TodayInCopenhagen() - 2);
         rv1::Consent out;
         return stub_->CreateConsent(Ctx(token).get(), req, &out);
       }},
      {"oversized activity description", grpc::StatusCode::INVALID_ARGUMENT, "activity.description",
       [&] {
         rv1::CreateActivityRequest req;
         req.set_parent(e.name());
         req.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_JOB_CLUB);
         req.mutable_activity()->set_description(std::string(501, 'd'));
         *req.mutable_activity()->mutable_start_date() = ToProtoDate(TodayInCopenhagen());
         rv1::Activity out;
         return stub_->CreateActivity(Ctx(token).get(), req, &out);
       }},
      {"negative event cursor", grpc::StatusCode::INVALID_ARGUMENT, "after_sequence",
       [&] {
         grpc::ClientContext ctx;
         ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
         common::v1::StreamEventsRequest req;
         req.set_after_sequence(-1);
         auto reader = server_->Stub("reporting")->StreamEvents(&ctx, req);
         common::v1::Event ev;
         while (reader->Read(&ev)) {
         }
         return reader->Finish();
       }},
  };

  const Snapshot before = Take();
  for (const auto& bad : cases) {
    grpc::Status s = bad.call();
    EXPECT_EQ(s.error_code(), bad.code) << bad.name << ": " << s.error_message();
    EXPECT_FALSE(s.error_message().empty()) << bad.name;
    if (!bad.field.empty()) {
      auto fields = BadFields(s);
      EXPECT_NE(std::find(fields.begin(), fields.end(), bad.field), fields.end())
          << bad.name << ": fields named " << ::testing::PrintToString(fields);
    }
    EXPECT_TRUE(Take() == before) << bad.name << " wrote something";
  }
}

IPS_ON_BOTH_DATABASES(RegistryBadInputTest);

}  // namespace
}  // namespace ips::testing
