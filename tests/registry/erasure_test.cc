// Erasure at the registry: on request by the DPO once no course runs, and
// by the retention sweep once the retention period has passed. The
// citizen's personal fields are cleared, their consents deleted, they are
// gone from every read, nothing more may be recorded about them, no event
// is published, and each erasure is audited.
#include <gtest/gtest.h>

#include "services/registry/registry_schema.h"
#include "tests/support/query.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

namespace cv1 = ips::common::v1;

absl::CivilDay DaysAgo(int n) { return TodayInCopenhagen() - n; }

class RegistryErasureTest : public RegistryFixture {
 protected:
  grpc::Status Erase(const std::string& citizen, cv1::SubjectErasure* out, bool validate_only = false,
                     const std::string& token = DpoToken()) {
    cv1::EraseSubjectDataRequest req;
    req.set_citizen(citizen);
    req.set_validate_only(validate_only);
    return stub_->EraseSubjectData(Ctx(token).get(), req, out);
  }

  rv1::Enrollment EndCourse(const rv1::Enrollment& e, absl::CivilDay end) {
    rv1::EndEnrollmentRequest req;
    req.set_name(e.name());
    *req.mutable_end_date() = ToProtoDate(end);
    req.set_outcome(rv1::COURSE_OUTCOME_ORDINARY_JOB);
    rv1::Enrollment out;
    auto s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::string Field(const std::string& sql, const std::string& id) {
    return QueryText(server_->core(), sql, id);
  }
};

TEST_P(RegistryErasureTest, OnRequestOnceTheCourseHasEndedAndTheCitizenIsGone) {
  MakeConsultant("Kim");
  const std::string cpr = CprFor(1980, 1, 1, 1);
  auto c = MakeCitizen(cpr);
  const std::string id = c.name().substr(std::string("citizens/").size());
  auto e = Enroll(c, DaysAgo(100));
  rv1::CreateActivityRequest activity;
  activity.set_parent(e.name());
  activity.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_TRAINING_GROUND);
  activity.mutable_activity()->set_description("talked about the drinking");
  *activity.mutable_activity()->mutable_start_date() = ToProtoDate(DaysAgo(50));
  rv1::Activity a;
  ASSERT_TRUE(stub_->CreateActivity(Ctx(ConsultantToken()).get(), activity, &a).ok());
  rv1::CreateConsentRequest consent;
  consent.set_parent(c.name());
  consent.mutable_consent()->set_scope(rv1::CONSENT_SCOPE_COORDINATION);
  *consent.mutable_consent()->mutable_given_date() = ToProtoDate(DaysAgo(90));
  *consent.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysAgo(-200));
  rv1::Consent given;
  ASSERT_TRUE(stub_->CreateConsent(Ctx(ConsultantToken()).get(), consent, &given).ok());

  // Refused while the course runs, to the DPO and to a validation alike;
  // not the consultant's call at all.
  cv1::SubjectErasure erasure;
  for (bool validate_only : {true, false}) {
    auto s = Erase(c.name(), &erasure, validate_only);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"ERASURE_COURSE_RUNNING"});
  }
  EXPECT_EQ(Erase(c.name(), &erasure, false, ConsultantToken()).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Erase(c.name(), &erasure, false, Token("dpo-sara", "SOF", {"dpo"})).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Field("SELECT cpr FROM citizens WHERE id = :id", id), cpr);

  EndCourse(e, DaysAgo(1));
  const int events = QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox");
  // Validation allows it and changes nothing.
  ASSERT_TRUE(Erase(c.name(), &erasure, true).ok());
  EXPECT_EQ(erasure.row_count(), 0);
  EXPECT_EQ(Field("SELECT cpr FROM citizens WHERE id = :id", id), cpr);

  auto s = Erase(c.name(), &erasure);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(erasure.citizen(), c.name());
  EXPECT_EQ(erasure.service(), "ips.registry.v1.CitizenRegistry");
  EXPECT_EQ(erasure.reason(), cv1::ERASURE_REASON_REQUEST);
  EXPECT_FALSE(erasure.already_erased());
  // The citizen row, the enrolment, the activity and the consent.
  EXPECT_EQ(erasure.row_count(), 4);

  // The personal fields are cleared, the consent deleted; the course's
  // dates and outcome stay.
  EXPECT_EQ(Field("SELECT cpr FROM citizens WHERE id = :id", id), "erased:" + id);
  EXPECT_EQ(
      Field("SELECT given_name || family_name || birth_date || phone_number FROM citizens WHERE id = :id",
            id),
      "");
  EXPECT_EQ(Field("SELECT assessment || decision || end_reason FROM enrollments WHERE citizen_id = :id", id),
            "");
  EXPECT_EQ(Field("SELECT end_date FROM enrollments WHERE citizen_id = :id", id), FormatDay(DaysAgo(1)));
  EXPECT_EQ(
      Field("SELECT description FROM activities WHERE id = :id", a.name().substr(a.name().rfind('/') + 1)),
      "");
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM consents WHERE citizen_id = :id", id), 0);

  // Gone from every read.
  rv1::Citizen got;
  rv1::GetCitizenRequest get;
  get.set_name(c.name());
  EXPECT_EQ(stub_->GetCitizen(Ctx(ConsultantToken()).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rv1::LookupCitizenRequest lookup;
  lookup.set_cpr(cpr);
  EXPECT_EQ(stub_->LookupCitizen(Ctx(ConsultantToken()).get(), lookup, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rv1::ListCitizensResponse listed;
  ASSERT_TRUE(stub_->ListCitizens(Ctx(TeamLeadToken()).get(), rv1::ListCitizensRequest(), &listed).ok());
  EXPECT_EQ(listed.citizens_size(), 0);
  rv1::GetEnrollmentRequest get_course;
  get_course.set_name(e.name());
  rv1::Enrollment course;
  EXPECT_EQ(stub_->GetEnrollment(Ctx(ConsultantToken()).get(), get_course, &course).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Nothing more may be recorded about them.
  rv1::Consent again;
  EXPECT_EQ(stub_->CreateConsent(Ctx(ConsultantToken()).get(), consent, &again).error_code(),
            grpc::StatusCode::NOT_FOUND);
  rv1::EnrollCitizenRequest enroll = EnrollRequest(c, DaysAgo(0));
  EXPECT_EQ(stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), enroll, &course).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // No event: reporting's figures stay as they were.
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox"), events);
  // Audited with the citizen, in an intact chain.
  EXPECT_EQ(
      QueryInt(
          server_->core(),
          "SELECT COUNT(*) FROM audit_log WHERE method = '/ips.registry.v1.CitizenRegistry/EraseSubjectData' "
          "AND outcome = 'OK' AND note = 'erased on request: 4 rows' AND citizen_id = :id",
          id),
      1);
  auto broken = server_->core().audit().FirstBrokenLink();
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(*broken, 0);

  // Erasing again returns the first record.
  cv1::SubjectErasure second;
  ASSERT_TRUE(Erase(c.name(), &second).ok());
  EXPECT_TRUE(second.already_erased());
  EXPECT_EQ(second.erase_time().seconds(), erasure.erase_time().seconds());
  EXPECT_EQ(second.row_count(), 4);

  // The same person can be registered again, as a new citizen.
  auto back = MakeCitizen(cpr);
  EXPECT_NE(back.name(), c.name());
  EXPECT_EQ(back.cpr(), cpr);
}

TEST_P(RegistryErasureTest, NamesTheCitizenItCannotErase) {
  cv1::SubjectErasure erasure;
  auto s = Erase("citizens/nobody", &erasure);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  s = Erase("people/x", &erasure);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"citizen"});
  s = Erase("", &erasure);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM erasures"), 0);
}

TEST_P(RegistryErasureTest, TheSweepErasesWhatIsPastRetentionAndNothingElse) {
  MakeConsultant("Kim");
  auto ended_long_ago = MakeCitizen(CprFor(1980, 1, 1, 1));
  EndCourse(Enroll(ended_long_ago, DaysAgo(300)), DaysAgo(10));
  auto running = MakeCitizen(CprFor(1981, 1, 1, 1));
  Enroll(running, DaysAgo(400));
  auto never_enrolled = MakeCitizen(CprFor(1982, 1, 1, 1));
  auto ended_lately = MakeCitizen(CprFor(1983, 1, 1, 1));
  EndCourse(Enroll(ended_lately, DaysAgo(200)), DaysAgo(2));
  const int events = QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox");

  RetentionSweeper sweeper(server_->core(), "ips.registry.v1.CitizenRegistry",
                           registry::RegistrySubjectData().erasure, 5);
  const absl::CivilDay today = TodayInCopenhagen();
  auto erased = sweeper.SweepOnce(today);
  ASSERT_TRUE(erased.ok()) << erased.status().message();
  EXPECT_EQ(*erased, 1);  // ten days after its end
  rv1::Citizen got;
  rv1::GetCitizenRequest get;
  for (const auto& [citizen, gone] : std::vector<std::pair<rv1::Citizen, bool>>{
           {ended_long_ago, true}, {running, false}, {never_enrolled, false}, {ended_lately, false}}) {
    get.set_name(citizen.name());
    EXPECT_EQ(stub_->GetCitizen(Ctx(TeamLeadToken()).get(), get, &got).error_code(),
              gone ? grpc::StatusCode::NOT_FOUND : grpc::StatusCode::OK)
        << citizen.name();
  }
  // Five days on, the one registered today and the one ended two days ago
  // are past it too; the running course never is.
  erased = sweeper.SweepOnce(today + 5);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(*erased, 2);
  erased = sweeper.SweepOnce(today + 5000);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(*erased, 0);
  get.set_name(running.name());
  EXPECT_TRUE(stub_->GetCitizen(Ctx(TeamLeadToken()).get(), get, &got).ok());

  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM erasures WHERE reason = 2"), 3);
  EXPECT_EQ(QueryInt(server_->core(),
                     "SELECT COUNT(*) FROM audit_log WHERE subject = 'retention-sweep' AND "
                     "method = '/ips.registry.v1.CitizenRegistry/RetentionSweep' AND citizen_id <> ''"),
            3);
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM citizens WHERE cpr LIKE 'erased:%'"), 3);
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox"), events);
  auto broken = server_->core().audit().FirstBrokenLink();
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(*broken, 0);
}

IPS_ON_BOTH_DATABASES(RegistryErasureTest);

}  // namespace
}  // namespace ips::testing
