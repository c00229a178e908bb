// GetFidelityReview through the gRPC API on SQLite and PostgreSQL, behind a
// real registry and matching service: a hand-made programme whose review is
// computed by hand below, small-cell suppression at the default threshold,
// no citizen id or CPR number in the answer, and bad input refused by field.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "tests/reporting/reporting_fixture.h"

namespace ips::testing {
namespace {

class FidelityApiTest : public ReportingApiTest {
 protected:
  pv1::FidelityReview Review(ReportingServer& r, const pv1::GetFidelityReviewRequest& req,
                             grpc::Status* status) {
    pv1::FidelityReview out;
    *status = r.Stub()->GetFidelityReview(Ctx(Token("analyst-ida", "JOINT", {"analyst"})).get(), req, &out);
    return out;
  }
};

TEST_P(FidelityApiTest, AHandMadeProgrammeScoredByHand) {
  const absl::CivilDay today = TodayInCopenhagen(), start = today - 400;
  std::vector<rv1::Citizen> citizens;
  std::vector<rv1::Enrollment> courses;
  for (int i = 0; i < 6; ++i) {
    citizens.push_back(MakeCitizen(CprFor(1971 + i, 5, 6, i + 1)));
    courses.push_back(Enroll(citizens.back(), start, anna_));
  }
  // Three jobs in the period, all with the one employer: two ordinary jobs
  // (competitive; the one on course 3 placed by anna before ben took the
  // course over) and an internship that continues as a wage subsidy job
  // (one job, not competitive).
  Place(citizens[0], mv1::OPENING_KIND_ORDINARY_JOB, start + 20);
  Place(citizens[3], mv1::OPENING_KIND_ORDINARY_JOB, start + 30);
  const mv1::Placement internship = Place(citizens[1], mv1::OPENING_KIND_COMPANY_INTERNSHIP, start + 40);
  mv1::ConvertPlacementRequest convert;
  convert.set_name(internship.name());
  convert.set_kind(mv1::OPENING_KIND_WAGE_SUBSIDY_JOB);
  *convert.mutable_start_date() = ToProtoDate(start + 60);
  convert.set_hours_per_week(25);
  mv1::Placement continued;
  auto converted = m_->ConvertPlacement(Ctx(ConsultantToken()).get(), convert, &continued);
  ASSERT_TRUE(converted.ok()) << converted.error_message();
  // Anna's employer contacts on the citizens' behalf (while she carries
  // their courses): visits (face to face) but for one telephone call, and
  // a visit about the employer in general (on nobody's behalf).
  EmployerContact(citizens[0].name(), anna_, mv1::CONTACT_CHANNEL_VISIT, start + 2);
  EmployerContact(citizens[0].name(), anna_, mv1::CONTACT_CHANNEL_VISIT, start + 9);
  EmployerContact(citizens[1].name(), anna_, mv1::CONTACT_CHANNEL_PHONE, start + 5);
  EmployerContact(citizens[1].name(), anna_, mv1::CONTACT_CHANNEL_VISIT, start + 45);
  EmployerContact(citizens[3].name(), anna_, mv1::CONTACT_CHANNEL_VISIT, start + 6);
  EmployerContact(citizens[4].name(), anna_, mv1::CONTACT_CHANNEL_VISIT, start + 12);
  EmployerContact("", anna_, mv1::CONTACT_CHANNEL_VISIT, start + 4);
  // Benefits counselling before course 0's job; disclosure before course
  // 1's (the wage subsidy job its internship became) and after course 3's
  // job began. Outreach 5 days after course 5's no-show, and 20 days after
  // a no-show on course 4 (too late to count).
  Activity(courses[0], rv1::ACTIVITY_KIND_BENEFITS_COUNSELLING, start + 15);
  Activity(courses[1], rv1::ACTIVITY_KIND_DISCLOSURE, start + 10);
  Activity(courses[3], rv1::ACTIVITY_KIND_DISCLOSURE, start + 35);
  Activity(courses[5], rv1::ACTIVITY_KIND_OUTREACH, start + 8);
  Conversation(courses[4], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 20);
  Activity(courses[4], rv1::ACTIVITY_KIND_OUTREACH, start + 40);
  // Follow-along after course 0's job began (day 20) in each of its first
  // four 30-day windows (two out in the community, one by phone, one with
  // no place recorded); after course 3's (day 30) only in the first.
  Activity(courses[0], rv1::ACTIVITY_KIND_FOLLOW_ALONG, start + 25, rv1::CONVERSATION_PLACE_COMMUNITY);
  Activity(courses[0], rv1::ACTIVITY_KIND_FOLLOW_ALONG, start + 55, rv1::CONVERSATION_PLACE_COMMUNITY);
  Activity(courses[0], rv1::ACTIVITY_KIND_FOLLOW_ALONG, start + 85, rv1::CONVERSATION_PLACE_PHONE);
  Activity(courses[0], rv1::ACTIVITY_KIND_FOLLOW_ALONG, start + 115);
  Activity(courses[3], rv1::ACTIVITY_KIND_FOLLOW_ALONG, start + 31);
  // One course ends after 100 days.
  rv1::EndEnrollmentRequest end;
  end.set_name(courses[2].name());
  *end.mutable_end_date() = ToProtoDate(start + 100);
  end.set_outcome(rv1::COURSE_OUTCOME_EDUCATION);
  rv1::Enrollment ended;
  ASSERT_TRUE(stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &ended).ok());
  // One course moves to ben today.
  const std::string ben = MakeConsultant("ben", 100).name();
  rv1::AssignConsultantRequest move;
  move.set_name(courses[3].name());
  move.set_consultant(ben);
  rv1::Enrollment moved;
  auto assigned = stub_->AssignConsultant(Ctx(TeamLeadToken()).get(), move, &moved);
  ASSERT_TRUE(assigned.ok()) << assigned.error_message();
  // Four job conversations held, two of them out in the community, and a
  // no-show (not a contact).
  Conversation(courses[0], rv1::JOB_CONVERSATION_STATUS_HELD, start + 3, rv1::CONVERSATION_PLACE_COMMUNITY);
  Conversation(courses[0], rv1::JOB_CONVERSATION_STATUS_HELD, start + 10);
  Conversation(courses[1], rv1::JOB_CONVERSATION_STATUS_HELD, start + 5, rv1::CONVERSATION_PLACE_COMMUNITY);
  Conversation(courses[4], rv1::JOB_CONVERSATION_STATUS_HELD, start + 7, rv1::CONVERSATION_PLACE_PHONE);
  Conversation(courses[5], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 3);
  // SOF's coordination notes on courses 0 and 2, and one on citizen 5
  // before their course began (no course to count it for).
  CoordinationNote(citizens[0], start + 30);
  CoordinationNote(citizens[2], start + 50);
  CoordinationNote(citizens[5], start - 5);
  // Three refused at entry today: too young and outside the districts (the
  // target group) and five years out of work (an exclusion).
  for (int n = 0; n < 3; ++n) {
    auto refused = MakeCitizen(n == 0 ? CprFor(2001, 2, 3, 900) : CprFor(1970, 2, 3 + n, 900 + n),
                               n == 1 ? rv1::DISTRICT_OUTSIDE_COPENHAGEN : rv1::DISTRICT_SYDHAVNEN);
    auto req = EnrollRequest(refused, today);
    if (n == 2) req.mutable_enrollment()->mutable_assessment()->set_unemployment_months(70);
    rv1::Enrollment out;
    EXPECT_EQ(stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), req, &out).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  // Ben, who has course 3 now, visits an employer on its behalf today.
  EmployerContact(citizens[3].name(), ben, mv1::CONTACT_CHANNEL_VISIT, today, TeamLeadToken());

