// TreatmentCoordination handlers for SOF's care records: treatment units,
// outreach contacts, referrals with the guarantee, treatment episodes.
#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/stored_values.h"
#include "services/common/violations.h"
#include "services/treatment/resource_names.h"
#include "services/treatment/treatment_service.h"

namespace ips::treatment {
namespace {

constexpr size_t kMaxText = 200;
// Treatment may be booked a little ahead; a month is the longest wait the
// units plan with.
constexpr int kDaysAhead = 30;

// What a caller outside SOF may see of a referral it made: that it exists
// and when it was asked for, nothing about substances, unit or guarantee.
v1::Referral Redacted(const v1::Referral& r) {
  v1::Referral out;
  out.set_name(r.name());
  out.set_referred_by(r.referred_by());
  *out.mutable_request_date() = r.request_date();
  *out.mutable_create_time() = r.create_time();
  out.set_redacted(true);
  return out;
}

// ICD-10 substance-use disorders: F10–F19, optionally with a subdivision.
bool ValidDiagnosisCode(const std::string& code) {
  static const std::regex kPattern("F1[0-9](\\.[0-9]{1,2})?");
  return code.size() <= 8 && std::regex_match(code, kPattern);
}

// A unit that exists (NOT_FOUND) and takes referrals (FAILED_PRECONDITION).
absl::Status CheckUnitOpen(soci::session& s, const std::string& unit_id) {
  auto unit = LoadUnit(s, unit_id);
  if (!unit) return errors::NotFound(UnitName(unit_id));
  if (!unit->unit.active()) {
    return errors::FailedPrecondition("the unit takes no new citizens",
                                      {{"UNIT", UnitName(unit_id), "unit is inactive"}});
  }
  return absl::OkStatus();
}

}  // namespace

// --- units

grpc::Status TreatmentService::CreateTreatmentUnit(grpc::ServerContext* ctx,
                                                   const v1::CreateTreatmentUnitRequest* req,
                                                   v1::TreatmentUnit* resp) {
  return core_.guard().Run(
      ctx, "CreateTreatmentUnit", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        v.Text(req->unit().display_name(), "unit.display_name", kMaxText, true);
        v.Text(req->unit().address(), "unit.address", kMaxText, false);
        if (!v.empty()) return v.status();
        rec.resource = "units";
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            std::string id = RandomId();
            v1::TreatmentUnit unit = req->unit();
            unit.set_active(true);  // a new unit takes referrals
            InsertUnit(s, id, unit, NowMicros());
            return UnitName(id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto row = LoadUnit(s, LastSegment(*name));
          if (!row) return errors::NotFound(*name);
          *resp = row->unit;
          return absl::OkStatus();
        });
      });
}

grpc::Status TreatmentService::GetTreatmentUnit(grpc::ServerContext* ctx,
                                                const v1::GetTreatmentUnitRequest* req,
                                                v1::TreatmentUnit* resp) {
  return core_.guard().Run(ctx, "GetTreatmentUnit", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto id = ParseUnitName(req->name(), "name");
    if (!id.ok()) return id.status();
    rec.resource = req->name();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto row = LoadUnit(s, *id);
      if (!row) return errors::NotFound(req->name());
      *resp = row->unit;
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::ListTreatmentUnits(grpc::ServerContext* ctx,
                                                  const v1::ListTreatmentUnitsRequest* req,
                                                  v1::ListTreatmentUnitsResponse* resp) {
  return core_.guard().Run(ctx, "ListTreatmentUnits", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "units";
    auto page = StartPage(core_.page_tokens(), "ListTreatmentUnits", req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectUnits(s, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const auto& u) { return LastSegment(u.name()); }));
      for (auto& u : rows) *resp->add_units() = std::move(u);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::UpdateTreatmentUnit(grpc::ServerContext* ctx,
                                                   const v1::UpdateTreatmentUnitRequest* req,
                                                   v1::TreatmentUnit* resp) {
  return core_.guard().Run(
      ctx, "UpdateTreatmentUnit", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto id = ParseUnitName(req->unit().name(), "unit.name");
        if (!id.ok()) return id.status();
        rec.resource = req->unit().name();
        if (auto mask = ValidateUpdateMask(req->update_mask(), {"display_name", "address", "active"});
            !mask.ok()) {
          return mask;
        }
        std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
        Violations v;
        if (fields.count("display_name"))
          v.Text(req->unit().display_name(), "unit.display_name", kMaxText, true);
        if (fields.count("address")) v.Text(req->unit().address(), "unit.address", kMaxText, false);
        if (!v.empty()) return v.status();
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto current = LoadUnit(s, *id);
          if (!current) return errors::NotFound(req->unit().name());
          if (auto e = CheckEtag(req->unit().etag(), current->unit.etag(), current->unit.name()); !e.ok())
            return e;
          v1::TreatmentUnit next = current->unit;
          if (fields.count("display_name")) next.set_display_name(req->unit().display_name());
          if (fields.count("address")) next.set_address(req->unit().address());
          if (fields.count("active")) next.set_active(req->unit().active());
          UpdateUnitRow(s, *id, next, current->version + 1, NowMicros());
          *resp = LoadUnit(s, *id)->unit;
          return absl::OkStatus();
        });
      });
}

