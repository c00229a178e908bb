// CitizenRegistry through its gRPC API (mTLS, real tokens) on SQLite and
// PostgreSQL: every RPC and the domain rules as a caller sees them.
#include <gtest/gtest.h>

#include "ips/registry/v1/events.pb.h"
#include "services/common/resource_name.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

using RegistryApiTest = RegistryFixture;

absl::CivilDay DaysAgo(int n) { return TodayInCopenhagen() - n; }

TEST_P(RegistryApiTest, CreateGetUpdateCitizen) {
  auto c = MakeCitizen("010180-1234");
  EXPECT_EQ(c.cpr(), "0101801234");
  EXPECT_FALSE(c.cpr_passes_modulus11());  // accepted all the same
  EXPECT_TRUE(MakeCitizen("070761-4285").cpr_passes_modulus11());
  EXPECT_EQ(c.birth_date().year(), 1980);
  EXPECT_EQ(c.etag(), "v1");
  EXPECT_TRUE(c.active_enrollment().empty());

  rv1::GetCitizenRequest get;
  get.set_name(c.name());
  rv1::Citizen got;
  ASSERT_TRUE(stub_->GetCitizen(Ctx(ConsultantToken()).get(), get, &got).ok());
  EXPECT_EQ(got.family_name(), "Person");

  rv1::UpdateCitizenRequest upd;
  upd.mutable_citizen()->set_name(c.name());
  upd.mutable_citizen()->set_family_name("Jensen");
  upd.mutable_citizen()->set_given_name("IGNORED: not in mask");
  upd.mutable_citizen()->set_etag(c.etag());
  upd.mutable_update_mask()->add_paths("family_name");
  rv1::Citizen updated;
  auto s = stub_->UpdateCitizen(Ctx(ConsultantToken()).get(), upd, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.family_name(), "Jensen");
  EXPECT_EQ(updated.given_name(), "Test");
  EXPECT_EQ(updated.etag(), "v2");

  // The same etag again is stale now.
  s = stub_->UpdateCitizen(Ctx(ConsultantToken()).get(), upd, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorReason(s), "STALE_ETAG");
}

TEST_P(RegistryApiTest, DuplicateCprIsAlreadyExistsAndRequestIdIsIdempotent) {
  rv1::CreateCitizenRequest req;
  req.mutable_citizen()->set_cpr("0101801234");
  req.mutable_citizen()->set_given_name("A");
  req.mutable_citizen()->set_family_name("B");
  req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
  req.set_request_id("req-1");
  rv1::Citizen first, again;
  ASSERT_TRUE(stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &first).ok());
  ASSERT_TRUE(stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &again).ok());
  EXPECT_EQ(first.name(), again.name());
  req.set_request_id("req-2");
  auto s = stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &again);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(s.error_message().find("0101801234"), std::string::npos) << "no CPR in errors";

  // One audit record per call: the successful creates' records were
  // committed with the change, the refused one's after it.
  common::v1::ListAuditRecordsRequest audit;
  audit.set_filter("method = /ips.registry.v1.CitizenRegistry/CreateCitizen");
  common::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(DpoToken()).get(), audit, &records).ok());
  ASSERT_EQ(records.audit_records_size(), 3);
  EXPECT_EQ(records.audit_records(0).outcome(), "OK");
  EXPECT_EQ(records.audit_records(0).citizen_id(), first.name().substr(9));
  EXPECT_EQ(records.audit_records(1).outcome(), "OK");
  EXPECT_EQ(records.audit_records(2).outcome(), "ALREADY_EXISTS");
}

TEST_P(RegistryApiTest, LookupByCprIsExactAndAudited) {
  auto c = MakeCitizen(CprFor(1975, 4, 3, 12));
  rv1::LookupCitizenRequest req;
  req.set_cpr(CprFor(1975, 4, 3, 12));
  rv1::Citizen found;
  ASSERT_TRUE(stub_->LookupCitizen(Ctx(ConsultantToken()).get(), req, &found).ok());
  EXPECT_EQ(found.name(), c.name());
  req.set_cpr(CprFor(1975, 4, 3, 13));
  EXPECT_EQ(stub_->LookupCitizen(Ctx(ConsultantToken()).get(), req, &found).error_code(),
            grpc::StatusCode::NOT_FOUND);

  common::v1::ListAuditRecordsRequest audit;
  audit.set_filter("citizen_id = " + c.name().substr(9) +
                   " AND method = /ips.registry.v1.CitizenRegistry/LookupCitizen");
  common::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(DpoToken()).get(), audit, &records).ok());
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_EQ(records.audit_records(0).subject(), "consultant-anna");
  EXPECT_EQ(records.audit_records(0).service(), "ipsctl");
  EXPECT_EQ(records.audit_records(0).outcome(), "OK");
}