  pv1::GetFidelityReviewRequest req;
  *req.mutable_period_start() = ToProtoDate(start);
  *req.mutable_period_end() = ToProtoDate(today);
  for (int item : {2, 5, 6, 7, 8, 10, 11, 14, 16, 18, 22}) (*req.mutable_reviewer_scores())[item] = 4;

  reporting::ReportConfig config;
  config.suppression_threshold = 1;  // every figure shown: they are checked here
  const std::string db = NewReportingDb();
  auto shown = std::make_unique<ReportingServer>(db, Feeds(), config);
  ASSERT_TRUE(CaughtUp(*shown));
  grpc::Status status;
  const pv1::FidelityReview r = Review(*shown, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Read back from its database after a restart, the facts give the same
  // review: reassignments and places are stored, not only in memory.
  shown.reset();
  ReportingServer restarted(db, Feeds(), config);
  ASSERT_TRUE(CaughtUp(restarted));
  const pv1::FidelityReview again = Review(restarted, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(again.items_size(), r.items_size());
  for (int i = 0; i < r.items_size(); ++i) {
    EXPECT_EQ(again.items(i).SerializeAsString(), r.items(i).SerializeAsString()) << "item " << i + 1;
  }
  ASSERT_EQ(r.items_size(), 25);
  // Item 1: anna carries four courses all 401 days, one for 400 (ben has it
  // today) and one for 101; ben one for a day. Course-days over
  // consultant-days: (4 * 401 + 400 + 101 + 1) / (401 + 1) = 5.24 courses,
  // 20 or fewer scores 5.
  const auto& caseload = r.items(0);
  EXPECT_EQ(caseload.title(), "Caseload size");
  EXPECT_EQ(caseload.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(caseload.value(), "5.2 courses");
  EXPECT_NEAR(caseload.value_number(), (4 * 401 + 400 + 101 + 1) / 402.0, 1e-9);
  EXPECT_EQ(caseload.score(), 5);
  EXPECT_EQ(caseload.citizens(), 6);
  EXPECT_EQ(caseload.anchors().source(), "scale, checked");
  ASSERT_EQ(caseload.anchors().bounds_size(), 4);
  EXPECT_EQ(caseload.anchors().bounds(3), 20);
  ASSERT_EQ(caseload.consultants_size(), 2);
  for (const auto& c : caseload.consultants()) EXPECT_EQ(c.score(), 5);
  // Item 3: 5 of the 6 courses kept one consultant: 83%, 80% or more scores
  // 4 on the configured anchors. The moved course is ben's, as he carries it
  // at the period's end.
  const auto& generalist = r.items(2);
  EXPECT_EQ(generalist.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(generalist.value(), "5 of 6 = 83%");
  EXPECT_EQ(generalist.score(), 4);
  ASSERT_EQ(generalist.consultants_size(), 2);
  // Items 19 and 20: one job type (the employer's industry) and one
  // employer for the 3 jobs = 33%, under 50% scores 1.
  EXPECT_EQ(r.items(18).rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(r.items(18).value(), "1 of 3 = 33%");
  EXPECT_EQ(r.items(18).score(), 1);
  EXPECT_EQ(r.items(19).value(), "1 of 3 = 33%");
  EXPECT_EQ(r.items(19).score(), 1);
  // Item 24: 2 of the 4 held conversations in the community, and 2 of the
  // 3 follow-along contacts with a place (the one without is not counted):
  // 4 of 7 = 57%, which scores 4 (50-64%).
  const auto& community = r.items(23);
  EXPECT_EQ(community.value(), "4 of 7 = 57%");
  EXPECT_EQ(community.score(), 4);
  EXPECT_EQ(community.citizens(), 3);
  // Item 21: 2 of the 3 jobs competitive = 67%, 65% or more scores 2; all
  // three are anna's, who placed them (ben has none).
  const auto& competitive = r.items(20);
  EXPECT_EQ(competitive.value(), "2 of 3 = 67%");
  EXPECT_EQ(competitive.score(), 2);
  EXPECT_EQ(competitive.citizens(), 3);
  ASSERT_EQ(competitive.consultants_size(), 1);
  EXPECT_EQ(competitive.consultants(0).value(), "2 of 3 = 67%");
  // Item 15: days to each course's first face-to-face contact on its
  // behalf: 2, 45 (the call does not count), 6, 12; course 2 had none in
  // its 100 days, course 5 none in 400 (both past the 30 days allowed).
  // (2 + 45 + 100 + 6 + 12 + 400) / 6 = 94 days, 61-150 scores 3.
  const auto& rapid = r.items(14);
  EXPECT_EQ(rapid.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(rapid.value(), "94 days");
  EXPECT_NEAR(rapid.value_number(), 565.0 / 6, 1e-9);
  EXPECT_EQ(rapid.score(), 3);
  EXPECT_EQ(rapid.citizens(), 6);
  // Item 17: anna's 5 visits on a citizen's behalf in 401 days and ben's
  // one, per consultant per week, averaged: (5 + 1) * 7 / 401 / 2 = 0.05,
  // under 2 scores 1; over 4 citizens.
  const auto& development = r.items(16);
  EXPECT_EQ(development.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_NEAR(development.value_number(), (5 + 1) * 7.0 / 401 / 2, 1e-9);
  EXPECT_EQ(development.value(), "0.1 a week");
  EXPECT_EQ(development.score(), 1);
  EXPECT_EQ(development.citizens(), 4);
  ASSERT_EQ(development.consultants_size(), 2);
  // Item 9: 9 entry decisions in the period (6 enrolments, 3 refusals), 1
  // an exclusion: 11%, 20% or less scores 3.
  const auto& exclusion = r.items(8);
  EXPECT_EQ(exclusion.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(exclusion.value(), "1 of 9 = 11%");
  EXPECT_EQ(exclusion.score(), 3);
  EXPECT_EQ(exclusion.consultants_size(), 0);  // the programme's, not a consultant's
  // Item 4: 2 of the 6 courses coordinated with SOF in the period = 33%,
  // 25% or more scores 2; the note from before any course counts for none.
  const auto& integration = r.items(3);
  EXPECT_EQ(integration.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(integration.value(), "2 of 6 = 33%");
  EXPECT_EQ(integration.score(), 2);
  // Items 12 and 13: benefits counselling before 1 of the 3 jobs, and a
  // disclosure conversation before 1 (the other came after its job began):
  // 33%, 25% or more scores 2.
  EXPECT_EQ(r.items(11).rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(r.items(11).value(), "1 of 3 = 33%");
  EXPECT_EQ(r.items(11).score(), 2);
  EXPECT_EQ(r.items(12).value(), "1 of 3 = 33%");
  EXPECT_EQ(r.items(12).score(), 2);
  // Item 23: 1 of the 3 jobs followed along in every window = 33%, 25% or
  // more scores 2.
  EXPECT_EQ(r.items(22).rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(r.items(22).value(), "1 of 3 = 33%");
  EXPECT_EQ(r.items(22).score(), 2);
  // Item 25: the one ended course was not closed for lost contact (1 of 1),
  // and 1 of the 2 no-shows was followed by outreach within 14 days: the
  // lesser, 50%, scores 2; over courses 2, 4 and 5.
  const auto& engagement = r.items(24);
  EXPECT_EQ(engagement.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(engagement.value(), "1 of 2 = 50%");
  EXPECT_EQ(engagement.score(), 2);
  EXPECT_EQ(engagement.citizens(), 3);
  // The reviewers' items carry their scores; the items whose facts the
  // feeds do not carry yet say so and have none.
  EXPECT_EQ(r.items(1).rating(), pv1::FIDELITY_RATING_BY_REVIEWERS);
  EXPECT_EQ(r.items(1).score(), 4);
  for (const auto& item : r.items())
    EXPECT_NE(item.rating(), pv1::FIDELITY_RATING_NOT_YET_FED) << item.number();
  // Every item has a score: the total and its band.
  EXPECT_EQ(r.items_scored(), 25);
  const int total = 5 + 4 + 2 + 3 + 2 + 2 + 3 + 1 + 1 + 1 + 2 + 2 + 4 + 2 + 11 * 4;
  EXPECT_EQ(r.scored_total(), total);
  EXPECT_EQ(r.total(), total);
  EXPECT_EQ(r.band(), "fair");
  ASSERT_EQ(r.feeds_size(), 3);

  // At the default threshold of 5 the three jobs' and the three citizens'
  // conversations' figures and scores are withheld; 5 of 6 is suppressed as
  // a share (its 1 would show) and its score with it, which would say 5 of
  // 6; the caseload, over six citizens, stands.
  ReportingServer suppressed(NewReportingDb(), Feeds());
  ASSERT_TRUE(CaughtUp(suppressed));
  const pv1::FidelityReview s = Review(suppressed, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(s.items(20).value(), "<5 citizens");
  EXPECT_TRUE(s.items(20).suppressed());
  EXPECT_EQ(s.items(20).score(), 0);
  EXPECT_EQ(s.items(20).citizens(), 0);
  EXPECT_EQ(s.items(20).consultants(0).value(), "<5 citizens");
  EXPECT_EQ(s.items(23).value(), "<5 citizens");
  EXPECT_EQ(s.items(23).score(), 0);
  EXPECT_EQ(s.items(2).value(), "suppressed of 6");
  EXPECT_EQ(s.items(2).score(), 0);
  EXPECT_EQ(s.items(0).score(), 5);
  EXPECT_EQ(s.items(14).score(), 3);  // over six courses
  EXPECT_EQ(s.items(16).value(), "<5 citizens");
  EXPECT_EQ(s.items(16).score(), 0);
  for (int item : {12, 13, 23, 25}) EXPECT_EQ(s.items(item - 1).value(), "<5 citizens") << item;
  EXPECT_EQ(s.items(3).value(), "<5 of 6");
  EXPECT_EQ(s.items(3).score(), 0);
  EXPECT_EQ(s.items(8).value(), "<5 of 9");
  EXPECT_EQ(s.items(8).score(), 0);
  EXPECT_EQ(s.total(), 0);
  EXPECT_EQ(s.items_scored(), 13);

  // Over the first two weeks alone: item 15 judges the three courses with a
  // visit (2, 6 and 12 days; the others have not yet run 30 days) = 7 days,
  // which scores 5; item 17 anna's four visits in 14 days = 2.0 a week, the
  // bound for a 2 (ben carried no course then and made no contact).
  *req.mutable_period_end() = ToProtoDate(start + 13);
  const pv1::FidelityReview early = Review(restarted, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(early.items(14).value(), "7 days");
  EXPECT_EQ(early.items(14).score(), 5);
  EXPECT_EQ(early.items(16).value(), "2.0 a week");
  EXPECT_EQ(early.items(16).score(), 2);
  ASSERT_EQ(early.items(16).consultants_size(), 1);

  // No citizen id or CPR number in either answer, nor the industry's text
  // (reporting has only its pseudonym).
  const std::string answer = r.SerializeAsString() + s.SerializeAsString();
  EXPECT_EQ(answer.find("ood service"), std::string::npos);
  for (const auto& c : citizens) {
    EXPECT_EQ(answer.find(c.name().substr(c.name().find('/') + 1)), std::string::npos);
    EXPECT_EQ(answer.find(c.cpr()), std::string::npos);
  }
}

// Item 25 from the registry's facts: a course ended early for lost contact
// counts against the programme, as does a no-show without outreach within
// 14 days; outreach the same day counts.
TEST_P(FidelityApiTest, AssertiveEngagementCountsLostContactAndOutreachAfterNoShows) {
  const absl::CivilDay today = TodayInCopenhagen(), start = today - 120;
  std::vector<rv1::Enrollment> courses;
  for (int i = 0; i < 5; ++i) courses.push_back(Enroll(MakeCitizen(CprFor(1965 + i, 3, 4, 500 + i)), start));
  // Three no-shows: outreach the same day, 14 days after, and none.
  Conversation(courses[0], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 10);
  Activity(courses[0], rv1::ACTIVITY_KIND_OUTREACH, start + 10);
  Conversation(courses[1], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 10);
  Activity(courses[1], rv1::ACTIVITY_KIND_OUTREACH, start + 24);
  Conversation(courses[2], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 10);
  // Two courses end: one for lost contact, one with another offer.
  for (int i : {3, 4}) {
    rv1::EndEnrollmentRequest end;
    end.set_name(courses[static_cast<size_t>(i)].name());
    *end.mutable_end_date() = ToProtoDate(start + 60);
    end.set_outcome(i == 3 ? rv1::COURSE_OUTCOME_ENDED_EARLY : rv1::COURSE_OUTCOME_OTHER_OFFER);
    end.set_end_reason("Could not be reached");
    end.set_lost_contact(i == 3);
    rv1::Enrollment ended;
    auto s = stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &ended);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  reporting::ReportConfig config;
  config.suppression_threshold = 1;
  ReportingServer reporting(NewReportingDb(), Feeds(), config);
  ASSERT_TRUE(CaughtUp(reporting));
  pv1::GetFidelityReviewRequest req;
  grpc::Status status;
  const pv1::FidelityReview r = Review(reporting, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // Ended courses kept: 1 of 2 = 50%; no-shows reached: 2 of 3 = 67%. The
  // lesser, 50%, scores 2 (50-69%); over all five courses.
  const auto& engagement = r.items(24);
  EXPECT_EQ(engagement.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(engagement.value(), "1 of 2 = 50%");
  EXPECT_EQ(engagement.score(), 2);
  EXPECT_EQ(engagement.citizens(), 5);
  ASSERT_EQ(engagement.consultants_size(), 1);
  EXPECT_EQ(engagement.consultants(0).score(), 2);
}

TEST_P(FidelityApiTest, ExportsCsvAndAPageWithAChartOfItemScoresThatRendersInChromium) {
  const absl::CivilDay today = TodayInCopenhagen(), start = today - 200;
  std::vector<rv1::Enrollment> courses;
  for (int i = 0; i < 6; ++i) {
    auto c = MakeCitizen(CprFor(1968 + i, 7, 8, 300 + i));
    courses.push_back(Enroll(c, start, anna_));
    Conversation(courses.back(), rv1::JOB_CONVERSATION_STATUS_HELD, start + 3 + i,
                 i % 2 ? rv1::CONVERSATION_PLACE_COMMUNITY : rv1::CONVERSATION_PLACE_LOCAL_OFFICE);
  }
  reporting::ReportConfig config;
  config.suppression_threshold = 1;  // the figures are checked, not suppression (above)
  ReportingServer reporting(NewReportingDb(), Feeds(), config);
  ASSERT_TRUE(CaughtUp(reporting));
  auto stub = reporting.Stub();
  pv1::ExportFidelityReviewRequest req;
  (*req.mutable_reviewer_scores())[2] = 5;
  req.set_format(pv1::EXPORT_FORMAT_CSV);
  pv1::ExportedReport csv;
  auto s = stub->ExportFidelityReview(Ctx(TeamLeadToken()).get(), req, &csv);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.filename(), "ips-fidelity-" + FormatDay(today) + ".csv");
  EXPECT_EQ(csv.content().rfind("section,item,title,rating,score,value,anchor source\r\n", 0), 0u);
  // Six courses, one consultant for all: caseload 6.0 scores 5; three of six
  // conversations in the community is 50%, which scores 4.
  EXPECT_NE(csv.content().find("item,1,Caseload size,from the data,5,6.0 courses,\"scale, checked\"\r\n"),
            std::string::npos)
      << csv.content();
  EXPECT_NE(csv.content().find("item,24,Community-based services,from the data,4,3 of 6 = 50%,"),
            std::string::npos);
  EXPECT_NE(csv.content().find("item,2,Employment services staff,rated by the reviewers,5,,\r\n"),
            std::string::npos);
  EXPECT_NE(csv.content().find("item,9,Zero exclusion criteria,from the data,5,0 of 6 = 0%,"),
            std::string::npos)
      << csv.content();
  // ipsctl passes the reviewers' scores as ITEM=SCORE pairs.
  auto cli =
      RunIpsctl(reporting.port(), "report fidelity --reviewer-scores 2=5,5=3 --json", "analyst", "JOINT");
  ASSERT_EQ(cli.code, 0) << cli.out;
  pv1::FidelityReview from_cli;
  ASSERT_NE(cli.out.find('{'), std::string::npos) << cli.out;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(cli.out.substr(cli.out.find('{')), &from_cli).ok())
      << cli.out;
  ASSERT_EQ(from_cli.items_size(), 25);
  EXPECT_EQ(from_cli.items(1).rating(), pv1::FIDELITY_RATING_BY_REVIEWERS);
  EXPECT_EQ(from_cli.items(1).score(), 5);
  EXPECT_EQ(from_cli.items(4).score(), 3);
  auto bad = RunIpsctl(reporting.port(), "report fidelity --reviewer-scores 2=high", "analyst", "JOINT");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("key=value pairs of whole numbers"), std::string::npos) << bad.out;
  req.set_format(pv1::EXPORT_FORMAT_UNSPECIFIED);
  EXPECT_EQ(BadFields(stub->ExportFidelityReview(Ctx(TeamLeadToken()).get(), req, &csv)),
            std::vector<std::string>{"format"});

  req.set_format(pv1::EXPORT_FORMAT_HTML);
  pv1::ExportedReport html;
  ASSERT_TRUE(stub->ExportFidelityReview(Ctx(TeamLeadToken()).get(), req, &html).ok());
  EXPECT_EQ(html.filename(), "ips-fidelity-" + FormatDay(today) + ".html");
  if (!HaveChromium()) GTEST_SKIP() << "chromium is not installed";
  const Rendered page = RenderInChromium(html.content(), "fidelity-page");
  // One chart, a bar for each scored item (caseload, community-based
  // services, the reviewers' item 2; item 3 scores too: no reassignment;
  // items 15 and 17: no employer contact at all in 200 days; item 4: no
  // coordination on any course; item 9: no refusal), and the two tables.
  // The items without facts in the period (no job, no no-show) have no
  // score, and say why.
  EXPECT_EQ(CountOf(page.dom, "<svg class=\"chart\""), 1u);
  EXPECT_EQ(CountOf(page.dom, "<rect class=\"bar\""), 8u);
  EXPECT_EQ(CountOf(page.dom, "<table>"), 2u);
  EXPECT_EQ(page.dom.find("not yet in the feeds"), std::string::npos);
  ExpectRenderedCleanly(page);
}

TEST_P(FidelityApiTest, BadReviewerScoresAndPeriodsAreRefusedByField) {
  ReportingServer reporting(NewReportingDb(), Feeds());
  grpc::Status status;
  pv1::GetFidelityReviewRequest req;
  (*req.mutable_reviewer_scores())[1] = 3;   // caseload is the data's
  (*req.mutable_reviewer_scores())[2] = 9;   // outside 1..5
  (*req.mutable_reviewer_scores())[26] = 3;  // no such item
  Review(reporting, req, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(status),
            (std::vector<std::string>{"reviewer_scores[1]", "reviewer_scores[2]", "reviewer_scores[26]"}));
  EXPECT_NE(status.error_message().find("is scored from the data, not by the reviewers"), std::string::npos);

  pv1::GetFidelityReviewRequest period;
  *period.mutable_period_end() = ToProtoDate(TodayInCopenhagen());
  *period.mutable_period_start() = ToProtoDate(TodayInCopenhagen() + 1);
  Review(reporting, period, &status);
  EXPECT_EQ(BadFields(status), std::vector<std::string>{"period_start"});
}

IPS_ON_BOTH_DATABASES(FidelityApiTest);

}  // namespace
}  // namespace ips::testing
