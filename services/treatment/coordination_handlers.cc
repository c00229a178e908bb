// TreatmentCoordination handlers for what crosses to BIF: coordination
// notes, the citizen's consents, and the minimal treatment status.
#include "absl/strings/str_cat.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/stored_values.h"
#include "services/common/violations.h"
#include "services/treatment/domain/minimal_status.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_service.h"

namespace ips::treatment {
namespace {

constexpr size_t kMaxNote = 4000;
// A consent to share health information is given for a limited time; two
// years covers a course with follow-up.
constexpr int kMaxConsentDays = 731;
// Status questions may look ahead as far as an enrolment may start.
constexpr int kStatusDaysAhead = 366;

v1::ConsentState StateOn(const v1::Consent& c, absl::CivilDay today) {
  std::optional<absl::CivilDay> withdrawn;
  if (!IsUnset(c.withdrawn_date())) withdrawn = CivilDayOf(c.withdrawn_date());
  ConsentFact fact{static_cast<ConsentScope>(c.scope()), CivilDayOf(c.given_date()),
                   CivilDayOf(c.expiry_date()), withdrawn};
  switch (StandingOn(fact, today)) {
    case ConsentStanding::kActive:
      return v1::CONSENT_STATE_ACTIVE;
    case ConsentStanding::kNotYetValid:
      return v1::CONSENT_STATE_NOT_YET_VALID;
    case ConsentStanding::kExpired:
      return v1::CONSENT_STATE_EXPIRED;
    case ConsentStanding::kWithdrawn:
      return v1::CONSENT_STATE_WITHDRAWN;
  }
  return v1::CONSENT_STATE_UNSPECIFIED;
}

v1::Consent WithState(v1::Consent c) {
  c.set_state(StateOn(c, TodayInCopenhagen()));
  return c;
}

v1::MinimalStatus ToProto(MinimalStatus s) {
  switch (s) {
    case MinimalStatus::kNone:
      return v1::MINIMAL_STATUS_NONE;
    case MinimalStatus::kReferred:
      return v1::MINIMAL_STATUS_REFERRED;
    case MinimalStatus::kInTreatment:
      return v1::MINIMAL_STATUS_IN_TREATMENT;
    case MinimalStatus::kEnded:
      return v1::MINIMAL_STATUS_ENDED;
  }
  return v1::MINIMAL_STATUS_UNSPECIFIED;
}

}  // namespace

// --- coordination notes

grpc::Status TreatmentService::CreateCoordinationNote(grpc::ServerContext* ctx,
                                                      const v1::CreateCoordinationNoteRequest* req,
                                                      v1::CoordinationNote* resp) {
  return core_.guard().Run(
      ctx, "CreateCoordinationNote", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        v.Merge(citizen_id.status(), "parent");
        v.BusinessDate(req->note().note_date(), "note.note_date", true);
        v.Text(req->note().text(), "note.text", kMaxNote, true, TextLines::kMulti);
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          if (auto c =
                  CheckConsent(s, caller, rec, *citizen_id, ConsentScope::kCoordination, TodayInCopenhagen());
              !c.ok()) {
            return c;
          }
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            std::string id = RandomId();
            v1::CoordinationNote note = req->note();
            note.set_author(caller.subject);
            note.set_author_agency(caller.agency);
            InsertNote(s, *citizen_id, id, note, NowMicros());
            v1::CoordinationNoteRecorded event;
            event.set_note_id(id);
            *event.mutable_note_date() = note.note_date();
            event.set_by_bif(caller.agency == "BIF");
            core_.outbox().Append(s, *citizen_id, event);
            return ChildNameOf(*citizen_id, kNotes, id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto note = LoadNote(s, *citizen_id, LastSegment(*name));
          if (!note) return errors::NotFound(*name);
          *resp = *note;
          return absl::OkStatus();
        });
      });
}

grpc::Status TreatmentService::ListCoordinationNotes(grpc::ServerContext* ctx,
                                                     const v1::ListCoordinationNotesRequest* req,
                                                     v1::ListCoordinationNotesResponse* resp) {
  return core_.guard().Run(
      ctx, "ListCoordinationNotes", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        if (!citizen_id.ok()) return citizen_id.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;
        auto page = StartListPage(core_.page_tokens(), "ListCoordinationNotes", *req);
        if (!page.ok()) return page.status();
        return core_.db().Read([&](soci::session& s) -> absl::Status {
          if (auto c =
                  CheckConsent(s, caller, rec, *citizen_id, ConsentScope::kCoordination, TodayInCopenhagen());
              !c.ok()) {
            return c;
          }
          auto rows = SelectNotes(s, *citizen_id, page->after, page->fetch());
          resp->set_next_page_token(FinishPage(rows, *page, NoteKey));
          for (auto& n : rows) *resp->add_notes() = std::move(n);
          return absl::OkStatus();
        });
      });
}