// --- outreach contacts

grpc::Status TreatmentService::CreateOutreachContact(grpc::ServerContext* ctx,
                                                     const v1::CreateOutreachContactRequest* req,
                                                     v1::OutreachContact* resp) {
  return core_.guard().Run(
      ctx, "CreateOutreachContact", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        v.Merge(citizen_id.status(), "parent");
        const auto& in = req->contact();
        auto date = v.BusinessDate(in.contact_date(), "contact.contact_date", true);
        v.Enum(in.place(), v1::OutreachPlace_IsValid, "contact.place", true);
        v.Enum(in.result(), v1::OutreachResult_IsValid, "contact.result", true);
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            std::string id = RandomId();
            v1::OutreachContact contact = in;
            contact.set_recorded_by(caller.subject);
            InsertOutreachContact(s, *citizen_id, id, contact, NowMicros());
            v1::OutreachContactRecorded event;
            event.set_contact_id(id);
            *event.mutable_contact_date() = ToProtoDate(*date);
            event.set_result(in.result());
            core_.outbox().Append(s, *citizen_id, event);
            return ChildNameOf(*citizen_id, kOutreachContacts, id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto contact = LoadOutreachContact(s, *citizen_id, LastSegment(*name));
          if (!contact) return errors::NotFound(*name);
          *resp = *contact;
          return absl::OkStatus();
        });
      });
}

grpc::Status TreatmentService::ListOutreachContacts(grpc::ServerContext* ctx,
                                                    const v1::ListOutreachContactsRequest* req,
                                                    v1::ListOutreachContactsResponse* resp) {
  return core_.guard().Run(ctx, "ListOutreachContacts", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    auto page = StartPage(core_.page_tokens(), absl::StrCat("ListOutreachContacts|", req->parent()),
                          req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectOutreachContacts(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, OutreachKey));
      for (auto& c : rows) *resp->add_contacts() = std::move(c);
      return absl::OkStatus();
    });
  });
}

// --- referrals

