// The reporting service through its gRPC API, following a real registry,
// matching and treatment service (in-process, each on its own database),
// on SQLite and PostgreSQL: the figures for a small hand-made programme,
// suppression at the default threshold, a restart mid-ingestion giving the
// same figures as an uninterrupted run, and no citizen id or CPR number in
// any response or stored row.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "services/reporting/fact_store.h"
#include "services/reporting/reporting_config.h"
#include "tests/reporting/reporting_fixture.h"
#include "tests/support/access_walk.h"
#include "tests/support/ipsctl_runner.h"
#include "tests/support/policy_coverage.h"

namespace ips::testing {
namespace {

TEST_P(ReportingApiTest, FiguresOfAHandMadeProgramme) {
  const absl::CivilDay today = TodayInCopenhagen(), start = today - 400;
  std::vector<rv1::Citizen> citizens;
  std::vector<rv1::Enrollment> courses;
  for (int i = 0; i < 6; ++i) {
    citizens.push_back(MakeCitizen(CprFor(1970 + i, 3, 4, i + 1)));
    courses.push_back(Enroll(citizens.back(), start, anna_));
  }
  // Two reach a job or education within a year: an ordinary job after 20
  // days, a course ended in education after 100. One has an internship
  // only, 40 days in.
  Place(citizens[0], mv1::OPENING_KIND_ORDINARY_JOB, start + 20);
  Place(citizens[1], mv1::OPENING_KIND_COMPANY_INTERNSHIP, start + 40);
  rv1::EndEnrollmentRequest end;
  end.set_name(courses[2].name());
  *end.mutable_end_date() = ToProtoDate(start + 100);
  end.set_outcome(rv1::COURSE_OUTCOME_EDUCATION);
  rv1::Enrollment ended;
  ASSERT_TRUE(stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &ended).ok());
  // Conversations: the first due within a week, held on day 3 for one,
  // a no-show for another.
  Conversation(courses[0], rv1::JOB_CONVERSATION_STATUS_HELD, start + 3);
  Conversation(courses[1], rv1::JOB_CONVERSATION_STATUS_NO_SHOW, start + 3);

  // Two employer contacts by the consultant in the period, one before it.
  for (int days_ago : {10, 40, 500}) {
    mv1::CreateEmployerContactRequest contact;
    contact.set_parent(employer_);
    contact.mutable_contact()->set_consultant(anna_);
    contact.mutable_contact()->set_channel(mv1::CONTACT_CHANNEL_VISIT);
    *contact.mutable_contact()->mutable_contact_date() = ToProtoDate(today - days_ago);
    contact.mutable_contact()->set_purpose(mv1::CONTACT_PURPOSE_FOLLOW_UP);
    contact.mutable_contact()->set_outcome(mv1::CONTACT_OUTCOME_INTERESTED);
    mv1::EmployerContact made;
    ASSERT_TRUE(m_->CreateEmployerContact(Ctx(ConsultantToken()).get(), contact, &made).ok());
  }
  reporting::ReportConfig config;
  config.suppression_threshold = 1;  // show every count: the figures are checked here
  ReportingServer reporting(NewReportingDb(), Feeds(), config);
  ASSERT_TRUE(CaughtUp(reporting));
  auto r = Report(reporting, today);
  EXPECT_EQ(KpiOf(r, "enrolled_total").value(), "6");
  EXPECT_EQ(KpiOf(r, "enrolled_active").value(), "5");
  EXPECT_EQ(KpiOf(r, "job_or_education_12m").value(), "2 of 6 = 33%");
  EXPECT_EQ(KpiOf(r, "job_or_education_12m").status(), pv1::TARGET_STATUS_MET);  // 15%
  EXPECT_EQ(KpiOf(r, "job_or_education_24m").value(), "0 of 0");                 // no window passed
  EXPECT_EQ(KpiOf(r, "job_or_education_now").value(), "1 of 5 = 20%");
  EXPECT_EQ(KpiOf(r, "days_to_first_placement").value(), "30 days (2 placed)");  // median of 20 and 40
  EXPECT_EQ(KpiOf(r, "days_to_first_placement").status(), pv1::TARGET_STATUS_MET);
  EXPECT_EQ(KpiOf(r, "placed_within_30_days").value(), "1 of 2 = 50%");
  EXPECT_EQ(KpiOf(r, "conversation_attendance").value(), "1 of 2 = 50%");
  ASSERT_EQ(r.consultants_size(), 1);
  EXPECT_EQ(r.consultants(0).caseload(), "5");
  EXPECT_EQ(r.consultants(0).band(), pv1::CASELOAD_BAND_WITHIN_FIDELITY);
  EXPECT_DOUBLE_EQ(r.consultants(0).employer_contacts_per_week(),
                   2 * 7.0 / 365);  // the default period: a year
  ASSERT_EQ(r.outcomes_size(), 4);
  EXPECT_EQ(r.outcomes(1).outcome(), "education");
  EXPECT_EQ(r.outcomes(1).count(), "1");
  ASSERT_EQ(r.feeds_size(), 3);
  EXPECT_EQ(r.feeds(0).applied_sequence(), LastSequence(server_->core()));
  for (const auto& feed : r.feeds()) EXPECT_TRUE(feed.connected()) << feed.source();

