// The rules in force on each course's dates, through the registry's gRPC
// API on both databases: outcomes by the version of the course's start,
// the version each enrolment and decision names, the list of versions,
// records inside their course, and courses planned again when the rules
// change.
#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "ips/registry/v1/events.pb.h"
#include "services/common/jwt_verifier.h"
#include "services/common/resource_name.h"
#include "services/registry/registry_rules.h"
#include "tests/support/bad_input.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

using D = absl::CivilDay;

class RulesVersionsTest : public RegistryFixture {
 protected:
  grpc::Status End(const rv1::Enrollment& e, D end, rv1::CourseOutcome outcome, rv1::Enrollment* out) {
    rv1::EndEnrollmentRequest req;
    req.set_name(e.name());
    *req.mutable_end_date() = ToProtoDate(end);
    req.set_outcome(outcome);
    return stub_->EndEnrollment(Ctx(ConsultantToken()).get(), req, out);
  }
  grpc::Status Conversation(const rv1::Enrollment& e, D day, rv1::JobConversation* out) {
    rv1::CreateJobConversationRequest req;
    req.set_parent(e.name());
    req.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
    *req.mutable_job_conversation()->mutable_date() = ToProtoDate(day);
    req.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_LOCAL_OFFICE);
    return stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), req, out);
  }
  long long Rows() { return CountRows(server_->core(), {"enrollments", "job_conversations", "outbox"}); }
};

TEST_P(RulesVersionsTest, AResourceCourseEndsOnlyACourseStartedBeforeTheFirstOfFebruary2026) {
  auto k = MakeConsultant("Kim", 10);
  auto before = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), D(2025, 11, 3), k.name());
  auto after = Enroll(MakeCitizen(CprFor(1980, 1, 2, 2)), D(2026, 3, 2), k.name());
  EXPECT_EQ(before.rules_version(), "LAB-2019");
  EXPECT_EQ(before.decision().rules_version(), "LAB-2019");
  EXPECT_EQ(after.rules_version(), "REFORM-2026-02");
  EXPECT_EQ(after.decision().rules_version(), "REFORM-2026-02");
  EXPECT_FALSE(after.rules_provisional());

  // Refused for the course started on 2 March 2026, naming the version.
  const long long rows = Rows();
  rv1::Enrollment ended;
  auto refused = End(after, D(2026, 9, 30), rv1::COURSE_OUTCOME_RESOURCE_COURSE, &ended);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionSubjects(refused), std::vector<std::string>{"REFORM-2026-02"});
  EXPECT_NE(
      refused.error_message().find("COURSE_OUTCOME_RESOURCE_COURSE is not an outcome a course started on "
                                   "2026-03-02 may end in (rules version REFORM-2026-02)"),
      std::string::npos)
      << refused.error_message();
  EXPECT_EQ(Rows(), rows);
  // A course started in 2025 still may, also when it ends in 2026.
  auto s = End(before, D(2026, 9, 30), rv1::COURSE_OUTCOME_RESOURCE_COURSE, &ended);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(ended.outcome(), rv1::COURSE_OUTCOME_RESOURCE_COURSE);
  // The later course ends in another outcome.
  ASSERT_TRUE(End(after, D(2026, 9, 30), rv1::COURSE_OUTCOME_OTHER_OFFER, &ended).ok());
}

TEST_P(RulesVersionsTest, CallersListTheVersionsAndWhatEachContains) {
  rv1::ListRuleVersionsRequest req;
  rv1::ListRuleVersionsResponse resp;
  ASSERT_TRUE(stub_->ListRuleVersions(Ctx(ConsultantToken()).get(), req, &resp).ok());
  ASSERT_EQ(resp.versions_size(), 3);
  EXPECT_EQ(resp.versions(0).id(), "LAB-2019");
  EXPECT_EQ(resp.versions(1).id(), "REFORM-2026-02");
  EXPECT_EQ(resp.versions(1).effective_from().month(), 2);
  EXPECT_NE(resp.versions(1).source().find("1750"), std::string::npos);
  EXPECT_EQ(resp.versions(2).id(), "CONTACT-2026-07");
  const auto& lab = resp.versions(0);
  EXPECT_EQ(lab.entry().minimum_age(), 30);
  EXPECT_EQ(lab.entry().match_groups(0), "ACTIVITY_READY");
  EXPECT_EQ(lab.entry().benefits(0), rv1::BENEFIT_TYPE_CASH_BENEFIT);
  ASSERT_EQ(lab.conversation_plans_size(), 2);
  EXPECT_EQ(lab.conversation_plans(0).period(), "6 months");
  EXPECT_EQ(lab.conversation_plans(0).due(0), "1 week");
  EXPECT_EQ(lab.outcomes_size(), 10);
  EXPECT_EQ(resp.versions(1).outcomes_size(), 9);
  ASSERT_EQ(resp.pending_changes_size(), 1);
  EXPECT_EQ(resp.pending_changes(0).expected_from().year(), 2027);
  // Not for SOF.
  EXPECT_EQ(
      stub_->ListRuleVersions(Ctx(Token("sof-eva", "SOF", {"sof_treatment"})).get(), req, &resp).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(RulesVersionsTest, ACourseFromADayWhoseLawIsNotYetKnownIsJudgedProvisionally) {
  auto k = MakeConsultant("Kim", 10);
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 3, 3)), D(2027, 1, 4), k.name());
  EXPECT_EQ(e.rules_version(), "CONTACT-2026-07");
  EXPECT_TRUE(e.rules_provisional());
}

