// CitizenRegistry handlers for what is recorded during a course: job
// conversations, activities and social efforts, and consents.
#include "absl/strings/str_cat.h"
#include "ips/registry/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/violations.h"
#include "services/registry/registry_service.h"
#include "services/registry/resource_names.h"
#include "services/rules/consent_standing.h"

namespace ips::registry {
namespace {

// A business date that has happened: on or after `earliest`, not in the future.
absl::Status CheckPastDate(absl::CivilDay day, absl::CivilDay earliest, const std::string& field,
                           const std::string& earliest_what) {
  if (day < earliest)
    return errors::InvalidArgument(field, absl::StrCat("must not be before ", earliest_what));
  if (day > TodayInCopenhagen()) return errors::InvalidArgument(field, "must not be in the future");
  return absl::OkStatus();
}

v1::ActivityRecorded ActivityEvent(const EnrollmentRecord& e, const v1::Activity& a) {
  v1::ActivityRecorded event;
  event.set_enrollment_id(e.id);
  event.set_activity_id(LastSegment(a.name()));
  event.set_kind(a.kind());
  *event.mutable_start_date() = a.start_date();
  *event.mutable_end_date() = a.end_date();
  event.set_place(a.place());
  return event;
}

// A consent as callers see it: with where it stands today
// (rules/consent_standing.h). A registry consent is never given after the
// day it is recorded, so it is never "not yet valid".
v1::Consent WithState(v1::Consent c) {
  std::optional<absl::CivilDay> withdrawn;
  if (!IsUnset(c.withdrawn_date())) withdrawn = CivilDayOf(c.withdrawn_date());
  switch (rules::StandingOn({CivilDayOf(c.given_date()), CivilDayOf(c.expiry_date()), withdrawn},
                            TodayInCopenhagen())) {
    case rules::ConsentStanding::kWithdrawn:
      c.set_state(v1::CONSENT_STATE_WITHDRAWN);
      break;
    case rules::ConsentStanding::kExpired:
      c.set_state(v1::CONSENT_STATE_EXPIRED);
      break;
    case rules::ConsentStanding::kActive:
    case rules::ConsentStanding::kNotYetValid:
      c.set_state(v1::CONSENT_STATE_ACTIVE);
      break;
  }
  return c;
}

v1::ConsentChanged ConsentEvent(const v1::Consent& c) {
  v1::ConsentChanged event;
  event.set_consent_id(LastSegment(c.name()));
  event.set_scope(c.scope());
  *event.mutable_given_date() = c.given_date();
  *event.mutable_expiry_date() = c.expiry_date();
  *event.mutable_withdrawn_date() = c.withdrawn_date();
  return event;
}

}  // namespace

grpc::Status RegistryService::CreateJobConversation(grpc::ServerContext* ctx,
                                                    const v1::CreateJobConversationRequest* req,
                                                    v1::JobConversation* resp) {
  return core_.guard().Run(
      ctx, "CreateJobConversation", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto parent = ParseEnrollmentName(req->parent(), "parent");
        v.Merge(parent.status(), "parent");
        const auto& c = req->job_conversation();
        v.Enum(c.status(), v1::JobConversationStatus_IsValid, "job_conversation.status", true);
        v.Enum(c.place(), v1::ConversationPlace_IsValid, "job_conversation.place", true);
        auto date = v.Date(c.date(), "job_conversation.date", true);
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = parent->citizen_id;
        return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
          // A retry returns what it recorded, even once the course has ended.
          auto e = EnrollmentFor(s, *parent, false);
          if (!e.ok()) return e.status();
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            if (auto active = RequireActive(*e); !active.ok()) return active;
            if (auto d =
                    CheckPastDate(*date, e->start_date, "job_conversation.date", "the course's start date");
                !d.ok()) {
              return d;
            }
            const std::string id = RandomId();
            InsertConversation(s, *e, id, c, NowMicros());
            v1::JobConversationRecorded event;
            event.set_enrollment_id(e->id);
            event.set_status(c.status());
            *event.mutable_date() = c.date();
            event.set_place(c.place());
            core_.outbox().Append(s, parent->citizen_id, event);
            return absl::StrCat(e->enrollment.name(), "/jobConversations/", id);
          });
          if (!name.ok()) return name.status();
          auto row = LoadConversation(s, *e, LastSegment(*name));
          if (!row) return errors::NotFound(*name);
          *resp = *row;
          return absl::OkStatus();
        });
      });
}