grpc::Status TreatmentService::CreateReferral(grpc::ServerContext* ctx, const v1::CreateReferralRequest* req,
                                              v1::Referral* resp) {
  return core_.guard().Run(ctx, "CreateReferral", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    v.Merge(citizen_id.status(), "parent");
    const auto& in = req->referral();
    v.Enum(in.referred_by(), v1::Referrer_IsValid, "referral.referred_by", true);
    if (!IsSof(caller) && in.referred_by() != v1::REFERRER_IPS_CONSULTANT) {
      v.Add("referral.referred_by", "must be REFERRER_IPS_CONSULTANT for a caller outside SOF");
    }
    auto requested = v.BusinessDate(in.request_date(), "referral.request_date", true);
    std::set<int> seen;
    for (int i = 0; i < in.substances_size(); ++i) {
      const std::string field = absl::StrCat("referral.substances[", i, "]");
      v.Enum(in.substances(i), v1::Substance_IsValid, field, true);
      if (!seen.insert(in.substances(i)).second) v.Add(field, "is listed twice");
    }
    std::string unit_id;
    if (!in.unit().empty()) {
      auto u = ParseUnitName(in.unit(), "referral.unit");
      v.Merge(u.status(), "referral.unit");
      if (u.ok()) unit_id = *u;
    }
    if (!v.empty()) return v.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        if (!unit_id.empty()) {
          if (auto open = CheckUnitOpen(s, unit_id); !open.ok()) return open;
        }
        ReferralRecord r;
        r.id = RandomId();
        r.citizen_id = *citizen_id;
        r.unit_id = unit_id;
        r.request_date = *requested;
        r.deadline = GuaranteeDeadline(*requested, guarantee_);
        r.referral = in;
        InsertReferral(s, r, NowMicros());
        v1::ReferralCreated event;
        event.set_referral_id(r.id);
        *event.mutable_request_date() = ToProtoDate(r.request_date);
        event.set_referred_by(in.referred_by());
        *event.mutable_deadline() = ToProtoDate(r.deadline);
        core_.outbox().Append(s, *citizen_id, event);
        return ChildNameOf(*citizen_id, kReferrals, r.id);
      });
      if (!name.ok()) return name.status();
      rec.resource = *name;
      auto r = LoadReferral(s, *citizen_id, LastSegment(*name));
      if (!r) return errors::NotFound(*name);
      FillGuarantee(*r, TodayInCopenhagen());
      *resp = IsSof(caller) ? r->referral : Redacted(r->referral);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::GetReferral(grpc::ServerContext* ctx, const v1::GetReferralRequest* req,
                                           v1::Referral* resp) {
  return core_.guard().Run(ctx, "GetReferral", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto name = ParseChildName(req->name(), kReferrals, "name");
    if (!name.ok()) return name.status();
    rec.resource = req->name();
    rec.citizen_id = name->citizen_id;
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto r = LoadReferral(s, name->citizen_id, name->id);
      if (!r) return errors::NotFound(req->name());
      FillGuarantee(*r, TodayInCopenhagen());
      *resp = IsSof(caller) ? r->referral : Redacted(r->referral);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::ListReferrals(grpc::ServerContext* ctx, const v1::ListReferralsRequest* req,
                                             v1::ListReferralsResponse* resp) {
  return core_.guard().Run(ctx, "ListReferrals", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenParent(req->parent(), "parent", true);
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = absl::StrCat(req->parent(), "/referrals?", req->filter());
    rec.citizen_id = *citizen_id;
    auto terms = ParseFilter(req->filter(), {"at_risk", "unit"});
    if (!terms.ok()) return terms.status();
    const absl::CivilDay today = TodayInCopenhagen();
    ReferralFilter filter;
    filter.citizen_id = *citizen_id;
    for (const auto& t : *terms) {
      if (t.field == "at_risk") {
        if (t.value != "true") return errors::InvalidArgument("filter", "at_risk takes only the value true");
        filter.open_due_by = today + guarantee_.warn_days;
      } else {
        auto unit = ParseUnitName(t.value, "filter");
        if (!unit.ok()) return unit.status();
        filter.unit_id = *unit;
      }
    }
    auto page =
        StartPage(core_.page_tokens(), absl::StrCat("ListReferrals|", req->parent(), "|", req->filter()),
                  req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectReferrals(s, filter, page->after, page->fetch());
      resp->set_next_page_token(
          FinishPage(rows, *page, [&](const ReferralRecord& r) { return ReferralKey(filter, r); }));
      for (auto& r : rows) {
        FillGuarantee(r, today);
        *resp->add_referrals() = IsSof(caller) ? r.referral : Redacted(r.referral);
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::RecordTreatmentOffer(grpc::ServerContext* ctx,
                                                    const v1::RecordTreatmentOfferRequest* req,
                                                    v1::Referral* resp) {
  return core_.guard().Run(
      ctx, "RecordTreatmentOffer", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParseChildName(req->name(), kReferrals, "name");
        v.Merge(name.status(), "name");
        auto offered = v.BusinessDate(req->offered_date(), "offered_date", true);
        std::string unit_id;
        if (!req->unit().empty()) {
          auto u = ParseUnitName(req->unit(), "unit");
          v.Merge(u.status(), "unit");
          if (u.ok()) unit_id = *u;
        }
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto r = LoadReferral(s, name->citizen_id, name->id);
          if (!r) return errors::NotFound(req->name());
          if (auto e = CheckEtag(req->etag(), r->referral.etag(), r->referral.name()); !e.ok()) return e;
          if (r->offered) {
            return errors::FailedPrecondition(
                "treatment was already offered for this referral",
                {{"STATE", r->referral.name(), absl::StrCat("offered on ", FormatDay(*r->offered))}});
          }
          if (*offered < r->request_date) {
            return errors::InvalidArgument(
                "offered_date",
                absl::StrCat("must be on or after the request date ", FormatDay(r->request_date)));
          }
          if (unit_id.empty() && r->unit_id.empty()) {
            return errors::InvalidArgument("unit", "is required: the referral has no unit yet");
          }
          if (!unit_id.empty()) {
            if (auto open = CheckUnitOpen(s, unit_id); !open.ok()) return open;
            r->unit_id = unit_id;
          }
          r->offered = *offered;
          r->version += 1;
          UpdateReferralOffer(s, *r, NowMicros());
          v1::TreatmentOffered event;
          event.set_referral_id(r->id);
          *event.mutable_offered_date() = ToProtoDate(*offered);
          event.set_guarantee_met(*offered <= r->deadline);
          core_.outbox().Append(s, r->citizen_id, event);
          auto updated = LoadReferral(s, name->citizen_id, name->id);
          FillGuarantee(*updated, TodayInCopenhagen());
          *resp = updated->referral;
          return absl::OkStatus();
        });
      });
}

// --- episodes

grpc::Status TreatmentService::CreateTreatmentEpisode(grpc::ServerContext* ctx,
                                                      const v1::CreateTreatmentEpisodeRequest* req,
                                                      v1::TreatmentEpisode* resp) {
  return core_.guard().Run(
      ctx, "CreateTreatmentEpisode", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        v.Merge(citizen_id.status(), "parent");
        const auto& in = req->episode();
        auto unit_id = ParseUnitName(in.unit(), "episode.unit");
        v.Merge(unit_id.status(), "episode.unit");
        v.Enum(in.modality(), v1::Modality_IsValid, "episode.modality", true);
        auto start = v.BusinessDate(in.start_date(), "episode.start_date", true, kDaysAhead);
        if (!in.diagnosis_code().empty() && !ValidDiagnosisCode(in.diagnosis_code())) {
          v.Add("episode.diagnosis_code",
                "must be an ICD-10 code F10 to F19, optionally with a subdivision (F10.2)");
        }
        std::optional<ChildName> referral;
        if (!in.referral().empty()) {
          auto r = ParseChildName(in.referral(), kReferrals, "episode.referral");
          v.Merge(r.status(), "episode.referral");
          if (r.ok() && citizen_id.ok() && r->citizen_id != *citizen_id) {
            v.Add("episode.referral", "must be a referral of the same citizen");
          }
          if (r.ok()) referral = *r;
        }
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            if (auto open = CheckUnitOpen(s, *unit_id); !open.ok()) return open;
            if (HasActiveEpisode(s, *citizen_id)) {
              return errors::FailedPrecondition(
                  "the citizen is already in treatment",
                  {{"STATE", req->parent(), "an active episode exists; end it first (reason transferred)"}});
            }
            EpisodeRecord e;
            e.id = RandomId();
            e.citizen_id = *citizen_id;
            e.episode = in;
            if (referral) {
              auto r = LoadReferral(s, referral->citizen_id, referral->id);
              if (!r) return errors::NotFound(in.referral());
              if (*start < r->request_date) {
                return errors::InvalidArgument(
                    "episode.start_date", absl::StrCat("must be on or after the referral's request date ",
                                                       FormatDay(r->request_date)));
              }
              // Starting treatment is the latest possible offer.
              if (!r->offered) {
                r->offered = *start;
                if (r->unit_id.empty()) r->unit_id = *unit_id;
                r->version += 1;
                UpdateReferralOffer(s, *r, NowMicros());
                v1::TreatmentOffered offered;
                offered.set_referral_id(r->id);
                *offered.mutable_offered_date() = ToProtoDate(*start);
                offered.set_guarantee_met(*start <= r->deadline);
                core_.outbox().Append(s, *citizen_id, offered);
              }
            }
            InsertEpisode(s, e, NowMicros());
            v1::TreatmentStarted event;
            event.set_episode_id(e.id);
            *event.mutable_start_date() = ToProtoDate(*start);
            if (referral) event.set_referral_id(referral->id);
            core_.outbox().Append(s, *citizen_id, event);
            return ChildNameOf(*citizen_id, kEpisodes, e.id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto e = LoadEpisode(s, *citizen_id, LastSegment(*name));
          if (!e) return errors::NotFound(*name);
          *resp = e->episode;
          return absl::OkStatus();
        });
      });
}

grpc::Status TreatmentService::ListTreatmentEpisodes(grpc::ServerContext* ctx,
                                                     const v1::ListTreatmentEpisodesRequest* req,
                                                     v1::ListTreatmentEpisodesResponse* resp) {
  return core_.guard().Run(ctx, "ListTreatmentEpisodes", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenName(req->parent(), "parent");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->parent();
    rec.citizen_id = *citizen_id;
    auto page = StartPage(core_.page_tokens(), absl::StrCat("ListTreatmentEpisodes|", req->parent()),
                          req->page_size(), req->page_token());
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectEpisodes(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, EpisodeKey));
      for (auto& e : rows) *resp->add_episodes() = std::move(e.episode);
      return absl::OkStatus();
    });
  });
}

