// TreatmentCoordination handlers for referrals: made by SOF or by BIF's
// IPS consultants, judged against the treatment guarantee, redacted for
// callers outside SOF.
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

}  // namespace

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
    auto page = StartListPage(core_.page_tokens(), "ListReferrals", *req);
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

}  // namespace ips::treatment
