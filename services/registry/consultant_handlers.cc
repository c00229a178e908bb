// CitizenRegistry handlers for consultants and their caseloads.
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

namespace ips::registry {
namespace {

void CheckConsultantFields(const v1::Consultant& c, Violations& v, const std::set<std::string>& fields) {
  auto want = [&](const char* f) { return fields.empty() || fields.count(f); };
  if (want("display_name")) v.Text(c.display_name(), "consultant.display_name", 200, true);
  if (want("subject")) v.Text(c.subject(), "consultant.subject", 200, false);
  if (want("unit")) v.Text(c.unit(), "consultant.unit", 100, false);
  if (want("state")) v.Enum(c.state(), v1::ConsultantState_IsValid, "consultant.state", false);
  if (want("caseload_cap") && (c.caseload_cap() < 0 || c.caseload_cap() > 100)) {
    v.Add("consultant.caseload_cap", "must be between 0 (suite default) and 100");
  }
}

// A login subject belongs to one consultant: it is how a caller's caseload
// is found.
absl::Status CheckSubjectFree(soci::session& s, const std::string& subject, const std::string& own_id) {
  auto holder = ConsultantIdBySubject(s, subject);
  if (holder && *holder != own_id) {
    return errors::AlreadyExists(absl::StrCat("subject is already linked to ", ConsultantName(*holder),
                                              "; one login, one consultant"));
  }
  return absl::OkStatus();
}

v1::ConsultantChanged ChangedEvent(const v1::Consultant& c) {
  v1::ConsultantChanged e;
  e.set_consultant_id(LastSegment(c.name()));
  e.set_state(c.state());
  e.set_effective_caseload_cap(c.effective_caseload_cap());
  return e;
}

}  // namespace

grpc::Status RegistryService::CreateConsultant(grpc::ServerContext* ctx,
                                               const v1::CreateConsultantRequest* req, v1::Consultant* resp) {
  return core_.guard().Run(
      ctx, "CreateConsultant", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        CheckConsultantFields(req->consultant(), v, {});
        if (!v.empty()) return v.status();
        v1::Consultant c = req->consultant();
        if (c.state() == v1::CONSULTANT_STATE_UNSPECIFIED) c.set_state(v1::CONSULTANT_STATE_ACTIVE);
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            const std::string id = RandomId();
            if (auto free = CheckSubjectFree(s, c.subject(), id); !free.ok()) return free;
            InsertConsultant(s, id, c, NowMicros());
            core_.outbox().Append(s, "", ChangedEvent(*LoadConsultant(s, id, rules_.default_caseload_cap)));
            return ConsultantName(id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto made = LoadConsultant(s, LastSegment(*name), rules_.default_caseload_cap);
          if (!made) return errors::NotFound(*name);
          *resp = *made;
          return absl::OkStatus();
        });
      });
}

grpc::Status RegistryService::GetConsultant(grpc::ServerContext* ctx, const v1::GetConsultantRequest* req,
                                            v1::Consultant* resp) {
  return core_.guard().Run(ctx, "GetConsultant", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto id = ParseConsultantName(req->name(), "name");
    if (!id.ok()) return id.status();
    rec.resource = req->name();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto c = LoadConsultant(s, *id, rules_.default_caseload_cap);
      if (!c) return errors::NotFound(req->name());
      *resp = *c;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::ListConsultants(grpc::ServerContext* ctx, const v1::ListConsultantsRequest* req,
                                              v1::ListConsultantsResponse* resp) {
  return core_.guard().Run(ctx, "ListConsultants", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = absl::StrCat("consultants?", req->filter());
    auto terms = ParseFilter(req->filter(), {"state", "unit"});
    if (!terms.ok()) return terms.status();
    int state = 0;
    std::string unit;
    for (const auto& t : *terms) {
      if (t.field == "state") {
        v1::ConsultantState st;
        if (!v1::ConsultantState_Parse(t.value, &st)) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown state ", t.value));
        }
        state = st;
      } else {
        unit = t.value;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListConsultants", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectConsultants(s, state, unit, page->after, page->fetch(), rules_.default_caseload_cap);
      resp->set_next_page_token(FinishPage(rows, *page, [](const auto& c) { return LastSegment(c.name()); }));
      for (auto& c : rows) *resp->add_consultants() = std::move(c);
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::UpdateConsultant(grpc::ServerContext* ctx,
                                               const v1::UpdateConsultantRequest* req, v1::Consultant* resp) {
  return core_.guard().Run(
      ctx, "UpdateConsultant", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto id = ParseConsultantName(req->consultant().name(), "consultant.name");
        if (!id.ok()) return id.status();
        rec.resource = req->consultant().name();
        auto mask_ok = ValidateUpdateMask(req->update_mask(),
                                          {"display_name", "subject", "unit", "state", "caseload_cap"});
        if (!mask_ok.ok()) return mask_ok;
        std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
        Violations v;
        CheckConsultantFields(req->consultant(), v, fields);
        if (fields.count("state") && req->consultant().state() == v1::CONSULTANT_STATE_UNSPECIFIED) {
          v.Add("consultant.state", "is required when in the update mask");
        }
        if (!v.empty()) return v.status();
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto current = LoadConsultant(s, *id, rules_.default_caseload_cap);
          if (!current) return errors::NotFound(req->consultant().name());
          if (auto e = CheckEtag(req->consultant().etag(), current->etag(), current->name()); !e.ok())
            return e;
          v1::Consultant next = *current;
          const auto& in = req->consultant();
          if (fields.count("display_name")) next.set_display_name(in.display_name());
          if (fields.count("subject")) next.set_subject(in.subject());
          if (fields.count("unit")) next.set_unit(in.unit());
          if (fields.count("state")) next.set_state(in.state());
          if (fields.count("caseload_cap")) next.set_caseload_cap(in.caseload_cap());
          if (auto free = CheckSubjectFree(s, next.subject(), *id); !free.ok()) return free;
          UpdateConsultantRow(s, *id, next, VersionOfEtag(current->etag()) + 1, NowMicros());
          *resp = *LoadConsultant(s, *id, rules_.default_caseload_cap);
          core_.outbox().Append(s, "", ChangedEvent(*resp));
          return absl::OkStatus();
        });
      });
}

}  // namespace ips::registry
