#pragma once

// The reporting service's API tests' fixture: a real registry, matching and
// treatment service (in-process, each on its own database) for a reporting
// service to follow, and the calls that make a hand-made programme.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/support/ipsctl_runner.h"
#include "tests/support/matching_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/reporting_server.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {

namespace mv1 = ips::matching::v1;
namespace pv1 = ips::reporting::v1;

inline long long LastSequence(ServiceCore& core) {
  long long last = 0;
  while (true) {
    auto page = core.outbox().ReadAfter(last, 1000);
    if (!page.ok() || page->empty()) return last;
    last = page->back().sequence();
  }
}

inline const pv1::Kpi& KpiOf(const pv1::ProgrammeReport& r, const std::string& id) {
  for (const auto& k : r.kpis()) {
    if (k.id() == id) return k;
  }
  static const pv1::Kpi none;
  ADD_FAILURE() << "no kpi " << id;
  return none;
}

class ReportingApiTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (IsSkipped()) return;
    std::string matching_url, treatment_url;
    IPS_FRESH_DATABASE_OR_SKIP(matching_url, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(treatment_url, GetParam());
    matching_ = std::make_unique<MatchingServer>(matching_url, RegistryClientFor(server_->port()));
    treatment_ = std::make_unique<TreatmentServer>(treatment_url);
    m_ = matching_->Stub();
    anna_ = MakeConsultant("anna", 100).name();
    mv1::CreateEmployerRequest req;
    req.mutable_employer()->set_cvr("35705643");
    req.mutable_employer()->set_display_name("Café Sydhavn");
    req.mutable_employer()->set_industry("Food service");
    mv1::Employer e;
    ASSERT_TRUE(m_->CreateEmployer(Ctx(ConsultantToken()).get(), req, &e).ok());
    employer_ = e.name();
  }

  FeedPorts Feeds() const { return {server_->port(), matching_->port(), treatment_->port()}; }

  std::string NewReportingDb() {
    std::string url;
    url = FreshDatabase(GetParam());
    return url;
  }

  bool CaughtUp(ReportingServer& r) {
    return r.WaitApplied(LastSequence(server_->core()), LastSequence(matching_->core()),
                         LastSequence(treatment_->core()));
  }

  // The placement made (empty, with a test failure, when refused).
  mv1::Placement Place(const rv1::Citizen& c, mv1::OpeningKind kind, absl::CivilDay start) {
    mv1::CreatePlacementRequest req;
    req.set_parent(c.name());
    req.mutable_placement()->set_employer(employer_);
    req.mutable_placement()->set_kind(kind);
    *req.mutable_placement()->mutable_start_date() = ToProtoDate(start);
    req.mutable_placement()->add_hours()->set_hours_per_week(20);
    mv1::Placement out;
    auto s = m_->CreatePlacement(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  void Conversation(const rv1::Enrollment& e, rv1::JobConversationStatus status, absl::CivilDay day,
                    rv1::ConversationPlace place = rv1::CONVERSATION_PLACE_LOCAL_OFFICE) {
    rv1::CreateJobConversationRequest req;
    req.set_parent(e.name());
    req.mutable_job_conversation()->set_status(status);
    *req.mutable_job_conversation()->mutable_date() = ToProtoDate(day);
    req.mutable_job_conversation()->set_place(place);
    rv1::JobConversation out;
    auto s = stub_->CreateJobConversation(Ctx(ConsultantToken()).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  void Activity(const rv1::Enrollment& e, rv1::ActivityKind kind, absl::CivilDay day,
                rv1::ConversationPlace place = rv1::CONVERSATION_PLACE_UNSPECIFIED) {
    rv1::CreateActivityRequest req;
    req.set_parent(e.name());
    req.mutable_activity()->set_kind(kind);
    req.mutable_activity()->set_place(place);
    *req.mutable_activity()->mutable_start_date() = ToProtoDate(day);
    rv1::Activity out;
    auto s = stub_->CreateActivity(Ctx(ConsultantToken()).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A coordination note SOF writes about `c` (SOF needs no consent to write
  // one; BIF reads them only under the citizen's).
  void CoordinationNote(const rv1::Citizen& c, absl::CivilDay day) {
    ips::treatment::v1::CreateCoordinationNoteRequest req;
    req.set_parent(c.name());
    *req.mutable_note()->mutable_note_date() = ToProtoDate(day);
    req.mutable_note()->set_text("Seen at the clinic; job interview on Thursday suits the plan.");
    ips::treatment::v1::CoordinationNote out;
    auto s = treatment_->Stub()->CreateCoordinationNote(Ctx(SofTreatmentToken()).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // A contact by `consultant` with the fixture's employer, on the behalf of
  // `citizen` (`citizens/{id}`) unless empty.
  void EmployerContact(const std::string& citizen, const std::string& consultant, mv1::ContactChannel channel,
                       absl::CivilDay day, const std::string& token = ConsultantToken()) {
    mv1::CreateEmployerContactRequest req;
    req.set_parent(employer_);
    auto* c = req.mutable_contact();
    c->set_citizen(citizen);
    c->set_consultant(consultant);
    c->set_channel(channel);
    *c->mutable_contact_date() = ToProtoDate(day);
    c->set_purpose(mv1::CONTACT_PURPOSE_OPENING_FOR_CITIZEN);
    c->set_outcome(mv1::CONTACT_OUTCOME_INTERESTED);
    mv1::EmployerContact out;
    auto s = m_->CreateEmployerContact(Ctx(token).get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  pv1::ProgrammeReport Report(ReportingServer& r, absl::CivilDay as_of) {
    pv1::GetProgrammeReportRequest req;
    *req.mutable_as_of() = ToProtoDate(as_of);
    pv1::ProgrammeReport out;
    auto s = r.Stub()->GetProgrammeReport(Ctx(Token("analyst-ida", "JOINT", {"analyst"})).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::string anna_, employer_;
  std::unique_ptr<MatchingServer> matching_;
  std::unique_ptr<TreatmentServer> treatment_;
  std::unique_ptr<mv1::EmployerMatching::Stub> m_;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Whether headless Chromium is here; a failure instead when the run
// requires it (IPS_REQUIRE_CHROMIUM, as CI sets).
inline bool HaveChromium() {
  if (access("/usr/bin/chromium", X_OK) == 0) return true;
  if (std::getenv("IPS_REQUIRE_CHROMIUM"))
    ADD_FAILURE() << "chromium is required (scripts/install-deps.sh --tests)";
  return false;
}

// A page as headless Chromium renders it: the DOM after layout, what it
// logged, and a screenshot.
struct Rendered {
  std::string dom, logs, png;
};
inline Rendered RenderInChromium(const std::string& html, const std::string& name) {
  const std::string dir = TempDir(name);
  std::ofstream(dir + "/page.html", std::ios::binary) << html;
  const std::string chromium =
      "chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir=" + dir +
      "/profile --enable-logging=stderr --v=0 --window-size=1200,2400 ";
  EXPECT_EQ(RunShell(chromium + "--dump-dom file://" + dir + "/page.html >" + dir + "/dom.html 2>" + dir +
                     "/dom.log")
                .code,
            0);
  EXPECT_EQ(RunShell(chromium + "--screenshot=" + dir + "/page.png file://" + dir +
                     "/page.html >/dev/null 2>" + dir + "/shot.log")
                .code,
            0);
  return {Slurp(dir + "/dom.html"), Slurp(dir + "/dom.log") + Slurp(dir + "/shot.log"),
          Slurp(dir + "/page.png")};
}

// No console message at all (a blocked resource, a script error), and the
// screenshot a real PNG of the page, not an empty canvas.
inline void ExpectRenderedCleanly(const Rendered& page) {
  EXPECT_EQ(page.logs.find("CONSOLE"), std::string::npos) << page.logs;
  ASSERT_GT(page.png.size(), 20000u);
  EXPECT_EQ(page.png.substr(1, 3), "PNG");
}

inline size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace ips::testing
