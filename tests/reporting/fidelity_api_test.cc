// GetFidelityReview through the gRPC API on SQLite and PostgreSQL, behind a
// real registry and matching service: a hand-made programme whose review is
// computed by hand below, small-cell suppression at the default threshold,
// no citizen id or CPR number in the answer, and bad input refused by field.
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
  // Two jobs in the period: an ordinary job (competitive) and an
  // internship (not).
  Place(citizens[0], mv1::OPENING_KIND_ORDINARY_JOB, start + 20);
  Place(citizens[1], mv1::OPENING_KIND_COMPANY_INTERNSHIP, start + 40);
  // One course ends after 100 days.
  rv1::EndEnrollmentRequest end;
  end.set_name(courses[2].name());
  *end.mutable_end_date() = ToProtoDate(start + 100);
  end.set_outcome(rv1::COURSE_OUTCOME_EDUCATION);
  rv1::Enrollment ended;
  ASSERT_TRUE(stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &ended).ok());

  pv1::GetFidelityReviewRequest req;
  *req.mutable_period_start() = ToProtoDate(start);
  *req.mutable_period_end() = ToProtoDate(today);
  for (int item : {2, 5, 6, 7, 8, 10, 11, 14, 16, 18, 22}) (*req.mutable_reviewer_scores())[item] = 4;

  reporting::ReportConfig config;
  config.suppression_threshold = 1;  // every figure shown: they are checked here
  ReportingServer shown(NewReportingDb(), Feeds(), config);
  ASSERT_TRUE(CaughtUp(shown));
  grpc::Status status;
  const pv1::FidelityReview r = Review(shown, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(r.items_size(), 25);
  // Item 1: anna carries five courses all 401 days and one for 101:
  // (5 * 401 + 101) / 401 = 5.25 courses, 20 or fewer scores 5.
  const auto& caseload = r.items(0);
  EXPECT_EQ(caseload.title(), "Caseload size");
  EXPECT_EQ(caseload.rating(), pv1::FIDELITY_RATING_FROM_DATA);
  EXPECT_EQ(caseload.value(), "5.3 courses");
  EXPECT_NEAR(caseload.value_number(), (5 * 401 + 101) / 401.0, 1e-9);
  EXPECT_EQ(caseload.score(), 5);
  EXPECT_EQ(caseload.citizens(), 6);
  EXPECT_EQ(caseload.anchors().source(), "scale, checked");
  ASSERT_EQ(caseload.anchors().bounds_size(), 4);
  EXPECT_EQ(caseload.anchors().bounds(3), 20);
  ASSERT_EQ(caseload.consultants_size(), 1);
  EXPECT_EQ(caseload.consultants(0).score(), 5);
  // Item 21: 1 of the 2 jobs competitive = 50%, under 65% scores 1.
  const auto& competitive = r.items(20);
  EXPECT_EQ(competitive.value(), "1 of 2 = 50%");
  EXPECT_EQ(competitive.score(), 1);
  EXPECT_EQ(competitive.citizens(), 2);
  // The reviewers' items carry their scores; the items whose facts the
  // feeds do not carry yet say so and have none.
  EXPECT_EQ(r.items(1).rating(), pv1::FIDELITY_RATING_BY_REVIEWERS);
  EXPECT_EQ(r.items(1).score(), 4);
  EXPECT_EQ(r.items(2).rating(), pv1::FIDELITY_RATING_NOT_YET_FED);
  EXPECT_EQ(r.items(2).score(), 0);
  EXPECT_FALSE(r.items(2).anchors().reference().empty());
  EXPECT_EQ(r.items_scored(), 13);
  EXPECT_EQ(r.scored_total(), 5 + 1 + 11 * 4);
  EXPECT_EQ(r.total(), 0);  // incomplete: no total, no band
  EXPECT_EQ(r.band(), "");
  ASSERT_EQ(r.feeds_size(), 3);

  // At the default threshold of 5 the two jobs' figure and score are
  // withheld; the caseload, over six citizens, stands.
  ReportingServer suppressed(NewReportingDb(), Feeds());
  ASSERT_TRUE(CaughtUp(suppressed));
  const pv1::FidelityReview s = Review(suppressed, req, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(s.items(20).value(), "<5 citizens");
  EXPECT_TRUE(s.items(20).suppressed());
  EXPECT_EQ(s.items(20).score(), 0);
  EXPECT_EQ(s.items(20).citizens(), 0);
  EXPECT_EQ(s.items(20).consultants(0).value(), "<5 citizens");
  EXPECT_EQ(s.items(0).score(), 5);
  EXPECT_EQ(s.items_scored(), 12);

  // No citizen id or CPR number in either answer.
  const std::string answer = r.SerializeAsString() + s.SerializeAsString();
  for (const auto& c : citizens) {
    EXPECT_EQ(answer.find(c.name().substr(c.name().find('/') + 1)), std::string::npos);
    EXPECT_EQ(answer.find(c.cpr()), std::string::npos);
  }
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