grpc::Status RegistryService::ListJobConversations(grpc::ServerContext* ctx,
                                                   const v1::ListJobConversationsRequest* req,
                                                   v1::ListJobConversationsResponse* resp) {
  return core_.guard().Run(ctx, "ListJobConversations",
                           [&](const Caller& caller, CallRecord& rec) -> absl::Status {
                             auto parent = ParseEnrollmentName(req->parent(), "parent");
                             if (!parent.ok()) return parent.status();
                             rec.resource = req->parent();
                             rec.citizen_id = parent->citizen_id;
                             auto page = StartListPage(core_.page_tokens(), "ListJobConversations", *req);
                             if (!page.ok()) return page.status();
                             return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
                               auto e = EnrollmentFor(s, *parent, false);
                               if (!e.ok()) return e.status();
                               auto rows = SelectConversations(s, *e, page->after, page->fetch());
                               resp->set_next_page_token(FinishPage(rows, *page, ConversationKey));
                               for (auto& r : rows) *resp->add_job_conversations() = std::move(r);
                               return absl::OkStatus();
                             });
                           });
}

grpc::Status RegistryService::CreateActivity(grpc::ServerContext* ctx, const v1::CreateActivityRequest* req,
                                             v1::Activity* resp) {
  return core_.guard().Run(ctx, "CreateActivity", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto parent = ParseEnrollmentName(req->parent(), "parent");
    v.Merge(parent.status(), "parent");
    const auto& a = req->activity();
    v.Enum(a.kind(), v1::ActivityKind_IsValid, "activity.kind", true);
    v.Enum(a.place(), v1::ConversationPlace_IsValid, "activity.place", false);
    v.Text(a.description(), "activity.description", 500, false, TextLines::kMulti);
    auto start = v.Date(a.start_date(), "activity.start_date", true);
    auto end = v.Date(a.end_date(), "activity.end_date", false);
    if (start && end && *end < *start) v.Add("activity.end_date", "must not be before start_date");
    if (!v.empty()) return v.status();
    rec.resource = req->parent();
    rec.citizen_id = parent->citizen_id;
    return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      // A retry returns what it recorded, even once the course has ended.
      auto e = EnrollmentFor(s, *parent, false);
      if (!e.ok()) return e.status();
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        if (auto active = RequireActive(*e); !active.ok()) return active;
        if (*start < e->start_date) {
          return errors::InvalidArgument("activity.start_date", "must not be before the course's start date");
        }
        const std::string id = RandomId();
        InsertActivity(s, *e, id, a, NowMicros());
        core_.outbox().Append(s, parent->citizen_id, ActivityEvent(*e, LoadActivity(s, *e, id)->activity));
        return absl::StrCat(e->enrollment.name(), "/activities/", id);
      });
      if (!name.ok()) return name.status();
      auto row = LoadActivity(s, *e, LastSegment(*name));
      if (!row) return errors::NotFound(*name);
      *resp = row->activity;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::ListActivities(grpc::ServerContext* ctx, const v1::ListActivitiesRequest* req,
                                             v1::ListActivitiesResponse* resp) {
  return core_.guard().Run(ctx, "ListActivities", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto parent = ParseEnrollmentName(req->parent(), "parent");
    if (!parent.ok()) return parent.status();
    rec.resource = req->parent();
    rec.citizen_id = parent->citizen_id;
    auto page = StartListPage(core_.page_tokens(), "ListActivities", *req);
    if (!page.ok()) return page.status();
    return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto e = EnrollmentFor(s, *parent, false);
      if (!e.ok()) return e.status();
      auto rows = SelectActivities(s, *e, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, ActivityKey));
      for (auto& r : rows) *resp->add_activities() = std::move(r);
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::UpdateActivity(grpc::ServerContext* ctx, const v1::UpdateActivityRequest* req,
                                             v1::Activity* resp) {
  return core_.guard().Run(ctx, "UpdateActivity", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto name = ParseEnrollmentChildName(req->activity().name(), "activities", "activity.name");
    if (!name.ok()) return name.status();
    rec.resource = req->activity().name();
    rec.citizen_id = name->enrollment.citizen_id;
    auto mask_ok = ValidateUpdateMask(req->update_mask(), {"description", "end_date"},
                                      {"kind", "start_date", "place", "name"});
    if (!mask_ok.ok()) return mask_ok;
    std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
    Violations v;
    if (fields.count("description"))
      v.Text(req->activity().description(), "activity.description", 500, false, TextLines::kMulti);
    std::optional<absl::CivilDay> end;
    if (fields.count("end_date")) end = v.Date(req->activity().end_date(), "activity.end_date", false);
    if (!v.empty()) return v.status();
    return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto e = EnrollmentFor(s, name->enrollment, true);
      if (!e.ok()) return e.status();
      auto row = LoadActivity(s, *e, name->id);
      if (!row) return errors::NotFound(req->activity().name());
      if (auto c = CheckEtag(req->activity().etag(), row->activity.etag(), row->activity.name()); !c.ok()) {
        return c;
      }
      v1::Activity next = row->activity;
      if (fields.count("description")) next.set_description(req->activity().description());
      if (fields.count("end_date")) {
        if (end) {
          absl::CivilDay start(next.start_date().year(), next.start_date().month(), next.start_date().day());
          if (*end < start)
            return errors::InvalidArgument("activity.end_date", "must not be before start_date");
          *next.mutable_end_date() = ToProtoDate(*end);
        } else {
          next.clear_end_date();
        }
      }
      UpdateActivityRow(s, name->id, next, row->version + 1, NowMicros());
      auto updated = LoadActivity(s, *e, name->id);
      core_.outbox().Append(s, name->enrollment.citizen_id, ActivityEvent(*e, updated->activity));
      *resp = updated->activity;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::CreateConsent(grpc::ServerContext* ctx, const v1::CreateConsentRequest* req,
                                            v1::Consent* resp) {
  return core_.guard().Run(ctx, "CreateConsent", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    v.Merge(citizen_id.status(), "parent");
    const auto& c = req->consent();
    v.Enum(c.scope(), v1::ConsentScope_IsValid, "consent.scope", true);
    auto given = v.Date(c.given_date(), "consent.given_date", true);
    auto expiry = v.Date(c.expiry_date(), "consent.expiry_date", true);
    if (given && *given > TodayInCopenhagen()) v.Add("consent.given_date", "must not be in the future");
    if (given && expiry && *expiry < *given) v.Add("consent.expiry_date", "must not be before given_date");
    if (!v.empty()) return v.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      if (!LoadCitizen(s, *citizen_id)) return errors::NotFound(req->parent());
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        const std::string id = RandomId();
        v1::Consent consent = c;
        consent.set_recorded_by(caller.subject);
        InsertConsentRow(s, *citizen_id, id, consent, NowMicros());
        core_.outbox().Append(s, *citizen_id,
                              ConsentEvent(LoadConsentRow<v1::Consent>(s, *citizen_id, id)->consent));
        return absl::StrCat(req->parent(), "/consents/", id);
      });
      if (!name.ok()) return name.status();
      const std::string id = LastSegment(*name);
      auto row = LoadConsentRow<v1::Consent>(s, *citizen_id, id);
      if (!row) return errors::NotFound(absl::StrCat(req->parent(), "/consents/", id));
      *resp = WithState(row->consent);
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::ListConsents(grpc::ServerContext* ctx, const v1::ListConsentsRequest* req,
                                           v1::ListConsentsResponse* resp) {
  return core_.guard().Run(ctx, "ListConsents", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    auto page = StartListPage(core_.page_tokens(), "ListConsents", *req);
    if (!page.ok()) return page.status();
    return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      if (!LoadCitizen(s, *citizen_id)) return errors::NotFound(req->parent());
      auto rows = SelectConsents(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const auto& c) { return LastSegment(c.name()); }));
      for (auto& r : rows) *resp->add_consents() = WithState(std::move(r));
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::WithdrawConsent(grpc::ServerContext* ctx, const v1::WithdrawConsentRequest* req,
                                              v1::Consent* resp) {
  return core_.guard().Run(
      ctx, "WithdrawConsent", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParseConsentName(req->name(), "name");
        v.Merge(name.status(), "name");
        auto withdrawn = v.Date(req->withdrawn_date(), "withdrawn_date", true);
        if (withdrawn && *withdrawn > TodayInCopenhagen())
          v.Add("withdrawn_date", "must not be in the future");
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->citizen_id;
        return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
          auto row = LoadConsentRow<v1::Consent>(s, name->citizen_id, name->consent_id);
          if (!row) return errors::NotFound(req->name());
          if (auto c = CheckEtag(req->etag(), row->consent.etag(), row->consent.name()); !c.ok()) return c;
          if (!IsUnset(row->consent.withdrawn_date())) {
            return errors::FailedPrecondition("the consent is already withdrawn",
                                              {{"STATE", req->name(), "consent already withdrawn"}});
          }
          const auto& g = row->consent.given_date();
          if (*withdrawn < absl::CivilDay(g.year(), g.month(), g.day())) {
            return errors::InvalidArgument("withdrawn_date", "must not be before the consent's given_date");
          }
          UpdateConsentWithdrawn(s, name->consent_id, *withdrawn, row->version + 1, NowMicros());
          auto updated = LoadConsentRow<v1::Consent>(s, name->citizen_id, name->consent_id);
          core_.outbox().Append(s, name->citizen_id, ConsentEvent(updated->consent));
          *resp = WithState(updated->consent);
          return absl::OkStatus();
        });
      });
}

}  // namespace ips::registry