grpc::Status TreatmentService::EndTreatmentEpisode(grpc::ServerContext* ctx,
                                                   const v1::EndTreatmentEpisodeRequest* req,
                                                   v1::TreatmentEpisode* resp) {
  return core_.guard().Run(
      ctx, "EndTreatmentEpisode", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParseChildName(req->name(), kEpisodes, "name");
        v.Merge(name.status(), "name");
        auto end = v.BusinessDate(req->end_date(), "end_date", true, kDaysAhead);
        v.Enum(req->end_reason(), v1::EpisodeEndReason_IsValid, "end_reason", true);
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->citizen_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto e = LoadEpisode(s, name->citizen_id, name->id);
          if (!e) return errors::NotFound(req->name());
          if (auto stale = CheckEtag(req->etag(), e->episode.etag(), e->episode.name()); !stale.ok())
            return stale;
          if (e->episode.state() == v1::EPISODE_STATE_ENDED) {
            return errors::FailedPrecondition(
                "the episode has ended and is read-only",
                {{"STATE", e->episode.name(),
                  "episode ended; start a new episode to record more treatment"}});
          }
          const auto& sd = e->episode.start_date();
          if (*end < absl::CivilDay(sd.year(), sd.month(), sd.day())) {
            return errors::InvalidArgument("end_date", absl::StrCat("must be on or after the start date ",
                                                                    DateText(e->episode.start_date())));
          }
          *e->episode.mutable_end_date() = ToProtoDate(*end);
          e->episode.set_end_reason(req->end_reason());
          e->version += 1;
          UpdateEpisodeEnd(s, *e, NowMicros());
          v1::TreatmentEnded event;
          event.set_episode_id(e->id);
          *event.mutable_end_date() = ToProtoDate(*end);
          event.set_end_reason(req->end_reason());
          core_.outbox().Append(s, e->citizen_id, event);
          *resp = LoadEpisode(s, name->citizen_id, name->id)->episode;
          return absl::OkStatus();
        });
      });
}

}  // namespace ips::treatment
