// CitizenRegistry handlers for citizens: create, get, list, update, lookup.
#include "absl/strings/str_cat.h"
#include "ips/registry/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/violations.h"
#include "services/registry/domain/cpr.h"
#include "services/registry/registry_service.h"
#include "services/registry/resource_names.h"

namespace ips::registry {
namespace {

constexpr size_t kMaxName = 200;
constexpr size_t kMaxPhone = 32;

bool ValidPhone(const std::string& phone) {
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || (c == '+' && i == 0))) return false;
  }
  return true;
}

// Checks the citizen fields named in `fields` (all when empty).
void CheckCitizenFields(const v1::Citizen& c, const std::string& prefix, Violations& v,
                        const std::set<std::string>& fields) {
  auto want = [&](const char* f) { return fields.empty() || fields.count(f); };
  if (want("given_name")) v.Text(c.given_name(), prefix + "given_name", kMaxName, true);
  if (want("family_name")) v.Text(c.family_name(), prefix + "family_name", kMaxName, true);
  if (want("district")) v.Enum(c.district(), v1::District_IsValid, prefix + "district", true);
  if (want("housing")) v.Enum(c.housing(), v1::Housing_IsValid, prefix + "housing", false);
  if (want("phone_number")) {
    v.Text(c.phone_number(), prefix + "phone_number", kMaxPhone, false);
    if (!ValidPhone(c.phone_number())) {
      v.Add(prefix + "phone_number", "may hold only digits, spaces and a leading +");
    }
  }
}

}  // namespace

