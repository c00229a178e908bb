// The registry's minimal answers to other BIF services: whether a citizen
// has a running course, and the running courses on a caseload. They carry
// no assessment, decision or CPR number, only what the matching service
// needs to place a citizen and rank candidates.
#include "absl/strings/str_cat.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/list_query.h"
#include "services/common/resource_name.h"
#include "services/registry/registry_service.h"

namespace ips::registry {
namespace {

v1::EnrollmentStanding StandingOf(const std::string& citizen_id, const EnrollmentRecord* running) {
  v1::EnrollmentStanding out;
  out.set_name(absl::StrCat(CitizenName(citizen_id), "/enrollmentStanding"));
  out.set_citizen(CitizenName(citizen_id));
  if (running == nullptr) return out;
  out.set_active(true);
  out.set_enrollment(running->enrollment.name());
  *out.mutable_start_date() = ToProtoDate(running->start_date);
  out.set_consultant(ConsultantName(running->consultant_id));
  return out;
}

}  // namespace

grpc::Status RegistryService::GetEnrollmentStanding(grpc::ServerContext* ctx,
                                                    const v1::GetEnrollmentStandingRequest* req,
                                                    v1::EnrollmentStanding* resp) {
  return core_.guard().Run(
      ctx, "GetEnrollmentStanding", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto ids = MatchResourceName(req->name(), {"citizens", "", "enrollmentStanding"}, "name");
        if (!ids.ok()) return ids.status();
        const std::string citizen_id = (*ids)[0];
        rec.resource = req->name();
        rec.citizen_id = citizen_id;
        return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
          if (!LoadCitizen(s, citizen_id)) return errors::NotFound(CitizenName(citizen_id));
          EnrollmentFilter running;
          running.citizen_id = citizen_id;
          running.state = v1::ENROLLMENT_STATE_ACTIVE;
          auto rows = SelectEnrollments(s, running, "", 1);
          *resp = StandingOf(citizen_id, rows.empty() ? nullptr : &rows.front());
          return absl::OkStatus();
        });
      });
}

grpc::Status RegistryService::ListCaseload(grpc::ServerContext* ctx, const v1::ListCaseloadRequest* req,
                                           v1::ListCaseloadResponse* resp) {
  return core_.guard().Run(ctx, "ListCaseload", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    rec.resource = "citizens/-/enrollmentStanding";
    auto page = StartListPage(core_.page_tokens(), "ListCaseload", *req);
    if (!page.ok()) return page.status();
    return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      EnrollmentFilter filter;
      filter.state = v1::ENROLLMENT_STATE_ACTIVE;
      const auto scope = ScopeOf(s, caller);
      // A caller who is not a registered consultant has no caseload ("-"
      // matches no consultant id).
      if (!scope.whole_register)
        filter.consultant_id = scope.consultant_id.empty() ? "-" : scope.consultant_id;
      auto rows = SelectEnrollments(s, filter, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const EnrollmentRecord& r) { return r.id; }));
      for (const auto& r : rows) *resp->add_standings() = StandingOf(r.citizen_id, &r);
      return absl::OkStatus();
    });
  });
}

}  // namespace ips::registry