TEST_P(RegistryApiTest, ListCitizensFiltersAndPages) {
  auto k = MakeConsultant("Kim");
  std::vector<rv1::Citizen> all;
  for (int i = 0; i < 5; ++i) all.push_back(MakeCitizen(CprFor(1980, 1, 1 + i, i)));
  MakeCitizen(CprFor(1980, 2, 1, 9), rv1::DISTRICT_BAVNEHOEJ);
  Enroll(all[0], DaysAgo(10), k.name());
  Enroll(all[1], DaysAgo(10), k.name());

  rv1::ListCitizensRequest req;
  req.set_page_size(2);
  req.set_filter("district = DISTRICT_SYDHAVNEN");
  std::set<std::string> seen;
  int pages = 0;
  while (true) {
    rv1::ListCitizensResponse resp;
    auto s = stub_->ListCitizens(Ctx(ConsultantToken()).get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ++pages;
    for (const auto& c : resp.citizens()) {
      EXPECT_EQ(c.district(), rv1::DISTRICT_SYDHAVNEN);
      EXPECT_TRUE(seen.insert(c.name()).second) << "repeated across pages";
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);

  rv1::ListCitizensRequest enrolled;
  enrolled.set_filter("enrolled = true AND consultant = " + k.name());
  rv1::ListCitizensResponse resp;
  ASSERT_TRUE(stub_->ListCitizens(Ctx(ConsultantToken()).get(), enrolled, &resp).ok());
  EXPECT_EQ(resp.citizens_size(), 2);
  for (const auto& c : resp.citizens()) EXPECT_FALSE(c.active_enrollment().empty());
  enrolled.set_filter("enrolled = false");
  ASSERT_TRUE(stub_->ListCitizens(Ctx(ConsultantToken()).get(), enrolled, &resp).ok());
  EXPECT_EQ(resp.citizens_size(), 4);
}

TEST_P(RegistryApiTest, ConsultantsCarryTheirCaseload) {
  auto k = MakeConsultant("Kim", 3);
  EXPECT_EQ(k.state(), rv1::CONSULTANT_STATE_ACTIVE);
  EXPECT_EQ(k.effective_caseload_cap(), 3);
  auto k2 = MakeConsultant("Lis");
  EXPECT_EQ(k2.effective_caseload_cap(), 25);
  Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(5), k.name());
  rv1::GetConsultantRequest get;
  get.set_name(k.name());
  rv1::Consultant got;
  ASSERT_TRUE(stub_->GetConsultant(Ctx(ConsultantToken()).get(), get, &got).ok());
  EXPECT_EQ(got.caseload(), 1);

  rv1::UpdateConsultantRequest upd;
  upd.mutable_consultant()->set_name(k.name());
  upd.mutable_consultant()->set_state(rv1::CONSULTANT_STATE_INACTIVE);
  upd.mutable_update_mask()->add_paths("state");
  ASSERT_TRUE(stub_->UpdateConsultant(Ctx(TeamLeadToken()).get(), upd, &got).ok());
  EXPECT_EQ(got.state(), rv1::CONSULTANT_STATE_INACTIVE);

  rv1::ListConsultantsRequest list;
  list.set_filter("state = CONSULTANT_STATE_ACTIVE");
  rv1::ListConsultantsResponse resp;
  ASSERT_TRUE(stub_->ListConsultants(Ctx(ConsultantToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.consultants_size(), 1);
  EXPECT_EQ(resp.consultants(0).name(), k2.name());
  // A consultant cannot manage consultants.
  EXPECT_EQ(stub_->UpdateConsultant(Ctx(ConsultantToken()).get(), upd, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_P(RegistryApiTest, EnrolmentReportsEveryUnmetRuleAndWritesNothingButTheRefusal) {
  MakeConsultant("Kim");
  // 25 years old, Bavnehøj is fine, but other rules fail too.
  auto young = MakeCitizen(CprFor(2001, 1, 1, 5), rv1::DISTRICT_OTHER_COPENHAGEN);
  auto req = EnrollRequest(young, DaysAgo(1));
  req.mutable_enrollment()->mutable_assessment()->set_activity_ready(false);
  req.mutable_enrollment()->mutable_assessment()->set_in_substance_treatment(true);
  rv1::Enrollment out;
  auto s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  auto subjects = PreconditionSubjects(s);
  std::set<std::string> unmet(subjects.begin(), subjects.end());
  EXPECT_EQ(unmet,
            (std::set<std::string>{"ELIGIBILITY_RULE_AGE_30_OR_OVER", "ELIGIBILITY_RULE_ACTIVITY_READY",
                                   "ELIGIBILITY_RULE_RESIDES_IN_PROGRAMME_DISTRICT",
                                   "ELIGIBILITY_RULE_NOT_IN_SUBSTANCE_TREATMENT"}));
  rv1::ListEnrollmentsRequest list;
  list.set_parent("citizens/-");
  rv1::ListEnrollmentsResponse resp;
  ASSERT_TRUE(stub_->ListEnrollments(Ctx(ConsultantToken()).get(), list, &resp).ok());
  EXPECT_EQ(resp.enrollments_size(), 0);
  // The decision alone is published, for the fidelity review: the unmet
  // rules under the citizen's pseudonym, nothing that names them.
  auto events = server_->core().outbox().ReadAfter(0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<rv1::EntryRefused> refusals;
  for (const auto& e : *events) {
    rv1::EntryRefused r;
    if (!e.payload().UnpackTo(&r)) continue;
    refusals.push_back(r);
    EXPECT_FALSE(e.subject_pseudonym().empty());
    EXPECT_EQ(e.SerializeAsString().find(young.cpr()), std::string::npos);
    EXPECT_EQ(e.SerializeAsString().find(LastSegment(young.name())), std::string::npos);
  }
  ASSERT_EQ(refusals.size(), 1u);
  std::set<std::string> published;
  for (int rule : refusals[0].unmet_rules()) {
    published.insert(rv1::EligibilityRule_Name(static_cast<rv1::EligibilityRule>(rule)));
  }
  EXPECT_EQ(published, unmet);
  EXPECT_EQ(FormatDay(CivilDayOf(refusals[0].start_date())), FormatDay(DaysAgo(1)));

  rv1::CheckEligibilityRequest check;
  check.set_citizen(young.name());
  *check.mutable_start_date() = ToProtoDate(DaysAgo(1));
  *check.mutable_assessment() = req.enrollment().assessment();
  rv1::EligibilityDecision decision;
  ASSERT_TRUE(stub_->CheckEligibility(Ctx(ConsultantToken()).get(), check, &decision).ok());
  int met = 0;
  for (const auto& r : decision.results()) met += r.met() ? 1 : 0;
  EXPECT_EQ(decision.results_size(), 7);
  EXPECT_EQ(met, 3);
}

TEST_P(RegistryApiTest, EachEligibilityRuleAloneRefusesTheEnrolment) {
  MakeConsultant("Kim");
  struct Case {
    std::string rule;
    std::string cpr;
    rv1::District district;
    void (*breaks)(rv1::EligibilityAssessment&);
  };
  const auto none = [](rv1::EligibilityAssessment&) {};
  const std::vector<Case> cases = {
      {"ELIGIBILITY_RULE_AGE_30_OR_OVER", CprFor(2000, 6, 1, 1), rv1::DISTRICT_SYDHAVNEN, none},
      {"ELIGIBILITY_RULE_ACTIVITY_READY", CprFor(1980, 6, 2, 2), rv1::DISTRICT_SYDHAVNEN,
       [](rv1::EligibilityAssessment& a) { a.set_activity_ready(false); }},
      {"ELIGIBILITY_RULE_CASH_BENEFIT", CprFor(1980, 6, 3, 3), rv1::DISTRICT_SYDHAVNEN,
       [](rv1::EligibilityAssessment& a) { a.set_benefit_type(rv1::BENEFIT_TYPE_SICKNESS_BENEFIT); }},
      {"ELIGIBILITY_RULE_SUBSTANCE_USE_PROBLEM", CprFor(1980, 6, 4, 4), rv1::DISTRICT_SYDHAVNEN,
       [](rv1::EligibilityAssessment& a) { a.set_substance_use_problem(false); }},
      {"ELIGIBILITY_RULE_UNEMPLOYMENT_UNDER_5_YEARS", CprFor(1980, 6, 5, 5), rv1::DISTRICT_SYDHAVNEN,
       [](rv1::EligibilityAssessment& a) { a.set_unemployment_months(60); }},
      {"ELIGIBILITY_RULE_RESIDES_IN_PROGRAMME_DISTRICT", CprFor(1980, 6, 6, 6),
       rv1::DISTRICT_OUTSIDE_COPENHAGEN, none},
      {"ELIGIBILITY_RULE_NOT_IN_SUBSTANCE_TREATMENT", CprFor(1980, 6, 7, 7), rv1::DISTRICT_SYDHAVNEN,
       [](rv1::EligibilityAssessment& a) { a.set_in_substance_treatment(true); }},
  };
  for (const auto& c : cases) {
    auto citizen = MakeCitizen(c.cpr, c.district);
    auto req = EnrollRequest(citizen, DaysAgo(1));
    c.breaks(*req.mutable_enrollment()->mutable_assessment());
    rv1::Enrollment out;
    auto s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << c.rule;
    EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{c.rule});
  }
  // Bavnehøj is a programme district too.
  Enroll(MakeCitizen(CprFor(1980, 6, 8, 8), rv1::DISTRICT_BAVNEHOEJ), DaysAgo(1));
}

TEST_P(RegistryApiTest, OnlyATeamLeadMayOverrideAndTheOverrideIsRecorded) {
  MakeConsultant("Kim");
  auto c = MakeCitizen(CprFor(1980, 1, 1, 1));
  auto req = EnrollRequest(c, DaysAgo(1));
  req.mutable_enrollment()->mutable_assessment()->set_unemployment_months(80);
  req.set_override_reason("Long unemployment but strongly motivated; agreed at team meeting");
  rv1::Enrollment out;
  auto denied = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &out);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(denied), "OVERRIDE_REQUIRES_TEAM_LEAD");
  auto ok = stub_->EnrollCitizen(Ctx(TeamLeadToken()).get(), req, &out);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_TRUE(out.decision().overridden());
  EXPECT_EQ(out.decision().overridden_by(), "lead-bo");
  EXPECT_EQ(out.decision().override_reason(), req.override_reason());

  common::v1::ListAuditRecordsRequest audit;
  audit.set_filter("method = /ips.registry.v1.CitizenRegistry/EnrollCitizen AND outcome = OK");
  common::v1::ListAuditRecordsResponse records;
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(DpoToken()).get(), audit, &records).ok());
  ASSERT_EQ(records.audit_records_size(), 1);
  EXPECT_NE(records.audit_records(0).note().find("ELIGIBILITY_RULE_UNEMPLOYMENT_UNDER_5_YEARS"),
            std::string::npos);
}

TEST_P(RegistryApiTest, CaseloadCapAndAutomaticAssignment) {
  auto small = MakeConsultant("Kim", 2);
  auto a = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(3), small.name());
  Enroll(MakeCitizen(CprFor(1980, 1, 2, 2)), DaysAgo(3), small.name());
  rv1::Enrollment out;
  auto full =
      stub_->EnrollCitizen(Ctx(ConsultantToken()).get(),
                           EnrollRequest(MakeCitizen(CprFor(1980, 1, 3, 3)), DaysAgo(3), small.name()), &out);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionSubjects(full), std::vector<std::string>{small.name()});
  // Without a named consultant the one with the most room gets the citizen.
  auto big = MakeConsultant("Lis", 10);
  auto auto_assigned = Enroll(MakeCitizen(CprFor(1980, 1, 4, 4)), DaysAgo(3));
  EXPECT_EQ(auto_assigned.consultant(), big.name());

  rv1::AssignConsultantRequest move;
  move.set_name(a.name());
  move.set_consultant(big.name());
  move.set_etag(a.etag());
  EXPECT_EQ(stub_->AssignConsultant(Ctx(ConsultantToken()).get(), move, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto s = stub_->AssignConsultant(Ctx(TeamLeadToken()).get(), move, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.consultant(), big.name());
  rv1::GetConsultantRequest get;
  get.set_name(big.name());
  rv1::Consultant k;
  ASSERT_TRUE(stub_->GetConsultant(Ctx(ConsultantToken()).get(), get, &k).ok());
  EXPECT_EQ(k.caseload(), 2);
}

TEST_P(RegistryApiTest, ConversationsGiveTimelinessAndAttendance) {
  MakeConsultant("Kim");
  // A course started 100 days ago is judged by CONTACT-2026-07 (or by it
  // provisionally once 2027's rules are due): the programme's plan for an
  // activity-ready citizen, a week and then one a calendar month.
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(100));
  ASSERT_EQ(e.conversation_plan_size(), 7);
  EXPECT_EQ(e.rules_version(), "CONTACT-2026-07");
  EXPECT_EQ(e.conversation_schedule(), "CONTACT-2026-07");
  EXPECT_EQ(e.decision().rules_version(), "CONTACT-2026-07");
  auto record = [&](int day, rv1::JobConversationStatus status) {
    rv1::CreateJobConversationRequest req;
    req.set_parent(e.name());
    req.mutable_job_conversation()->set_status(status);
    *req.mutable_job_conversation()->mutable_date() = ToProtoDate(DaysAgo(100) + day);
    req.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_LOCAL_OFFICE);
    rv1::JobConversation out;
    auto s = stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  record(3, rv1::JOB_CONVERSATION_STATUS_HELD);
  record(20, rv1::JOB_CONVERSATION_STATUS_NO_SHOW);
  record(50, rv1::JOB_CONVERSATION_STATUS_HELD);
  rv1::GetEnrollmentRequest get;
  get.set_name(e.name());
  rv1::Enrollment got;
  ASSERT_TRUE(stub_->GetEnrollment(Ctx(ConsultantToken()).get(), get, &got).ok());
  // Due a week, 1, 2, 3, 4... months in: day 3 meets the week; day 50 is
  // too late for the first month but meets the second; the third month has
  // passed without one; the fourth (day 120 or so) is still to come.
  EXPECT_EQ(got.conversation_plan(0).state(), rv1::CONVERSATION_DUE_STATE_MET);
  EXPECT_EQ(got.conversation_plan(1).state(), rv1::CONVERSATION_DUE_STATE_MISSED);
  EXPECT_EQ(got.conversation_plan(2).state(), rv1::CONVERSATION_DUE_STATE_MET);
  EXPECT_EQ(got.conversation_plan(3).state(), rv1::CONVERSATION_DUE_STATE_MISSED);
  EXPECT_EQ(got.conversation_plan(4).state(), rv1::CONVERSATION_DUE_STATE_PENDING);
  EXPECT_EQ(got.conversation_statistics().due(), 4);
  EXPECT_EQ(got.conversation_statistics().met_on_time(), 2);
  EXPECT_EQ(got.conversation_statistics().held(), 2);
  EXPECT_EQ(got.conversation_statistics().no_shows(), 1);

  rv1::ListJobConversationsRequest list;
  list.set_parent(e.name());
  list.set_page_size(2);
  rv1::ListJobConversationsResponse resp;
  ASSERT_TRUE(stub_->ListJobConversations(Ctx(ConsultantToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.job_conversations_size(), 2);
  EXPECT_EQ(resp.job_conversations(1).status(), rv1::JOB_CONVERSATION_STATUS_NO_SHOW);
  list.set_page_token(resp.next_page_token());
  ASSERT_TRUE(stub_->ListJobConversations(Ctx(ConsultantToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.job_conversations_size(), 1);
  EXPECT_EQ(resp.job_conversations(0).date().day(), ToProtoDate(DaysAgo(50)).day());

  // A conversation before the course started is refused.
  rv1::CreateJobConversationRequest early;
  early.set_parent(e.name());
  early.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
  early.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_PHONE);
  *early.mutable_job_conversation()->mutable_date() = ToProtoDate(DaysAgo(101));
  rv1::JobConversation out;
  auto s = stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), early, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"job_conversation.date"});
}

TEST_P(RegistryApiTest, ActivitiesAreRecordedAndUpdated) {
  MakeConsultant("Kim");
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(30));
  rv1::CreateActivityRequest req;
  req.set_parent(e.name());
  req.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_TRAINING_GROUND);
  req.mutable_activity()->set_description("people's kitchen");
  *req.mutable_activity()->mutable_start_date() = ToProtoDate(DaysAgo(20));
  rv1::Activity a;
  ASSERT_TRUE(stub_->CreateActivity(Ctx(ConsultantToken()).get(), req, &a).ok());
  req.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_SOCIAL_FREE_CARD);
  *req.mutable_activity()->mutable_start_date() = ToProtoDate(DaysAgo(25));
  rv1::Activity b;
  ASSERT_TRUE(stub_->CreateActivity(Ctx(ConsultantToken()).get(), req, &b).ok());

  rv1::UpdateActivityRequest upd;
  upd.mutable_activity()->set_name(a.name());
  *upd.mutable_activity()->mutable_end_date() = ToProtoDate(DaysAgo(2));
  upd.mutable_activity()->set_etag(a.etag());
  upd.mutable_update_mask()->add_paths("end_date");
  rv1::Activity updated;
  ASSERT_TRUE(stub_->UpdateActivity(Ctx(ConsultantToken()).get(), upd, &updated).ok());
  EXPECT_EQ(updated.end_date().day(), ToProtoDate(DaysAgo(2)).day());
  EXPECT_EQ(updated.description(), "people's kitchen");

  rv1::ListActivitiesRequest list;
  list.set_parent(e.name());
  rv1::ListActivitiesResponse resp;
  ASSERT_TRUE(stub_->ListActivities(Ctx(ConsultantToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.activities_size(), 2);
  EXPECT_EQ(resp.activities(0).kind(), rv1::ACTIVITY_KIND_SOCIAL_FREE_CARD);  // earlier start first
}

TEST_P(RegistryApiTest, EndedCourseIsReadOnly) {
  MakeConsultant("Kim");
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(60));
  // Recorded while the course runs, retried after it ended (below).
  rv1::CreateJobConversationRequest recorded;
  recorded.set_parent(e.name());
  recorded.set_request_id("conversation-before-the-end");
  recorded.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
  recorded.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_PHONE);
  *recorded.mutable_job_conversation()->mutable_date() = ToProtoDate(DaysAgo(50));
  rv1::JobConversation first;
  ASSERT_TRUE(stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), recorded, &first).ok());
  rv1::EndEnrollmentRequest end;
  end.set_name(e.name());
  *end.mutable_end_date() = ToProtoDate(DaysAgo(1));
  end.set_outcome(rv1::COURSE_OUTCOME_ENDED_EARLY);
  rv1::Enrollment out;
  auto s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"end_reason"});
  end.set_outcome(rv1::COURSE_OUTCOME_ORDINARY_JOB);
  s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.state(), rv1::ENROLLMENT_STATE_ENDED);
  EXPECT_EQ(out.outcome(), rv1::COURSE_OUTCOME_ORDINARY_JOB);

  rv1::CreateJobConversationRequest conv;
  conv.set_parent(e.name());
  conv.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
  conv.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_PHONE);
  *conv.mutable_job_conversation()->mutable_date() = ToProtoDate(DaysAgo(2));
  rv1::JobConversation jc;
  EXPECT_EQ(stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), conv, &jc).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // A retry of what was recorded before the end returns it (idempotency
  // outlives the course), and records nothing new.
  ASSERT_TRUE(stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), recorded, &jc).ok());
  EXPECT_EQ(jc.name(), first.name());
  EXPECT_EQ(stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // The citizen can start a new course.
  rv1::GetCitizenRequest get;
  get.set_name(e.name().substr(0, e.name().find("/enrollments")));
  rv1::Citizen c;
  ASSERT_TRUE(stub_->GetCitizen(Ctx(ConsultantToken()).get(), get, &c).ok());
  EXPECT_TRUE(c.active_enrollment().empty());
  auto again = Enroll(c, DaysAgo(0));
  EXPECT_NE(again.name(), e.name());
}

