// Bad input to the treatment service gets the exact status code, names the
// field, and writes nothing: no row, no event, no request id.
#include <gtest/gtest.h>

#include <functional>

#include "tests/support/bad_input.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

class TreatmentBadInputTest : public TreatmentFixture {
 protected:
  long long Rows() {
    return CountRows(server_->core(), {"units", "outreach_contacts", "referrals", "episodes",
                                       "coordination_notes", "consents", "request_ids", "outbox"});
  }
};

google::type::Date Date(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

TEST_P(TreatmentBadInputTest, EveryBadInputIsRefusedAndNothingIsWritten) {
  const std::string anna = "citizens/anna-1";
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  auto referral = Refer(anna, DaysFromToday(-3), unit.name());
  auto other = Refer("citizens/bo-2", DaysFromToday(-3));
  auto episode = StartEpisode(anna, unit.name(), DaysFromToday(-1));
  auto consent =
      GiveConsent(anna, tv1::CONSENT_SCOPE_TREATMENT_STATUS, DaysFromToday(-5), DaysFromToday(100));
  const std::string sof = SofTreatmentToken();
  const auto today = ToProtoDate(DaysFromToday(0));
  using C = grpc::StatusCode;
  const C bad = C::INVALID_ARGUMENT;

  auto unit_create = [&](std::function<void(tv1::CreateTreatmentUnitRequest&)> f) {
    return [&, f] {
      tv1::CreateTreatmentUnitRequest r;
      r.mutable_unit()->set_display_name("Unit");
      f(r);
      tv1::TreatmentUnit out;
      return stub_->CreateTreatmentUnit(Ctx(sof).get(), r, &out);
    };
  };
  auto unit_update = [&](std::function<void(tv1::UpdateTreatmentUnitRequest&)> f) {
    return [&, f] {
      tv1::UpdateTreatmentUnitRequest r;
      *r.mutable_unit() = unit;
      r.mutable_update_mask()->add_paths("display_name");
      f(r);
      tv1::TreatmentUnit out;
      return stub_->UpdateTreatmentUnit(Ctx(sof).get(), r, &out);
    };
  };
  auto outreach = [&](std::function<void(tv1::CreateOutreachContactRequest&)> f) {
    return [&, f] {
      tv1::CreateOutreachContactRequest r;
      r.set_parent(anna);
      *r.mutable_contact()->mutable_contact_date() = today;
      r.mutable_contact()->set_place(tv1::OUTREACH_PLACE_HOME);
      r.mutable_contact()->set_result(tv1::OUTREACH_RESULT_MET);
      f(r);
      tv1::OutreachContact out;
      return stub_->CreateOutreachContact(Ctx(SofOutreachToken()).get(), r, &out);
    };
  };
  auto refer = [&](std::function<void(tv1::CreateReferralRequest&)> f, std::string token = "") {
    return [&, f, token] {
      tv1::CreateReferralRequest r;
      r.set_parent(anna);
      r.mutable_referral()->set_referred_by(tv1::REFERRER_SELF);
      *r.mutable_referral()->mutable_request_date() = today;
      f(r);
      tv1::Referral out;
      return stub_->CreateReferral(Ctx(token.empty() ? sof : token).get(), r, &out);
    };
  };
  auto list_referrals = [&](std::function<void(tv1::ListReferralsRequest&)> f) {
    return [&, f] {
      tv1::ListReferralsRequest r;
      r.set_parent("citizens/-");
      f(r);
      tv1::ListReferralsResponse out;
      return stub_->ListReferrals(Ctx(sof).get(), r, &out);
    };
  };
  auto offer = [&](std::function<void(tv1::RecordTreatmentOfferRequest&)> f) {
    return [&, f] {
      tv1::RecordTreatmentOfferRequest r;
      r.set_name(other.name());
      *r.mutable_offered_date() = today;
      r.set_unit(unit.name());
      f(r);
      tv1::Referral out;
      return stub_->RecordTreatmentOffer(Ctx(sof).get(), r, &out);
    };
  };
  auto start = [&](std::function<void(tv1::CreateTreatmentEpisodeRequest&)> f) {
    return [&, f] {
      tv1::CreateTreatmentEpisodeRequest r;
      r.set_parent("citizens/bo-2");
      r.mutable_episode()->set_unit(unit.name());
      r.mutable_episode()->set_modality(tv1::MODALITY_DAY);
      *r.mutable_episode()->mutable_start_date() = today;
      f(r);
      tv1::TreatmentEpisode out;
      return stub_->CreateTreatmentEpisode(Ctx(sof).get(), r, &out);
    };
  };
  auto end = [&](std::function<void(tv1::EndTreatmentEpisodeRequest&)> f) {
    return [&, f] {
      tv1::EndTreatmentEpisodeRequest r;
      r.set_name(episode.name());
      *r.mutable_end_date() = today;
      r.set_end_reason(tv1::EPISODE_END_REASON_MOVED);
      f(r);
      tv1::TreatmentEpisode out;
      return stub_->EndTreatmentEpisode(Ctx(sof).get(), r, &out);
    };
  };
  auto note = [&](std::function<void(tv1::CreateCoordinationNoteRequest&)> f) {
    return [&, f] {
      tv1::CreateCoordinationNoteRequest r;
      r.set_parent(anna);
      *r.mutable_note()->mutable_note_date() = today;
      r.mutable_note()->set_text("text");
      f(r);
      tv1::CoordinationNote out;
      return stub_->CreateCoordinationNote(Ctx(sof).get(), r, &out);
    };
  };
  auto give = [&](std::function<void(tv1::CreateConsentRequest&)> f) {
    return [&, f] {
      tv1::CreateConsentRequest r;
      r.set_parent(anna);
      r.mutable_consent()->set_scope(tv1::CONSENT_SCOPE_COORDINATION);
      *r.mutable_consent()->mutable_given_date() = today;
      *r.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysFromToday(30));
      f(r);
      tv1::Consent out;
      return stub_->CreateConsent(Ctx(sof).get(), r, &out);
    };
  };
  auto withdraw = [&](std::function<void(tv1::WithdrawConsentRequest&)> f) {
    return [&, f] {
      tv1::WithdrawConsentRequest r;
      r.set_name(consent.name());
      *r.mutable_withdrawn_date() = today;
      f(r);
      tv1::Consent out;
      return stub_->WithdrawConsent(Ctx(sof).get(), r, &out);
    };
  };
  auto status = [&](std::function<void(tv1::GetTreatmentStatusRequest&)> f) {
    return [&, f] {
      tv1::GetTreatmentStatusRequest r;
      r.set_name(anna + "/treatmentStatus");
      f(r);
      tv1::TreatmentStatus out;
      return stub_->GetTreatmentStatus(Ctx(sof).get(), r, &out);
    };
  };

  const std::vector<BadCase> cases = {
      {"unit without name", bad, "unit.display_name",
       unit_create([](auto& r) { r.mutable_unit()->clear_display_name(); })},
      {"unit name too long", bad, "unit.display_name",
       unit_create([](auto& r) { r.mutable_unit()->set_display_name(std::string(201, 'x')); })},
      {"request id too long", bad, "request_id",
       unit_create([](auto& r) { r.set_request_id(std::string(101, 'r')); })},
      {"get unit bad name", bad, "name",
       [&] {
         tv1::GetTreatmentUnitRequest r;
         r.set_name("units/");
         tv1::TreatmentUnit out;
         return stub_->GetTreatmentUnit(Ctx(sof).get(), r, &out);
       }},
      {"list units bad size", bad, "page_size",
       [&] {
         tv1::ListTreatmentUnitsRequest r;
         r.set_page_size(-1);
         tv1::ListTreatmentUnitsResponse out;
         return stub_->ListTreatmentUnits(Ctx(sof).get(), r, &out);
       }},
      {"list units forged token", bad, "page_token",
       [&] {
         tv1::ListTreatmentUnitsRequest r;
         r.set_page_token("Zm9yZ2Vk");
         tv1::ListTreatmentUnitsResponse out;
         return stub_->ListTreatmentUnits(Ctx(sof).get(), r, &out);
       }},
      {"update without mask", bad, "update_mask", unit_update([](auto& r) { r.clear_update_mask(); })},
      {"update unknown path", bad, "update_mask",
       unit_update([](auto& r) { r.mutable_update_mask()->add_paths("colour"); })},
      {"update missing unit", C::NOT_FOUND, "",
       unit_update([](auto& r) { r.mutable_unit()->set_name("units/nope"); })},
      {"outreach bad parent", bad, "parent", outreach([](auto& r) { r.set_parent("citizens/-"); })},
      {"outreach in the future", bad, "contact.contact_date", outreach([](auto& r) {
         *r.mutable_contact()->mutable_contact_date() = ToProtoDate(DaysFromToday(1));
       })},
      {"outreach unknown place", bad, "contact.place",
       outreach([](auto& r) { r.mutable_contact()->set_place(static_cast<tv1::OutreachPlace>(99)); })},
      {"outreach without result", bad, "contact.result",
       outreach([](auto& r) { r.mutable_contact()->clear_result(); })},
      {"referral without referrer", bad, "referral.referred_by",
       refer([](auto& r) { r.mutable_referral()->clear_referred_by(); })},
      {"referral before 2015", bad, "referral.request_date",
       refer([](auto& r) { *r.mutable_referral()->mutable_request_date() = Date(2014, 12, 31); })},
      {"referral impossible date", bad, "referral.request_date",
       refer([](auto& r) { *r.mutable_referral()->mutable_request_date() = Date(2026, 2, 30); })},
      {"referral unspecified substance", bad, "referral.substances[0]",
       refer([](auto& r) { r.mutable_referral()->add_substances(tv1::SUBSTANCE_UNSPECIFIED); })},
      {"referral substance twice", bad, "referral.substances[1]", refer([](auto& r) {
         r.mutable_referral()->add_substances(tv1::SUBSTANCE_OPIOIDS);
         r.mutable_referral()->add_substances(tv1::SUBSTANCE_OPIOIDS);
       })},
      {"referral bad unit", bad, "referral.unit",
       refer([](auto& r) { r.mutable_referral()->set_unit("unit-1"); })},
      {"referral unknown unit", C::NOT_FOUND, "",
       refer([](auto& r) { r.mutable_referral()->set_unit("units/nope"); })},
      {"BIF refers as outreach", bad, "referral.referred_by",
       refer([](auto& r) { r.mutable_referral()->set_referred_by(tv1::REFERRER_OUTREACH); },
             ConsultantToken())},
      {"get referral wrong collection", bad, "name",
       [&] {
         tv1::GetReferralRequest r;
         r.set_name(episode.name());
         tv1::Referral out;
         return stub_->GetReferral(Ctx(sof).get(), r, &out);
       }},
      {"get referral missing", C::NOT_FOUND, "",
       [&] {
         tv1::GetReferralRequest r;
         r.set_name(anna + "/referrals/nope");
         tv1::Referral out;
         return stub_->GetReferral(Ctx(sof).get(), r, &out);
       }},
      {"at risk false", bad, "filter", list_referrals([](auto& r) { r.set_filter("at_risk = false"); })},
      {"unknown filter field", bad, "filter", list_referrals([](auto& r) { r.set_filter("colour = red"); })},
      {"filter bad unit", bad, "filter", list_referrals([](auto& r) { r.set_filter("unit = x"); })},
      {"list referrals bad parent", bad, "parent", list_referrals([](auto& r) { r.set_parent("people/-"); })},
      {"offer without date", bad, "offered_date", offer([](auto& r) { r.clear_offered_date(); })},
      {"offer bad unit", bad, "unit", offer([](auto& r) { r.set_unit("x"); })},
      {"offer before the request", bad, "offered_date",
       offer([](auto& r) { *r.mutable_offered_date() = ToProtoDate(DaysFromToday(-4)); })},
      {"offer unknown referral", C::NOT_FOUND, "",
       offer([](auto& r) { r.set_name("citizens/bo-2/referrals/nope"); })},
      {"episode without unit", bad, "episode.unit",
       start([](auto& r) { r.mutable_episode()->clear_unit(); })},
      {"episode without modality", bad, "episode.modality",
       start([](auto& r) { r.mutable_episode()->clear_modality(); })},
      {"episode too far ahead", bad, "episode.start_date",
       start([](auto& r) { *r.mutable_episode()->mutable_start_date() = ToProtoDate(DaysFromToday(31)); })},
      {"episode bad diagnosis", bad, "episode.diagnosis_code",
       start([](auto& r) { r.mutable_episode()->set_diagnosis_code("J45"); })},
      {"episode another citizen's referral", bad, "episode.referral",
       start([&](auto& r) { r.mutable_episode()->set_referral(referral.name()); })},
      {"episode unknown referral", C::NOT_FOUND, "",
       start([](auto& r) { r.mutable_episode()->set_referral("citizens/bo-2/referrals/nope"); })},
      {"episode before its referral", bad, "episode.start_date", start([&](auto& r) {
         r.mutable_episode()->set_referral(other.name());
         *r.mutable_episode()->mutable_start_date() = ToProtoDate(DaysFromToday(-5));
       })},
      {"episode for a citizen in treatment", C::FAILED_PRECONDITION, "",
       start([&](auto& r) { r.set_parent(anna); })},
      {"end without reason", bad, "end_reason", end([](auto& r) { r.clear_end_reason(); })},
      {"end impossible date", bad, "end_date",
       end([](auto& r) { *r.mutable_end_date() = Date(2026, 13, 1); })},
      {"note without text", bad, "note.text", note([](auto& r) { r.mutable_note()->clear_text(); })},
      {"note too long", bad, "note.text",
       note([](auto& r) { r.mutable_note()->set_text(std::string(4001, 'n')); })},
      {"note without date", bad, "note.note_date",
       note([](auto& r) { r.mutable_note()->clear_note_date(); })},
      {"consent without scope", bad, "consent.scope",
       give([](auto& r) { r.mutable_consent()->clear_scope(); })},
      {"consent expiring before given", bad, "consent.expiry_date",
       give([](auto& r) { *r.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysFromToday(-1)); })},
      {"consent for too long", bad, "consent.expiry_date",
       give([](auto& r) { *r.mutable_consent()->mutable_expiry_date() = ToProtoDate(DaysFromToday(800)); })},
      {"withdrawn before given", bad, "withdrawn_date",
       withdraw([](auto& r) { *r.mutable_withdrawn_date() = ToProtoDate(DaysFromToday(-6)); })},
      {"withdraw bad name", bad, "name", withdraw([](auto& r) { r.set_name("citizens/anna-1/consent/x"); })},
      {"withdraw stale etag", C::ABORTED, "", withdraw([](auto& r) { r.set_etag("v9"); })},
      {"status of a citizen", bad, "name", status([&](auto& r) { r.set_name(anna); })},
      {"status two years ahead", bad, "as_of",
       status([](auto& r) { *r.mutable_as_of() = ToProtoDate(DaysFromToday(800)); })},
  };
  ExpectRefusedWithoutWrites(cases, [&] { return Rows(); });
}

TEST_P(TreatmentBadInputTest, ANegativeEventCursorIsRefused) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + Token("reporting", "JOINT", {"event_reader"}));
  common::v1::StreamEventsRequest req;
  req.set_after_sequence(-1);
  auto feed = server_->Stub("reporting");
  auto reader = feed->StreamEvents(&ctx, req);
  common::v1::Event e;
  EXPECT_FALSE(reader->Read(&e));
  auto s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"after_sequence"});
}

IPS_ON_BOTH_DATABASES(TreatmentBadInputTest);

}  // namespace
}  // namespace ips::testing
