// The treatment service through its gRPC API on SQLite and PostgreSQL:
// every RPC, the 14-day guarantee as staff see it, episodes, notes,
// consents, the consent matrix of the minimal disclosure, and the audit.
#include <gtest/gtest.h>

#include "ips/treatment/v1/events.pb.h"
#include "services/common/resource_name.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

const std::string kAnna = "citizens/anna-1";
const std::string kBo = "citizens/bo-2";

using TreatmentApiTest = TreatmentFixture;

TEST_P(TreatmentApiTest, UnitsAreCreatedReadListedAndUpdated) {
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  EXPECT_TRUE(unit.active());
  EXPECT_EQ(unit.etag(), "v1");
  MakeUnit("Dagbehandling Vesterbro");

  tv1::GetTreatmentUnitRequest get;
  get.set_name(unit.name());
  tv1::TreatmentUnit got;
  ASSERT_TRUE(stub_->GetTreatmentUnit(Ctx(SofOutreachToken()).get(), get, &got).ok());
  EXPECT_EQ(got.display_name(), "Ambulatorium Sydhavn");

  tv1::ListTreatmentUnitsRequest list;
  list.set_page_size(1);
  tv1::ListTreatmentUnitsResponse page1, page2;
  ASSERT_TRUE(stub_->ListTreatmentUnits(Ctx(SofOutreachToken()).get(), list, &page1).ok());
  ASSERT_EQ(page1.units_size(), 1);
  list.set_page_token(page1.next_page_token());
  ASSERT_TRUE(stub_->ListTreatmentUnits(Ctx(SofOutreachToken()).get(), list, &page2).ok());
  ASSERT_EQ(page2.units_size(), 1);
  EXPECT_TRUE(page2.next_page_token().empty());
  EXPECT_NE(page1.units(0).name(), page2.units(0).name());

  tv1::UpdateTreatmentUnitRequest update;
  *update.mutable_unit() = unit;
  update.mutable_unit()->set_active(false);
  update.mutable_update_mask()->add_paths("active");
  tv1::TreatmentUnit updated;
  ASSERT_TRUE(stub_->UpdateTreatmentUnit(Ctx(SofTreatmentToken()).get(), update, &updated).ok());
  EXPECT_FALSE(updated.active());
  EXPECT_EQ(updated.etag(), "v2");
  // The first etag is stale now.
  EXPECT_EQ(stub_->UpdateTreatmentUnit(Ctx(SofTreatmentToken()).get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  // An inactive unit takes no referrals.
  tv1::CreateReferralRequest refer;
  refer.set_parent(kAnna);
  refer.mutable_referral()->set_referred_by(tv1::REFERRER_SELF);
  *refer.mutable_referral()->mutable_request_date() = ToProtoDate(DaysFromToday(0));
  refer.mutable_referral()->set_unit(unit.name());
  tv1::Referral r;
  auto s = stub_->CreateReferral(Ctx(SofOutreachToken()).get(), refer, &r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{unit.name()});
}

TEST_P(TreatmentApiTest, OutreachContactsAreRecordedOnceAndListedByDate) {
  auto record = [&](int days_ago, tv1::OutreachResult result, const std::string& request_id) {
    tv1::CreateOutreachContactRequest req;
    req.set_parent(kAnna);
    req.set_request_id(request_id);
    *req.mutable_contact()->mutable_contact_date() = ToProtoDate(DaysFromToday(-days_ago));
    req.mutable_contact()->set_place(tv1::OUTREACH_PLACE_STREET);
    req.mutable_contact()->set_result(result);
    tv1::OutreachContact out;
    auto s = stub_->CreateOutreachContact(Ctx(SofOutreachToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  auto later = record(2, tv1::OUTREACH_RESULT_REFERRAL_AGREED, "o-1");
  auto earlier = record(9, tv1::OUTREACH_RESULT_MET, "o-2");
  EXPECT_EQ(record(2, tv1::OUTREACH_RESULT_REFERRAL_AGREED, "o-1").name(), later.name());  // a retry
  EXPECT_EQ(later.recorded_by(), "outreach-dorte");

  tv1::ListOutreachContactsRequest list;
  list.set_parent(kAnna);
  tv1::ListOutreachContactsResponse resp;
  ASSERT_TRUE(stub_->ListOutreachContacts(Ctx(SofTreatmentToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.contacts_size(), 2);
  EXPECT_EQ(resp.contacts(0).name(), earlier.name());
  EXPECT_EQ(resp.contacts(1).result(), tv1::OUTREACH_RESULT_REFERRAL_AGREED);
}

TEST_P(TreatmentApiTest, TheGuaranteeRunsFourteenDaysFromTheRequest) {
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  auto overdue = Refer(kAnna, DaysFromToday(-20), unit.name());
  EXPECT_EQ(overdue.guarantee().deadline().day(), DaysFromToday(-6).day());
  EXPECT_EQ(overdue.guarantee().state(), tv1::GUARANTEE_STATE_OVERDUE);
  auto due_soon = Refer(kBo, DaysFromToday(-12), unit.name());
  EXPECT_EQ(due_soon.guarantee().state(), tv1::GUARANTEE_STATE_DUE_SOON);
  auto open = Refer("citizens/carl-3", DaysFromToday(0));
  EXPECT_EQ(open.guarantee().state(), tv1::GUARANTEE_STATE_OPEN);
  EXPECT_EQ(open.unit(), "");
  EXPECT_FALSE(open.redacted());

  // The watch list: open referrals past or near the deadline, oldest first.
  tv1::ListReferralsRequest list;
  list.set_parent("citizens/-");
  list.set_filter("at_risk = true");
  tv1::ListReferralsResponse at_risk;
  ASSERT_TRUE(stub_->ListReferrals(Ctx(SofTreatmentToken()).get(), list, &at_risk).ok());
  ASSERT_EQ(at_risk.referrals_size(), 2);
  EXPECT_EQ(at_risk.referrals(0).name(), overdue.name());
  EXPECT_EQ(at_risk.referrals(1).name(), due_soon.name());

  // Offered on the deadline: met; a second offer is refused.
  tv1::RecordTreatmentOfferRequest offer;
  offer.set_name(due_soon.name());
  *offer.mutable_offered_date() = ToProtoDate(DaysFromToday(0));
  offer.set_etag(due_soon.etag());
  tv1::Referral offered;
  ASSERT_TRUE(stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered).ok());
  EXPECT_EQ(offered.guarantee().state(), tv1::GUARANTEE_STATE_MET);
  EXPECT_EQ(stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered).error_code(),
            grpc::StatusCode::ABORTED);  // stale etag
  offer.clear_etag();
  EXPECT_EQ(stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Offered after the deadline: missed.
  offer.set_name(overdue.name());
  ASSERT_TRUE(stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered).ok());
  EXPECT_EQ(offered.guarantee().state(), tv1::GUARANTEE_STATE_MISSED);
  // A referral without a unit needs one with the offer; before the request it cannot be.
  offer.set_name(open.name());
  auto s = stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"unit"});
  offer.set_unit(unit.name());
  *offer.mutable_offered_date() = ToProtoDate(DaysFromToday(-1));
  s = stub_->RecordTreatmentOffer(Ctx(SofTreatmentToken()).get(), offer, &offered);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"offered_date"});

  ASSERT_TRUE(stub_->ListReferrals(Ctx(SofTreatmentToken()).get(), list, &at_risk).ok());
  EXPECT_EQ(at_risk.referrals_size(), 0);
  tv1::GetReferralRequest get;
  get.set_name(overdue.name());
  tv1::Referral got;
  ASSERT_TRUE(stub_->GetReferral(Ctx(SofOutreachToken()).get(), get, &got).ok());
  EXPECT_EQ(got.offered_date().day(), DaysFromToday(0).day());
  EXPECT_EQ(got.substances_size(), 1);
}

TEST_P(TreatmentApiTest, AnEpisodeAnswersItsReferralAndEndsReadOnly) {
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  auto referral = Refer(kAnna, DaysFromToday(-10));
  auto episode = StartEpisode(kAnna, unit.name(), DaysFromToday(-3), referral.name());
  EXPECT_EQ(episode.state(), tv1::EPISODE_STATE_ACTIVE);
  EXPECT_EQ(episode.referral(), referral.name());

  tv1::GetReferralRequest get;
  get.set_name(referral.name());
  tv1::Referral got;
  ASSERT_TRUE(stub_->GetReferral(Ctx(SofTreatmentToken()).get(), get, &got).ok());
  EXPECT_EQ(got.offered_date().day(), DaysFromToday(-3).day());  // starting is the latest offer
  EXPECT_EQ(got.unit(), unit.name());
  EXPECT_EQ(got.guarantee().state(), tv1::GUARANTEE_STATE_MET);

  tv1::TreatmentEpisode second;
  auto s = TryStartEpisode(kAnna, unit.name(), DaysFromToday(0), "", &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  tv1::EndTreatmentEpisodeRequest end;
  end.set_name(episode.name());
  *end.mutable_end_date() = ToProtoDate(DaysFromToday(-4));
  end.set_end_reason(tv1::EPISODE_END_REASON_COMPLETED);
  tv1::TreatmentEpisode ended;
  EXPECT_EQ(BadFields(stub_->EndTreatmentEpisode(Ctx(SofTreatmentToken()).get(), end, &ended)),
            std::vector<std::string>{"end_date"});  // before the start
  *end.mutable_end_date() = ToProtoDate(DaysFromToday(0));
  end.set_etag("v7");
  EXPECT_EQ(stub_->EndTreatmentEpisode(Ctx(SofTreatmentToken()).get(), end, &ended).error_code(),
            grpc::StatusCode::ABORTED);
  end.set_etag(episode.etag());
  ASSERT_TRUE(stub_->EndTreatmentEpisode(Ctx(SofTreatmentToken()).get(), end, &ended).ok());
  EXPECT_EQ(ended.state(), tv1::EPISODE_STATE_ENDED);
  EXPECT_EQ(ended.end_reason(), tv1::EPISODE_END_REASON_COMPLETED);
  end.clear_etag();
  EXPECT_EQ(stub_->EndTreatmentEpisode(Ctx(SofTreatmentToken()).get(), end, &ended).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // After the end a new episode may start.
  StartEpisode(kAnna, unit.name(), DaysFromToday(1));
  tv1::ListTreatmentEpisodesRequest list;
  list.set_parent(kAnna);
  tv1::ListTreatmentEpisodesResponse episodes;
  ASSERT_TRUE(stub_->ListTreatmentEpisodes(Ctx(SofTreatmentToken()).get(), list, &episodes).ok());
  ASSERT_EQ(episodes.episodes_size(), 2);
  EXPECT_EQ(episodes.episodes(0).name(), episode.name());
}

TEST_P(TreatmentApiTest, ConsentsAreRecordedListedAndWithdrawn) {
  auto status =
      GiveConsent(kAnna, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-30), DaysFromToday(300));
  EXPECT_EQ(status.state(), tv1::CONSENT_STATE_ACTIVE);
  EXPECT_EQ(status.recorded_by(), "outreach-dorte");
  auto old = GiveConsent(kAnna, tv1::CONSENT_SCOPE_COORDINATION, DaysFromToday(-400), DaysFromToday(-40));
  EXPECT_EQ(old.state(), tv1::CONSENT_STATE_EXPIRED);

  tv1::WithdrawConsentRequest withdraw;
  withdraw.set_name(status.name());
  *withdraw.mutable_withdrawn_date() = ToProtoDate(DaysFromToday(0));
  withdraw.set_etag(status.etag());
  tv1::Consent withdrawn;
  ASSERT_TRUE(stub_->WithdrawConsent(Ctx(SofOutreachToken()).get(), withdraw, &withdrawn).ok());
  EXPECT_EQ(withdrawn.state(), tv1::CONSENT_STATE_WITHDRAWN);
  withdraw.clear_etag();
  EXPECT_EQ(stub_->WithdrawConsent(Ctx(SofOutreachToken()).get(), withdraw, &withdrawn).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  tv1::ListConsentsRequest list;
  list.set_parent(kAnna);
  tv1::ListConsentsResponse resp;
  ASSERT_TRUE(stub_->ListConsents(Ctx(SofDpoToken()).get(), list, &resp).ok());
  ASSERT_EQ(resp.consents_size(), 2);
  EXPECT_EQ(resp.consents(0).name(), old.name());  // by given date
  EXPECT_EQ(resp.consents(1).state(), tv1::CONSENT_STATE_WITHDRAWN);
}

// The consent matrix of the minimal disclosure, with exact codes, for a
// BIF consultant, the registry's service identity and SOF staff.
TEST_P(TreatmentApiTest, TreatmentStatusFollowsTheConsentMatrix) {
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  const auto started = DaysFromToday(-20);
  struct Case {
    std::string name;
    std::function<void(const std::string&)> consent;
    std::string refusal;  // "" = disclosed
    std::optional<absl::CivilDay> as_of;
  };
  const auto status_scope = tv1::CONSENT_SCOPE_TREATMENT_STATUS;
  std::vector<Case> cases = {
      {"no consent", [](const std::string&) {}, "none", std::nullopt},
      {"valid",
       [&](const std::string& c) { GiveConsent(c, status_scope, DaysFromToday(-5), DaysFromToday(360)); }, "",
       std::nullopt},
      {"expired",
       [&](const std::string& c) { GiveConsent(c, status_scope, DaysFromToday(-400), DaysFromToday(-35)); },
       "expired", std::nullopt},
      {"withdrawn",
       [&](const std::string& c) {
         auto given = GiveConsent(c, status_scope, DaysFromToday(-10), DaysFromToday(300));
         tv1::WithdrawConsentRequest w;
         w.set_name(given.name());
         *w.mutable_withdrawn_date() = ToProtoDate(DaysFromToday(0));
         tv1::Consent out;
         ASSERT_TRUE(stub_->WithdrawConsent(Ctx(SofOutreachToken()).get(), w, &out).ok());
       },
       "withdrawn", std::nullopt},
      {"wrong scope",
       [&](const std::string& c) {
         GiveConsent(c, tv1::CONSENT_SCOPE_COORDINATION, DaysFromToday(-5), DaysFromToday(300));
       },
       "wrong_scope", std::nullopt},
      {"not yet given on the day asked",
       [&](const std::string& c) { GiveConsent(c, status_scope, DaysFromToday(-5), DaysFromToday(300)); },
       "not_yet_given", DaysFromToday(-10)},
  };
  int n = 0;
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    const std::string citizen = "citizens/matrix-" + std::to_string(++n);
    auto referral = Refer(citizen, started - 5);
    StartEpisode(citizen, unit.name(), started, referral.name());
    tc.consent(citizen);
    for (const auto& [who, token, client] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"consultant", ConsultantToken(), "ipsctl"}, {"registry", RegistryServiceToken(), "registry"}}) {
      SCOPED_TRACE(who);
      tv1::TreatmentStatus out;
      auto s = Status(citizen, token, &out, tc.as_of, client);
      if (tc.refusal.empty()) {
        ASSERT_TRUE(s.ok()) << s.error_message();
        EXPECT_EQ(out.status(), tv1::MINIMAL_STATUS_IN_TREATMENT);
        EXPECT_EQ(out.since().day(), started.day());
        EXPECT_EQ(out.name(), citizen + "/treatmentStatus");
      } else {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_EQ(ErrorReason(s), "CONSENT_MISSING");
        EXPECT_FALSE(out.has_since());
        // The refusal reads exactly as for a citizen SOF never met: BIF
        // cannot tell that SOF knows this one.
        tv1::TreatmentStatus none;
        auto stranger = Status("citizens/stranger-" + std::to_string(n), token, &none, tc.as_of, client);
        EXPECT_EQ(stranger.error_code(), s.error_code());
        EXPECT_EQ(stranger.error_message(), s.error_message());
        EXPECT_EQ(stranger.error_details(), s.error_details());
        EXPECT_EQ(ErrorMetadata(s, "consent"), "");
      }
    }
    // Why it was refused stays in SOF's audit, for SOF's DPO.
    if (!tc.refusal.empty()) {
      common::v1::ListAuditRecordsRequest audit;
      audit.set_filter("citizen_id = \"" + LastSegment(citizen) + "\" AND outcome = PERMISSION_DENIED");
      audit.set_page_size(100);
      common::v1::ListAuditRecordsResponse records;
      ASSERT_TRUE(stub_->ListAuditRecords(Ctx(SofDpoToken()).get(), audit, &records).ok());
      ASSERT_EQ(records.audit_records_size(), 2);
      for (const auto& r : records.audit_records()) {
        EXPECT_EQ(r.note(), "disclosure refused: consent " + tc.refusal);
      }
    }
    // SOF's own staff see the status whatever the consent.
    for (const auto& token : {SofOutreachToken(), SofTreatmentToken(), SofDpoToken()}) {
      tv1::TreatmentStatus out;
      ASSERT_TRUE(Status(citizen, token, &out, tc.as_of).ok());
      EXPECT_EQ(out.status(), tv1::MINIMAL_STATUS_IN_TREATMENT);
    }
  }
  // The registry's role is honoured only from the registry's certificate.
  tv1::TreatmentStatus out;
  auto s = Status("citizens/matrix-2", RegistryServiceToken(), &out, std::nullopt, "ipsctl");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(s), "ROLE_NOT_ALLOWED");
  // A citizen SOF has never met looks the same to BIF as one without consent.
  s = Status("citizens/stranger-9", ConsultantToken(), &out);
  EXPECT_EQ(ErrorReason(s), "CONSENT_MISSING");
  ASSERT_TRUE(Status("citizens/stranger-9", SofTreatmentToken(), &out).ok());
  EXPECT_EQ(out.status(), tv1::MINIMAL_STATUS_NONE);
  EXPECT_FALSE(out.has_since());
}