// A contact activity keeps where it was held, publishes it, and keeps it:
// the place cannot be changed afterwards.
TEST_P(RegistryApiTest, AContactActivityKeepsWhereItWasHeld) {
  MakeConsultant("Kim");
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(60));
  rv1::CreateActivityRequest req;
  req.set_parent(e.name());
  req.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_FOLLOW_ALONG);
  *req.mutable_activity()->mutable_start_date() = ToProtoDate(DaysAgo(3));
  req.mutable_activity()->set_place(static_cast<rv1::ConversationPlace>(42));
  rv1::Activity made;
  auto s = stub_->CreateActivity(Ctx(ConsultantToken()).get(), req, &made);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"activity.place"});
  req.mutable_activity()->set_place(rv1::CONVERSATION_PLACE_COMMUNITY);
  ASSERT_TRUE(stub_->CreateActivity(Ctx(ConsultantToken()).get(), req, &made).ok());
  EXPECT_EQ(made.place(), rv1::CONVERSATION_PLACE_COMMUNITY);
  rv1::ListActivitiesRequest list;
  list.set_parent(e.name());
  rv1::ListActivitiesResponse listed;
  ASSERT_TRUE(stub_->ListActivities(Ctx(ConsultantToken()).get(), list, &listed).ok());
  ASSERT_EQ(listed.activities_size(), 1);
  EXPECT_EQ(listed.activities(0).place(), rv1::CONVERSATION_PLACE_COMMUNITY);
  rv1::UpdateActivityRequest update;
  *update.mutable_activity() = made;
  update.mutable_activity()->set_place(rv1::CONVERSATION_PLACE_PHONE);
  update.mutable_update_mask()->add_paths("place");
  rv1::Activity updated;
  EXPECT_EQ(stub_->UpdateActivity(Ctx(ConsultantToken()).get(), update, &updated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto events = server_->core().outbox().ReadAfter(0, 100);
  ASSERT_TRUE(events.ok());
  int recorded = 0;
  for (const auto& ev : *events) {
    rv1::ActivityRecorded a;
    if (!ev.payload().UnpackTo(&a)) continue;
    ++recorded;
    EXPECT_EQ(a.kind(), rv1::ACTIVITY_KIND_FOLLOW_ALONG);
    EXPECT_EQ(a.place(), rv1::CONVERSATION_PLACE_COMMUNITY);
  }
  EXPECT_EQ(recorded, 1);
}

// A course that ends because the citizen could not be reached says so
// (the fidelity review's item 25), and only an early end can.
TEST_P(RegistryApiTest, ACourseEndedForLostContactSaysSoAndOnlyAnEarlyEndCan) {
  MakeConsultant("Kim");
  auto e = Enroll(MakeCitizen(CprFor(1980, 1, 1, 1)), DaysAgo(60));
  rv1::EndEnrollmentRequest end;
  end.set_name(e.name());
  *end.mutable_end_date() = ToProtoDate(DaysAgo(1));
  end.set_outcome(rv1::COURSE_OUTCOME_OTHER_OFFER);
  end.set_lost_contact(true);
  rv1::Enrollment out;
  auto s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"lost_contact"});
  EXPECT_NE(s.error_message().find("only with COURSE_OUTCOME_ENDED_EARLY"), std::string::npos);
  long long before = 0;
  for (auto page = server_->core().outbox().ReadAfter(0, 1000); page.ok() && !page->empty();
       page = server_->core().outbox().ReadAfter(before, 1000)) {
    before = page->back().sequence();
  }
  end.set_outcome(rv1::COURSE_OUTCOME_ENDED_EARLY);
  end.set_end_reason("No answer to calls, letters or a home visit since the summer");
  s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(out.lost_contact());
  rv1::GetEnrollmentRequest get;
  get.set_name(e.name());
  rv1::Enrollment read;
  ASSERT_TRUE(stub_->GetEnrollment(Ctx(ConsultantToken()).get(), get, &read).ok());
  EXPECT_TRUE(read.lost_contact());
  // Published without the reason's text.
  auto events = server_->core().outbox().ReadAfter(before, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  rv1::EnrollmentEnded ended;
  ASSERT_TRUE(events->front().payload().UnpackTo(&ended));
  EXPECT_TRUE(ended.lost_contact());
  EXPECT_EQ(events->front().SerializeAsString().find("home visit"), std::string::npos);
}