grpc::Status RegistryService::CreateCitizen(grpc::ServerContext* ctx, const v1::CreateCitizenRequest* req,
                                            v1::Citizen* resp) {
  return core_.guard().Run(ctx, "CreateCitizen", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto cpr = ParseCpr(req->citizen().cpr());
    if (!cpr.ok()) v.Add("citizen.cpr", std::string(cpr.status().message()));
    CheckCitizenFields(req->citizen(), "citizen.", v, {});
    if (!v.empty()) return v.status();

    v1::Citizen citizen = req->citizen();
    citizen.set_cpr(cpr->digits);
    *citizen.mutable_birth_date() = ToProtoDate(cpr->birth_date);
    rec.resource = "citizens";
    std::string id;
    absl::Status status = core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        if (FindCitizenIdByCpr(s, citizen.cpr())) {
          return errors::AlreadyExists(
              "a citizen with this CPR number is already registered; use LookupCitizen");
        }
        const std::string new_id = RandomId();
        InsertCitizen(s, new_id, citizen, NowMicros());
        v1::CitizenRegistered event;
        event.set_district(citizen.district());
        core_.outbox().Append(s, new_id, event);
        return CitizenName(new_id);
      });
      if (!name.ok()) return name.status();
      id = LastSegment(*name);
      rec.resource = *name;
      rec.citizen_id = id;
      // A replay answers only what the caller may read now (the citizen may
      // since have been enrolled with another consultant).
      return CheckAccess(s, caller, id);
    });
    if (!status.ok()) return status;
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto c = LoadCitizen(s, id);
      if (!c) return errors::NotFound(CitizenName(id));
      *resp = *c;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::GetCitizen(grpc::ServerContext* ctx, const v1::GetCitizenRequest* req,
                                         v1::Citizen* resp) {
  return core_.guard().Run(ctx, "GetCitizen", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto id = ParseCitizenName(req->name(), "name");
    if (!id.ok()) return id.status();
    rec.resource = req->name();
    rec.citizen_id = *id;
    return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto c = LoadCitizen(s, *id);
      if (!c) return errors::NotFound(req->name());
      *resp = *c;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::ListCitizens(grpc::ServerContext* ctx, const v1::ListCitizensRequest* req,
                                           v1::ListCitizensResponse* resp) {
  return core_.guard().Run(ctx, "ListCitizens", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    rec.resource = absl::StrCat("citizens?", req->filter());
    auto terms = ParseFilter(req->filter(), {"district", "enrolled", "consultant"});
    if (!terms.ok()) return terms.status();
    CitizenFilter filter;
    for (const auto& t : *terms) {
      if (t.field == "district") {
        v1::District d;
        if (!v1::District_Parse(t.value, &d)) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown district ", t.value));
        }
        filter.district = d;
      } else if (t.field == "enrolled") {
        if (t.value != "true" && t.value != "false") {
          return errors::InvalidArgument("filter", "enrolled must be true or false");
        }
        filter.enrolled = t.value == "true" ? 1 : 0;
      } else {
        auto k = ParseConsultantName(t.value, "filter");
        if (!k.ok()) return k.status();
        filter.consultant_id = *k;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListCitizens", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto scope = ScopeOf(s, caller);
      if (!scope.whole_register) {
        filter.scoped = 1;
        filter.scope_consultant_id = scope.consultant_id;
      }
      auto rows = SelectCitizens(s, filter, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const auto& c) { return LastSegment(c.name()); }));
      for (auto& c : rows) *resp->add_citizens() = std::move(c);
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::UpdateCitizen(grpc::ServerContext* ctx, const v1::UpdateCitizenRequest* req,
                                            v1::Citizen* resp) {
  return core_.guard().Run(ctx, "UpdateCitizen", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto id = ParseCitizenName(req->citizen().name(), "citizen.name");
    if (!id.ok()) return id.status();
    rec.resource = req->citizen().name();
    rec.citizen_id = *id;
    auto mask_ok = ValidateUpdateMask(req->update_mask(),
                                      {"given_name", "family_name", "district", "housing", "phone_number"},
                                      {"cpr", "name", "birth_date"});
    if (!mask_ok.ok()) return mask_ok;
    std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
    Violations v;
    CheckCitizenFields(req->citizen(), "citizen.", v, fields);
    if (!v.empty()) return v.status();
    return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto current = LoadCitizen(s, *id);
      if (!current) return errors::NotFound(req->citizen().name());
      if (auto e = CheckEtag(req->citizen().etag(), current->etag(), current->name()); !e.ok()) return e;
      v1::Citizen next = *current;
      const auto& in = req->citizen();
      if (fields.count("given_name")) next.set_given_name(in.given_name());
      if (fields.count("family_name")) next.set_family_name(in.family_name());
      if (fields.count("district")) next.set_district(in.district());
      if (fields.count("housing")) next.set_housing(in.housing());
      if (fields.count("phone_number")) next.set_phone_number(in.phone_number());
      long long version = VersionOfEtag(current->etag()) + 1;
      UpdateCitizenRow(s, *id, next, version, NowMicros());
      v1::CitizenUpdated event;
      for (const auto& f : fields) event.add_changed_fields(f);
      event.set_district(next.district());
      core_.outbox().Append(s, *id, event);
      auto updated = LoadCitizen(s, *id);
      *resp = *updated;
      return absl::OkStatus();
    });
  });
}

grpc::Status RegistryService::LookupCitizen(grpc::ServerContext* ctx, const v1::LookupCitizenRequest* req,
                                            v1::Citizen* resp) {
  return core_.guard().Run(ctx, "LookupCitizen", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    rec.resource = "citizens:lookup";
    auto cpr = ParseCpr(req->cpr());
    if (!cpr.ok()) return errors::InvalidArgument("cpr", std::string(cpr.status().message()));
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto id = FindCitizenIdByCpr(s, cpr->digits);
      if (!id) {
        // The audit records that none was found, never the number asked.
        rec.note = "no citizen has the CPR number looked up";
        return absl::NotFoundError("no citizen with this CPR number is registered");
      }
      rec.citizen_id = *id;
      rec.resource = CitizenName(*id);
      if (auto access = CheckAccess(s, caller, *id); !access.ok()) return access;
      *resp = *LoadCitizen(s, *id);
      return absl::OkStatus();
    });
  });
}

}  // namespace ips::registry
