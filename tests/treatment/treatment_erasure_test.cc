// Erasure at the treatment service: refused while a referral awaits its
// offer or an episode runs; then notes and consents deleted, substances
// and diagnoses cleared, nothing more recorded about the citizen, no event;
// and the retention sweep by the latest date recorded.
#include <gtest/gtest.h>

#include "services/treatment/treatment_schema.h"
#include "tests/support/query.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

namespace cv1 = ips::common::v1;

const std::string kAnna = "citizens/anna-1";
constexpr char kService[] = "ips.treatment.v1.TreatmentCoordination";

class TreatmentErasureTest : public TreatmentFixture {
 protected:
  grpc::Status Erase(const std::string& citizen, cv1::SubjectErasure* out,
                     const std::string& token = SofDpoToken()) {
    cv1::EraseSubjectDataRequest req;
    req.set_citizen(citizen);
    return stub_->EraseSubjectData(Ctx(token).get(), req, out);
  }

  grpc::Status WriteNote(const std::string& citizen, tv1::CoordinationNote* out) {
    tv1::CreateCoordinationNoteRequest note;
    note.set_parent(citizen);
    *note.mutable_note()->mutable_note_date() = ToProtoDate(DaysFromToday(0));
    note.mutable_note()->set_text("Relapse last week; session moved to Tuesday.");
    return stub_->CreateCoordinationNote(Ctx(SofTreatmentToken()).get(), note, out);
  }

  int Rows(const std::string& table, const std::string& citizen = "anna-1") {
    return QueryInt(server_->core(), "SELECT COUNT(*) FROM " + table + " WHERE citizen_id = :c", citizen);
  }
};

TEST_P(TreatmentErasureTest, OnRequestOnceNothingIsOpen) {
  auto unit = MakeUnit("Sydhavn Behandling");
  GiveConsent(kAnna, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-40), DaysFromToday(300));
  tv1::CoordinationNote note;
  ASSERT_TRUE(WriteNote(kAnna, &note).ok());
  auto referral = Refer(kAnna, DaysFromToday(-30), unit.name());

  cv1::SubjectErasure erasure;
  auto s = Erase(kAnna, &erasure);  // the referral awaits its offer
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"ERASURE_TREATMENT_OPEN"});
  auto episode = StartEpisode(kAnna, unit.name(), DaysFromToday(-20), referral.name());
  s = Erase(kAnna, &erasure);  // the episode runs
  EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"ERASURE_TREATMENT_OPEN"});
  EXPECT_EQ(Erase(kAnna, &erasure, Token("dpo-carla", "BIF", {"dpo"})).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Erase(kAnna, &erasure, SofTreatmentToken()).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  tv1::EndTreatmentEpisodeRequest end;
  end.set_name(episode.name());
  *end.mutable_end_date() = ToProtoDate(DaysFromToday(-1));
  end.set_end_reason(tv1::EPISODE_END_REASON_COMPLETED);
  tv1::TreatmentEpisode ended;
  ASSERT_TRUE(stub_->EndTreatmentEpisode(Ctx(SofTreatmentToken()).get(), end, &ended).ok());
  const int events = QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox");

  s = Erase(kAnna, &erasure);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(erasure.service(), kService);
  // The note and consent deleted, the referral and the episode cleared.
  EXPECT_EQ(erasure.row_count(), 4);
  EXPECT_EQ(Rows("coordination_notes"), 0);
  EXPECT_EQ(Rows("consents"), 0);
  EXPECT_EQ(QueryText(server_->core(), "SELECT substances FROM referrals WHERE citizen_id = :c", "anna-1"),
            "");
  EXPECT_EQ(QueryText(server_->core(), "SELECT diagnosis_code FROM episodes WHERE citizen_id = :c", "anna-1"),
            "");
  // The guarantee's record stays: the dates describe nobody once the
  // registry has erased the citizen.
  EXPECT_EQ(Rows("referrals"), 1);
  EXPECT_EQ(Rows("episodes"), 1);

  // Nothing more may be recorded about them: a note, a referral, a consent.
  s = WriteNote(kAnna, &note);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionTypes(s), std::vector<std::string>{"CITIZEN_ERASED"});
  tv1::CreateReferralRequest refer;
  refer.set_parent(kAnna);
  refer.mutable_referral()->set_referred_by(tv1::REFERRER_OUTREACH);
  *refer.mutable_referral()->mutable_request_date() = ToProtoDate(DaysFromToday(0));
  refer.mutable_referral()->add_substances(tv1::SUBSTANCE_ALCOHOL);
  tv1::Referral again;
  EXPECT_EQ(stub_->CreateReferral(Ctx(SofOutreachToken()).get(), refer, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Rows("referrals"), 1);
  EXPECT_EQ(Rows("coordination_notes"), 0);

  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM outbox"), events);
  EXPECT_EQ(
      QueryInt(server_->core(),
               "SELECT COUNT(*) FROM audit_log WHERE method LIKE '%/EraseSubjectData' AND outcome = 'OK' "
               "AND note = 'erased on request: 4 rows' AND citizen_id = :c",
               "anna-1"),
      1);
  cv1::SubjectErasure second;
  ASSERT_TRUE(Erase(kAnna, &second).ok());
  EXPECT_TRUE(second.already_erased());

  // A citizen the service never heard of: recorded, so nothing can be
  // added about them later.
  ASSERT_TRUE(Erase("citizens/never-seen", &erasure).ok());
  EXPECT_EQ(erasure.row_count(), 0);
  EXPECT_EQ(WriteNote("citizens/never-seen", &note).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_P(TreatmentErasureTest, TheSweepGoesByTheLatestDateRecorded) {
  auto unit = MakeUnit("Sydhavn Behandling");
  GiveConsent("citizens/old-consent", tv1::CONSENT_SCOPE_COORDINATION, DaysFromToday(-10),
              DaysFromToday(100));
  Refer("citizens/waiting", DaysFromToday(-400), unit.name());
  tv1::CoordinationNote note;
  ASSERT_TRUE(WriteNote("citizens/noted-today", &note).ok());

  RetentionSweeper sweeper(server_->core(), kService, treatment::TreatmentSubjectData().erasure, 5);
  auto erased = sweeper.SweepOnce(TodayInCopenhagen());
  ASSERT_TRUE(erased.ok()) << erased.status().message();
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(Rows("consents", "old-consent"), 0);
  EXPECT_EQ(Rows("coordination_notes", "noted-today"), 1);
  erased = sweeper.SweepOnce(TodayInCopenhagen() + 5);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(*erased, 1);
  EXPECT_EQ(Rows("coordination_notes", "noted-today"), 0);
  // A referral awaiting its offer keeps the citizen's data however old.
  erased = sweeper.SweepOnce(TodayInCopenhagen() + 5000);
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(*erased, 0);
  EXPECT_EQ(QueryInt(server_->core(), "SELECT COUNT(*) FROM audit_log WHERE subject = 'retention-sweep'"), 2);
  auto broken = server_->core().audit().FirstBrokenLink();
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(*broken, 0);
}

IPS_ON_BOTH_DATABASES(TreatmentErasureTest);

}  // namespace
}  // namespace ips::testing
