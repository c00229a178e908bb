// TreatmentCoordination handlers for SOF's treatment units and outreach
// contacts.
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
    auto page = StartListPage(core_.page_tokens(), "ListTreatmentUnits", *req);
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
    auto page = StartListPage(core_.page_tokens(), "ListOutreachContacts", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectOutreachContacts(s, *citizen_id, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, OutreachKey));
      for (auto& c : rows) *resp->add_contacts() = std::move(c);
      return absl::OkStatus();
    });
  });
}

}  // namespace ips::treatment