  // At the default threshold the small counts are hidden.
  ReportingServer suppressed(NewReportingDb(), Feeds());
  ASSERT_TRUE(CaughtUp(suppressed));
  auto s = Report(suppressed, today);
  EXPECT_EQ(KpiOf(s, "job_or_education_12m").value(), "<5 of 6");
  EXPECT_TRUE(KpiOf(s, "job_or_education_12m").suppressed());
  EXPECT_EQ(KpiOf(s, "job_or_education_12m").numerator(), 0);
  EXPECT_EQ(KpiOf(s, "job_or_education_12m").status(), pv1::TARGET_STATUS_NO_DATA);
  EXPECT_EQ(KpiOf(s, "enrolled_total").value(), "6");
  EXPECT_EQ(s.outcomes(1).count(), "<5");

  // Nothing reporting answers or stores names a citizen.
  std::vector<std::string> secrets;
  for (const auto& c : citizens) {
    secrets.push_back(c.name().substr(c.name().find('/') + 1));
    secrets.push_back(c.cpr());
  }
  const std::string answer = r.SerializeAsString() + s.SerializeAsString();
  std::string stored;
  ASSERT_TRUE(reporting.core()
                  .db()
                  .Read([&](soci::session& db) {
                    for (const char* table : {"courses", "course_days", "placements", "contact_days",
                                              "referrals", "treatment_starts", "audit_log"}) {
                      soci::rowset<soci::row> rows = (db.prepare << "SELECT * FROM " << table);
                      for (const auto& row : rows) {
                        for (size_t i = 0; i < row.size(); ++i) {
                          if (row.get_indicator(i) == soci::i_ok &&
                              row.get_properties(i).get_data_type() == soci::dt_string) {
                            stored += row.get<std::string>(i) + "\n";
                          }
                        }
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_FALSE(stored.empty());
  for (const auto& secret : secrets) {
    EXPECT_EQ(answer.find(secret), std::string::npos) << secret;
    EXPECT_EQ(stored.find(secret), std::string::npos) << secret;
  }
}

TEST_P(ReportingApiTest, ARestartMidIngestionGivesTheSameFigures) {
  const absl::CivilDay today = TodayInCopenhagen();
  auto programme = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      auto c = MakeCitizen(CprFor(1960 + i % 30, 1 + i % 12, 1 + i % 28, 100 + i));
      auto e = Enroll(c, today - 30 - i * 9, anna_);
      Conversation(e, i % 3 ? rv1::JOB_CONVERSATION_STATUS_HELD : rv1::JOB_CONVERSATION_STATUS_NO_SHOW,
                   today - 28 - i * 9);
      if (i % 2 == 0) {
        Place(c, i % 4 ? mv1::OPENING_KIND_SMALL_JOB : mv1::OPENING_KIND_ORDINARY_JOB, today - 20 - i * 9);
      }
    }
  };
  programme(0, 30);
  const std::string interrupted_db = NewReportingDb();
  long long stopped_at = 0;
  {
    // Small batches, stopped as soon as some are applied.
    ReportingServer first(interrupted_db, Feeds(), {}, 3);
    ASSERT_TRUE(first.WaitApplied(10, 0, 0));
    first.Stop();
    ASSERT_TRUE(first.core()
                    .db()
                    .Read([&](soci::session& db) {
                      stopped_at = reporting::StoredCursor(db, "registry");
                      return absl::OkStatus();
                    })
                    .ok());
  }
  // The programme goes on while reporting is down.
  programme(30, 40);
  ASSERT_GE(stopped_at, 10);
  ASSERT_LT(stopped_at, LastSequence(server_->core()));
  ReportingServer resumed(interrupted_db, Feeds());
  ASSERT_TRUE(CaughtUp(resumed));
  ReportingServer uninterrupted(NewReportingDb(), Feeds());
  ASSERT_TRUE(CaughtUp(uninterrupted));
  auto a = Report(resumed, today), b = Report(uninterrupted, today);
  a.clear_feeds();
  b.clear_feeds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_EQ(KpiOf(a, "enrolled_total").value(), "40");
  EXPECT_EQ(KpiOf(a, "conversation_attendance").value(), "26 of 40 = 65%");
  // Counted once: as many course and placement rows as were made.
  long long courses = 0, placements = 0;
  ASSERT_TRUE(resumed.core()
                  .db()
                  .Read([&](soci::session& db) {
                    db << "SELECT COUNT(*) FROM courses", soci::into(courses);
                    db << "SELECT COUNT(*) FROM placements", soci::into(placements);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(courses, 40);
  EXPECT_EQ(placements, 20);
}

TEST_P(ReportingApiTest, ExportsCsvAndAnHtmlPageThatRendersInChromium) {
  const absl::CivilDay today = TodayInCopenhagen(), start = today - 400;
  for (int i = 0; i < 12; ++i) {
    auto c = MakeCitizen(CprFor(1965 + i, 5, 6, 200 + i));
    Enroll(c, start + i * 20, anna_);
    if (i % 2 == 0)
      Place(c, i % 4 ? mv1::OPENING_KIND_COMPANY_INTERNSHIP : mv1::OPENING_KIND_ORDINARY_JOB,
            start + i * 20 + 10);
  }
  ReportingServer reporting(NewReportingDb(), Feeds());
  ASSERT_TRUE(CaughtUp(reporting));
  auto stub = reporting.Stub();
  pv1::ExportProgrammeReportRequest req;
  req.set_format(pv1::EXPORT_FORMAT_CSV);
  pv1::ExportedReport csv;
  ASSERT_TRUE(stub->ExportProgrammeReport(Ctx(TeamLeadToken()).get(), req, &csv).ok());
  EXPECT_EQ(csv.content_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.content().rfind("section,id,title,value,target,status\r\n", 0), 0u);
  EXPECT_NE(csv.content().find("figure,enrolled_total,Citizens enrolled by the as-of day,12,,\r\n"),
            std::string::npos)
      << csv.content();
  EXPECT_NE(csv.content().find(",<5,"), std::string::npos);  // suppressed cells stay suppressed
  req.set_format(pv1::EXPORT_FORMAT_UNSPECIFIED);
  EXPECT_EQ(stub->ExportProgrammeReport(Ctx(TeamLeadToken()).get(), req, &csv).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  req.set_format(pv1::EXPORT_FORMAT_HTML);
  pv1::ExportedReport html;
  ASSERT_TRUE(stub->ExportProgrammeReport(Ctx(TeamLeadToken()).get(), req, &html).ok());
  EXPECT_EQ(html.filename(), "ips-report-" + FormatDay(today) + ".html");
  if (!HaveChromium()) GTEST_SKIP() << "chromium is not installed";
  const Rendered page = RenderInChromium(html.content(), "html-report");
  const std::string& dom = page.dom;
  // Rendered: the table and four charts, each with its bars.
  EXPECT_EQ(CountOf(dom, "<svg class=\"chart\""), 4u);
  EXPECT_GE(CountOf(dom, "<rect class=\"bar\""), 6u);
  EXPECT_NE(dom.find("<table>"), std::string::npos);
  ExpectRenderedCleanly(page);
}

TEST(ReportingPolicyTest, EveryRpcHasAPolicyEntryAndEveryEntryAnRpc) {
  ExpectPolicyCoversService(reporting::DefaultPolicyJson(), "ips.reporting.v1.Reporting");
}

TEST_P(ReportingApiTest, DenyByDefaultAndBadDates) {
  ReportingServer reporting(NewReportingDb(), Feeds());
  const int walked = WalkUnaryRpcs(
      reporting.port(), "ips.reporting.v1.Reporting", Token("analyst-ida", "JOINT", {"analyst"}, -3600),
      {EventReaderToken()},
      [](const google::protobuf::MethodDescriptor& m, const std::string& path, grpc::GenericStub& stub) {
        // Only the DPO reads the audit trail and exports a subject's data;
        // analysts read reports.
        auto analyst = CallRaw(stub, path, Token("analyst-ida", "JOINT", {"analyst"}));
        const bool dpo_only = m.name() == "ListAuditRecords" || m.name() == "ExportSubjectData";
        EXPECT_EQ(ErrorReason(analyst) != "ROLE_NOT_ALLOWED", !dpo_only) << path;
      });
  EXPECT_EQ(walked, 7);
  auto stub = reporting.Stub();
  pv1::GetProgrammeReportRequest req;
  req.mutable_as_of()->set_year(2026);
  req.mutable_as_of()->set_month(2);
  req.mutable_as_of()->set_day(30);
  pv1::ProgrammeReport out;
  auto s = stub->GetProgrammeReport(Ctx(TeamLeadToken()).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"as_of"});
  *req.mutable_as_of() = ToProtoDate(TodayInCopenhagen());
  *req.mutable_period_start() = ToProtoDate(TodayInCopenhagen() + 1);
  s = stub->GetProgrammeReport(Ctx(TeamLeadToken()).get(), req, &out);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"period_start"});
}

IPS_ON_BOTH_DATABASES(ReportingApiTest);

}  // namespace
}  // namespace ips::testing