TEST_P(RulesVersionsTest, ACoursesRecordsLieInsideIt) {
  auto k = MakeConsultant("Kim", 10);
  const D start = TodayInCopenhagen() - 90;
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 4, 4)), start, k.name());
  rv1::JobConversation held;
  ASSERT_TRUE(Conversation(e, start + 3, &held).ok());
  ASSERT_TRUE(Conversation(e, start + 40, &held).ok());
  // Before the course: refused.
  rv1::JobConversation early;
  EXPECT_EQ(Conversation(e, start - 1, &early).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Ending it before a conversation already recorded: refused, naming it.
  const long long rows = Rows();
  rv1::Enrollment ended;
  auto s = End(e, start + 20, rv1::COURSE_OUTCOME_OTHER_OFFER, &ended);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{held.name()});
  EXPECT_EQ(Rows(), rows);
  // Ended on the day of the last record: its plan is judged only up to the
  // end, and a conversation before the end meets nothing due after it.
  ASSERT_TRUE(End(e, start + 40, rv1::COURSE_OUTCOME_OTHER_OFFER, &ended).ok());
  for (const auto& due : ended.conversation_plan()) {
    EXPECT_LE(CivilDayOf(due.due_date()), start + 40) << DateText(due.due_date());
  }
  ASSERT_EQ(ended.conversation_plan_size(), 2);  // a week and a month in
  EXPECT_EQ(ended.conversation_plan(0).state(), rv1::CONVERSATION_DUE_STATE_MET);
  EXPECT_EQ(ended.conversation_plan(1).state(), rv1::CONVERSATION_DUE_STATE_MISSED);
  EXPECT_EQ(ended.conversation_statistics().due(), 2);
  EXPECT_EQ(ended.conversation_statistics().met_on_time(), 1);
}

// An operator corrects a version: courses it judges get their plans made
// again at the next start, each with an event for reporting; a start with
// the same rules changes nothing.
TEST_P(RulesVersionsTest, CoursesArePlannedAgainWhenTheRulesChange) {
  auto k = MakeConsultant("Kim", 10);
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 5, 5)), D(2026, 3, 2), k.name());
  ASSERT_EQ(e.conversation_plan_size(), 4);
  const long long events = CountRows(server_->core(), {"outbox"});
  // The REFORM-2026-02 version now brings a plan of its own.
  std::string rules = *ReadFile(SourceDir() + "/services/registry/rules.json");
  const std::string from = R"("id": "REFORM-2026-02",)";
  rules = absl::StrReplaceAll(rules, {{from, std::string(from) + R"(
      "conversation_plans": {
        "ACTIVITY_READY": {"period": "3 months", "due": ["1 week", "1 month", "3 months"], "basis": "a correction"},
        "JOB_READY": {"period": "3 months", "due": ["1 week", "3 months"], "basis": "a correction"}
      },)"}});
  ASSERT_TRUE(registry::ParseRegistryRules(rules).ok()) << registry::ParseRegistryRules(rules).status();
  server_->Stop();
  server_ = std::make_unique<RegistryServer>(url_, rules);
  stub_ = server_->Stub();
  rv1::GetEnrollmentRequest get;
  get.set_name(e.name());
  rv1::Enrollment now;
  ASSERT_TRUE(stub_->GetEnrollment(Ctx(ConsultantToken()).get(), get, &now).ok());
  ASSERT_EQ(now.conversation_plan_size(), 3);
  EXPECT_EQ(CivilDayOf(now.conversation_plan(2).due_date()), D(2026, 6, 2));
  EXPECT_EQ(CountRows(server_->core(), {"outbox"}), events + 1);
  auto changed = server_->core().outbox().ReadAfter(events, 10);
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->size(), 1u);
  rv1::ConversationPlanChanged m;
  ASSERT_TRUE((*changed)[0].payload().UnpackTo(&m));
  EXPECT_EQ(m.rules_version(), "REFORM-2026-02");
  EXPECT_EQ(m.conversation_due_dates_size(), 3);
  // The same rules again: nothing to do.
  server_->Stop();
  server_ = std::make_unique<RegistryServer>(url_, rules);
  EXPECT_EQ(CountRows(server_->core(), {"outbox"}), events + 1);
}

IPS_ON_BOTH_DATABASES(RulesVersionsTest);

}  // namespace
}  // namespace ips::testing