// --- consents

grpc::Status TreatmentService::CreateConsent(grpc::ServerContext* ctx, const v1::CreateConsentRequest* req,
                                             v1::Consent* resp) {
  return core_.guard().Run(ctx, "CreateConsent", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    v.Merge(citizen_id.status(), "parent");
    const auto& in = req->consent();
    v.Enum(in.scope(), v1::ConsentScope_IsValid, "consent.scope", true);
    auto given = v.BusinessDate(in.given_date(), "consent.given_date", true);
    auto expiry = v.Date(in.expiry_date(), "consent.expiry_date", true);
    if (given && expiry && *expiry < *given) v.Add("consent.expiry_date", "must be on or after given_date");
    if (given && expiry && *expiry > *given + kMaxConsentDays) {
      v.Add("consent.expiry_date",
            absl::StrCat("must be at most ", kMaxConsentDays, " days after given_date"));
    }
    if (!v.empty()) return v.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        std::string id = RandomId();
        v1::Consent consent = in;
        consent.set_recorded_by(caller.subject);
        InsertConsentRow(s, *citizen_id, id, consent, NowMicros());
        return ChildNameOf(*citizen_id, kConsents, id);
      });
      if (!name.ok()) return name.status();
      rec.resource = *name;
      auto row = LoadConsentRow<v1::Consent>(s, *citizen_id, LastSegment(*name));
      if (!row) return errors::NotFound(*name);
      *resp = WithState(row->consent);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::ListConsents(grpc::ServerContext* ctx, const v1::ListConsentsRequest* req,
                                            v1::ListConsentsResponse* resp) {
  return core_.guard().Run(ctx, "ListConsents", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    auto page = StartListPage(core_.page_tokens(), "ListConsents", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectConsents(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, ConsentKey));
      for (auto& c : rows) *resp->add_consents() = WithState(std::move(c));
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::WithdrawConsent(grpc::ServerContext* ctx,
                                               const v1::WithdrawConsentRequest* req, v1::Consent* resp) {
  return core_.guard().Run(
      ctx, "WithdrawConsent", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParseChildName(req->name(), kConsents, "name");
        v.Merge(name.status(), "name");
        auto withdrawn = v.BusinessDate(req->withdrawn_date(), "withdrawn_date", true);
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto row = LoadConsentRow<v1::Consent>(s, name->citizen_id, name->id);
          if (!row) return errors::NotFound(req->name());
          if (auto e = CheckEtag(req->etag(), row->consent.etag(), row->consent.name()); !e.ok()) return e;
          if (!IsUnset(row->consent.withdrawn_date())) {
            return errors::FailedPrecondition(
                "the consent is already withdrawn",
                {{"STATE", row->consent.name(),
                  absl::StrCat("withdrawn on ", DateText(row->consent.withdrawn_date()))}});
          }
          if (*withdrawn < CivilDayOf(row->consent.given_date())) {
            return errors::InvalidArgument(
                "withdrawn_date",
                absl::StrCat("must be on or after the given date ", DateText(row->consent.given_date())));
          }
          UpdateConsentWithdrawn(s, name->id, *withdrawn, row->version + 1, NowMicros());
          *resp = WithState(LoadConsentRow<v1::Consent>(s, name->citizen_id, name->id)->consent);
          return absl::OkStatus();
        });
      });
}

// --- the minimal disclosure

grpc::Status TreatmentService::GetTreatmentStatus(grpc::ServerContext* ctx,
                                                  const v1::GetTreatmentStatusRequest* req,
                                                  v1::TreatmentStatus* resp) {
  return core_.guard().Run(
      ctx, "GetTreatmentStatus", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto citizen_id = ParseTreatmentStatusName(req->name(), "name");
        v.Merge(citizen_id.status(), "name");
        auto as_of = v.BusinessDate(req->as_of(), "as_of", false, kStatusDaysAhead);
        if (!v.empty()) return v.status();
        const absl::CivilDay on = as_of.value_or(TodayInCopenhagen());
        rec.resource = req->name();
        rec.citizen_id = *citizen_id;
        return core_.db().Read([&](soci::session& s) -> absl::Status {
          if (auto c = CheckConsent(s, caller, rec, *citizen_id, ConsentScope::kTreatmentStatus, on); !c.ok())
            return c;
          const StatusFacts facts = StatusFactsOf(s, *citizen_id);
          const StatusSince status = DeriveMinimalStatus(facts.referrals, facts.episodes, on);
          resp->set_name(req->name());
          resp->set_status(ToProto(status.status));
          if (status.since) *resp->mutable_since() = ToProtoDate(*status.since);
          *resp->mutable_as_of() = ToProtoDate(on);
          return absl::OkStatus();
        });
      });
}

}  // namespace ips::treatment