TEST_P(TreatmentApiTest, CoordinationNotesCrossToBifOnlyUnderACoordinationConsent) {
  tv1::CreateCoordinationNoteRequest note;
  note.set_parent(kAnna);
  *note.mutable_note()->mutable_note_date() = ToProtoDate(DaysFromToday(0));
  note.mutable_note()->set_text("Anna starts at the bakery on Monday; session moved to Tuesday.");
  tv1::CoordinationNote written;
  ASSERT_TRUE(stub_->CreateCoordinationNote(Ctx(SofTreatmentToken()).get(), note, &written).ok());
  EXPECT_EQ(written.author_agency(), "SOF");

  tv1::ListCoordinationNotesRequest list;
  list.set_parent(kAnna);
  tv1::ListCoordinationNotesResponse notes;
  auto s = stub_->ListCoordinationNotes(Ctx(ConsultantToken()).get(), list, &notes);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorMetadata(s, "scope"), "COORDINATION");
  EXPECT_EQ(notes.notes_size(), 0);
  EXPECT_EQ(stub_->CreateCoordinationNote(Ctx(ConsultantToken()).get(), note, &written).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A treatment-status consent is not enough.
  GiveConsent(kAnna, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-1), DaysFromToday(100));
  EXPECT_EQ(stub_->ListCoordinationNotes(Ctx(ConsultantToken()).get(), list, &notes).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  GiveConsent(kAnna, tv1::CONSENT_SCOPE_COORDINATION, DaysFromToday(-1), DaysFromToday(100));
  ASSERT_TRUE(stub_->CreateCoordinationNote(Ctx(ConsultantToken()).get(), note, &written).ok());
  EXPECT_EQ(written.author_agency(), "BIF");
  EXPECT_EQ(written.author(), "consultant-anna");
  ASSERT_TRUE(stub_->ListCoordinationNotes(Ctx(ConsultantToken()).get(), list, &notes).ok());
  EXPECT_EQ(notes.notes_size(), 2);
  ASSERT_TRUE(stub_->ListCoordinationNotes(Ctx(SofOutreachToken()).get(), list, &notes).ok());
  EXPECT_EQ(notes.notes_size(), 2);

  // Each note written is published for the fidelity review as its day and
  // whose it was, under the citizen's pseudonym: no text, no author.
  auto events = server_->core().outbox().ReadAfter(0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<bool> by_bif;
  for (const auto& e : *events) {
    tv1::CoordinationNoteRecorded recorded;
    if (!e.payload().UnpackTo(&recorded)) continue;
    by_bif.push_back(recorded.by_bif());
    EXPECT_FALSE(e.subject_pseudonym().empty());
    EXPECT_EQ(FormatDay(CivilDayOf(recorded.note_date())), FormatDay(DaysFromToday(0)));
    for (const char* secret : {"bakery", "consultant-anna", "anna-1"}) {
      EXPECT_EQ(e.SerializeAsString().find(secret), std::string::npos) << secret;
    }
  }
  EXPECT_EQ(by_bif, (std::vector<bool>{false, true}));
}

TEST_P(TreatmentApiTest, TheAuditShowsWhoAskedForTheStatusAndWhoWasRefused) {
  GiveConsent(kAnna, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-1), DaysFromToday(100));
  tv1::TreatmentStatus out;
  ASSERT_TRUE(Status(kAnna, ConsultantToken(), &out).ok());
  EXPECT_FALSE(Status(kBo, ConsultantToken(), &out).ok());

  common::v1::ListAuditRecordsRequest req;
  req.set_page_size(1000);
  common::v1::ListAuditRecordsResponse resp;
  // BIF's data protection officer has no access to SOF's audit.
  EXPECT_EQ(stub_->ListAuditRecords(Ctx(DpoToken()).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(SofDpoToken()).get(), req, &resp).ok());
  std::vector<std::string> seen;
  for (const auto& r : resp.audit_records()) {
    if (r.method().find("GetTreatmentStatus") == std::string::npos) continue;
    EXPECT_EQ(r.subject(), "consultant-anna");
    EXPECT_EQ(r.agency(), "BIF");
    seen.push_back(r.citizen_id() + " " + r.outcome());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"anna-1 OK", "bo-2 PERMISSION_DENIED"}));
}

IPS_ON_BOTH_DATABASES(TreatmentApiTest);

}  // namespace
}  // namespace ips::testing