TEST_P(RegistryApiTest, ConsentsHaveStateAndCanBeWithdrawn) {
  auto c = MakeCitizen(CprFor(1980, 1, 1, 1));
  rv1::CreateConsentRequest req;
  req.set_parent(c.name());
  req.mutable_consent()->set_scope(rv1::CONSENT_SCOPE_COORDINATION);
  *req.mutable_consent()->mutable_given_date() = ToProtoDate(DaysAgo(10));
  *req.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysAgo(-355));
  rv1::Consent consent;
  ASSERT_TRUE(stub_->CreateConsent(Ctx(ConsultantToken()).get(), req, &consent).ok());
  EXPECT_EQ(consent.state(), rv1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(consent.recorded_by(), "consultant-anna");
  *req.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysAgo(1));
  rv1::Consent expired;
  ASSERT_TRUE(stub_->CreateConsent(Ctx(ConsultantToken()).get(), req, &expired).ok());
  EXPECT_EQ(expired.state(), rv1::CONSENT_STATE_EXPIRED);

  rv1::WithdrawConsentRequest w;
  w.set_name(consent.name());
  *w.mutable_withdrawn_date() = ToProtoDate(DaysAgo(0));
  w.set_etag(consent.etag());
  rv1::Consent withdrawn;
  ASSERT_TRUE(stub_->WithdrawConsent(Ctx(ConsultantToken()).get(), w, &withdrawn).ok());
  EXPECT_EQ(withdrawn.state(), rv1::CONSENT_STATE_WITHDRAWN);
  w.set_etag(withdrawn.etag());
  EXPECT_EQ(stub_->WithdrawConsent(Ctx(ConsultantToken()).get(), w, &withdrawn).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  rv1::ListConsentsRequest list;
  list.set_parent(c.name());
  rv1::ListConsentsResponse resp;
  ASSERT_TRUE(stub_->ListConsents(Ctx(ConsultantToken()).get(), list, &resp).ok());
  EXPECT_EQ(resp.consents_size(), 2);
}

TEST_P(RegistryApiTest, ConsultantsWorkWithTheirOwnCaseload) {
  auto kim = MakeConsultant("Kim");  // ConsultantToken() logs in as Kim
  auto lis = MakeConsultant("Lis");
  auto a = MakeCitizen(CprFor(1980, 1, 1, 1));
  auto b = MakeCitizen(CprFor(1980, 1, 2, 2));
  auto c = MakeCitizen(CprFor(1980, 1, 3, 3));
  auto on_lis = Enroll(a, DaysAgo(5), lis.name());
  Enroll(b, DaysAgo(5), kim.name());
  const std::string anna = ConsultantToken();

  rv1::GetCitizenRequest get;
  rv1::Citizen out;
  get.set_name(a.name());
  auto denied = stub_->GetCitizen(Ctx(anna).get(), get, &out);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(denied), "NOT_ON_CASELOAD");
  EXPECT_TRUE(
      stub_->GetCitizen(Ctx(Token("consultant-Lis", "BIF", {"ips_consultant"})).get(), get, &out).ok());
  for (const auto& mine : {b, c}) {
    get.set_name(mine.name());
    EXPECT_TRUE(stub_->GetCitizen(Ctx(anna).get(), get, &out).ok()) << "own caseload and unenrolled citizens";
  }
  rv1::LookupCitizenRequest lookup;
  lookup.set_cpr(a.cpr());
  EXPECT_EQ(stub_->LookupCitizen(Ctx(anna).get(), lookup, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  auto names = [&](const std::string& token) {
    rv1::ListCitizensRequest req;
    rv1::ListCitizensResponse resp;
    EXPECT_TRUE(stub_->ListCitizens(Ctx(token).get(), req, &resp).ok());
    std::set<std::string> out;
    for (const auto& x : resp.citizens()) out.insert(x.name());
    return out;
  };
  EXPECT_EQ(names(anna), (std::set<std::string>{b.name(), c.name()}));
  EXPECT_EQ(names(TeamLeadToken()), (std::set<std::string>{a.name(), b.name(), c.name()}));
  EXPECT_EQ(names(Token("consultant-nobody", "BIF", {"ips_consultant"})), std::set<std::string>{c.name()});

  rv1::ListEnrollmentsRequest all;
  all.set_parent("citizens/-");
  rv1::ListEnrollmentsResponse enrollments;
  ASSERT_TRUE(stub_->ListEnrollments(Ctx(anna).get(), all, &enrollments).ok());
  ASSERT_EQ(enrollments.enrollments_size(), 1);
  EXPECT_EQ(enrollments.enrollments(0).consultant(), kim.name());

  rv1::CreateJobConversationRequest conv;
  conv.set_parent(on_lis.name());
  conv.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
  conv.mutable_job_conversation()->set_place(rv1::CONVERSATION_PLACE_PHONE);
  *conv.mutable_job_conversation()->mutable_date() = ToProtoDate(DaysAgo(1));
  rv1::JobConversation jc;
  EXPECT_EQ(stub_->CreateJobConversation(Ctx(anna).get(), conv, &jc).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  rv1::ListJobConversationsRequest list;
  list.set_parent(on_lis.name());
  rv1::ListJobConversationsResponse convs;
  ASSERT_TRUE(stub_->ListJobConversations(Ctx(TeamLeadToken()).get(), list, &convs).ok());
  EXPECT_EQ(convs.job_conversations_size(), 0) << "the refused write left nothing";

  // A login belongs to one consultant.
  rv1::CreateConsultantRequest twin;
  twin.mutable_consultant()->set_display_name("Twin");
  twin.mutable_consultant()->set_subject("consultant-anna");
  rv1::Consultant k;
  EXPECT_EQ(stub_->CreateConsultant(Ctx(TeamLeadToken()).get(), twin, &k).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_P(RegistryApiTest, EventsArePseudonymisedAndInOrder) {
  auto k = MakeConsultant("Kim");
  auto c = MakeCitizen("0101801234");
  auto enrollment = Enroll(c, DaysAgo(5), k.name());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  common::v1::StreamEventsRequest req;
  auto feed = server_->Stub("reporting");
  auto reader = feed->StreamEvents(&ctx, req);
  std::vector<common::v1::Event> events;
  common::v1::Event e;
  while (events.size() < 3 && reader->Read(&e)) events.push_back(e);
  ctx.TryCancel();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type(), "ips.registry.v1.ConsultantChanged");
  EXPECT_EQ(events[1].type(), "ips.registry.v1.CitizenRegistered");
  EXPECT_EQ(events[2].type(), "ips.registry.v1.EnrollmentStarted");
  const std::string citizen_id = c.name().substr(9);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), static_cast<int64_t>(i + 1));
    std::string bytes = events[i].SerializeAsString();
    EXPECT_EQ(bytes.find("0101801234"), std::string::npos);
    EXPECT_EQ(bytes.find(citizen_id), std::string::npos);
    // Record and staff ids go out as their pseudonyms only.
    EXPECT_EQ(bytes.find(LastSegment(k.name())), std::string::npos);
    EXPECT_EQ(bytes.find(LastSegment(enrollment.name())), std::string::npos);
  }
  EXPECT_EQ(events[1].subject_pseudonym().size(), 64u);
  EXPECT_EQ(events[1].subject_pseudonym(), events[2].subject_pseudonym());
  rv1::EnrollmentStarted started;
  ASSERT_TRUE(events[2].payload().UnpackTo(&started));
  EXPECT_EQ(started.age_band(), "40-49");
  EXPECT_EQ(started.conversation_due_dates_size(), 7);  // CONTACT-2026-07's plan
  EXPECT_EQ(started.rules_version(), "CONTACT-2026-07");
  EXPECT_EQ(started.enrollment_id().size(), 64u);
  rv1::ConsultantChanged made;
  ASSERT_TRUE(events[0].payload().UnpackTo(&made));
  // One consultant, one pseudonym, in every event that names them.
  EXPECT_EQ(made.consultant_id(), started.consultant_id());
  EXPECT_EQ(made.consultant_id().size(), 64u);
}

IPS_ON_BOTH_DATABASES(RegistryApiTest);

}  // namespace
}  // namespace ips::testing
