// EmployerMatching handlers for employers and the consultants' contacts
// with them.
#include <set>

#include "absl/strings/str_cat.h"
#include "ips/matching/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/violations.h"
#include "services/matching/domain/cvr.h"
#include "services/matching/domain/placement_rules.h"
#include "services/matching/matching_service.h"
#include "services/matching/resource_names.h"

namespace ips::matching {
namespace {

constexpr size_t kMaxText = 200;
constexpr size_t kMaxShort = 100;
constexpr int kMaxPersons = 20;

// Checks the employer fields named in `fields` (all when empty).
void CheckEmployerFields(const v1::Employer& e, Violations& v, const std::set<std::string>& fields) {
  auto want = [&](const char* f) { return fields.empty() || fields.count(f); };
  if (want("display_name")) v.Text(e.display_name(), "employer.display_name", kMaxText, true);
  if (want("address")) v.Text(e.address(), "employer.address", kMaxText, false);
  if (want("municipality")) v.Text(e.municipality(), "employer.municipality", kMaxShort, false);
  if (want("industry")) v.Text(e.industry(), "employer.industry", kMaxShort, false);
  if (want("contact_persons")) {
    if (e.contact_persons_size() > kMaxPersons) {
      v.Add("employer.contact_persons", absl::StrCat("must be at most ", kMaxPersons));
    }
    for (int i = 0; i < e.contact_persons_size() && i < kMaxPersons; ++i) {
      const auto& p = e.contact_persons(i);
      const std::string prefix = absl::StrCat("employer.contact_persons[", i, "].");
      v.Text(p.display_name(), prefix + "display_name", kMaxText, true);
      v.Text(p.role(), prefix + "role", kMaxShort, false);
      v.Text(p.phone_number(), prefix + "phone_number", 32, false);
      v.Text(p.email(), prefix + "email", kMaxText, false);
      if (!p.email().empty() && p.email().find('@') == std::string::npos) {
        v.Add(prefix + "email", "must be an e-mail address");
      }
    }
  }
}

}  // namespace

grpc::Status MatchingService::CreateEmployer(grpc::ServerContext* ctx, const v1::CreateEmployerRequest* req,
                                             v1::Employer* resp) {
  return core_.guard().Run(ctx, "CreateEmployer", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto cvr = ParseCvr(req->employer().cvr());
    if (!cvr.ok()) v.Add("employer.cvr", std::string(cvr.status().message()));
    CheckEmployerFields(req->employer(), v, {});
    if (!v.empty()) return v.status();
    rec.resource = "employers";
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        if (EmployerIdByCvr(s, *cvr)) {
          return errors::AlreadyExists("an employer with this CVR number is already registered");
        }
        std::string id = RandomId();
        v1::Employer e = req->employer();
        e.set_cvr(*cvr);
        InsertEmployer(s, id, e, NowMicros());
        return EmployerName(id);
      });
      if (!name.ok()) return name.status();
      rec.resource = *name;
      auto row = LoadEmployer(s, LastSegment(*name));
      if (!row) return errors::NotFound(*name);
      *resp = row->employer;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::GetEmployer(grpc::ServerContext* ctx, const v1::GetEmployerRequest* req,
                                          v1::Employer* resp) {
  return core_.guard().Run(ctx, "GetEmployer", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto id = ParseEmployerName(req->name(), "name");
    if (!id.ok()) return id.status();
    rec.resource = req->name();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto row = LoadEmployer(s, *id);
      if (!row) return errors::NotFound(req->name());
      *resp = row->employer;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::ListEmployers(grpc::ServerContext* ctx, const v1::ListEmployersRequest* req,
                                            v1::ListEmployersResponse* resp) {
  return core_.guard().Run(ctx, "ListEmployers", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = absl::StrCat("employers?", req->filter());
    auto terms = ParseFilter(req->filter(), {"industry", "municipality", "cvr"});
    if (!terms.ok()) return terms.status();
    EmployerFilter filter;
    for (const auto& t : *terms) {
      if (t.field == "industry") filter.industry = t.value;
      if (t.field == "municipality") filter.municipality = t.value;
      if (t.field == "cvr") {
        auto cvr = ParseCvr(t.value);
        if (!cvr.ok()) return errors::InvalidArgument("filter", absl::StrCat("cvr ", cvr.status().message()));
        filter.cvr = *cvr;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListEmployers", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectEmployers(s, filter, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const auto& e) { return LastSegment(e.name()); }));
      for (auto& e : rows) *resp->add_employers() = std::move(e);
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::UpdateEmployer(grpc::ServerContext* ctx, const v1::UpdateEmployerRequest* req,
                                             v1::Employer* resp) {
  return core_.guard().Run(ctx, "UpdateEmployer", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto id = ParseEmployerName(req->employer().name(), "employer.name");
    if (!id.ok()) return id.status();
    rec.resource = req->employer().name();
    auto mask = ValidateUpdateMask(req->update_mask(),
                                   {"display_name", "address", "municipality", "industry", "contact_persons"},
                                   {"cvr", "hires_from_programme"});
    if (!mask.ok()) return mask;
    std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
    Violations v;
    CheckEmployerFields(req->employer(), v, fields);
    if (!v.empty()) return v.status();
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto current = LoadEmployer(s, *id);
      if (!current) return errors::NotFound(req->employer().name());
      const auto& in = req->employer();
      if (auto e = CheckEtag(in.etag(), current->employer.etag(), current->employer.name()); !e.ok())
        return e;
      v1::Employer next = current->employer;
      if (fields.count("display_name")) next.set_display_name(in.display_name());
      if (fields.count("address")) next.set_address(in.address());
      if (fields.count("municipality")) next.set_municipality(in.municipality());
      if (fields.count("industry")) next.set_industry(in.industry());
      if (fields.count("contact_persons")) *next.mutable_contact_persons() = in.contact_persons();
      UpdateEmployerRow(s, *id, next, current->version + 1, NowMicros());
      *resp = LoadEmployer(s, *id)->employer;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::CreateEmployerContact(grpc::ServerContext* ctx,
                                                    const v1::CreateEmployerContactRequest* req,
                                                    v1::EmployerContact* resp) {
  return core_.guard().Run(
      ctx, "CreateEmployerContact", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto employer_id = ParseEmployerName(req->parent(), "parent");
        v.Merge(employer_id.status(), "parent");
        const auto& in = req->contact();
        auto consultant_id = ParseConsultantName(in.consultant(), "contact.consultant");
        v.Merge(consultant_id.status(), "contact.consultant");
        v.Enum(in.channel(), v1::ContactChannel_IsValid, "contact.channel", true);
        v.Enum(in.purpose(), v1::ContactPurpose_IsValid, "contact.purpose", true);
        v.Enum(in.outcome(), v1::ContactOutcome_IsValid, "contact.outcome", true);
        auto date = v.BusinessDate(in.contact_date(), "contact.contact_date", true);
        std::string citizen_id;
        if (!in.citizen().empty()) {
          auto citizen = ParseCitizenName(in.citizen(), "contact.citizen");
          v.Merge(citizen.status(), "contact.citizen");
          if (citizen.ok()) citizen_id = *citizen;
        }
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = citizen_id;
        // On a citizen's behalf: the registry confirms the course (and the
        // caller's caseload) before the write; a retry of a contact already
        // recorded does not need its answer.
        std::optional<absl::StatusOr<registry::v1::EnrollmentStanding>> standing;
        if (!citizen_id.empty()) standing = RunningCourse(ctx, citizen_id);
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            if (standing) {
              if (!standing->ok()) return standing->status();
              if (auto bad = CheckContactInCourse(CivilDayOf((*standing)->start_date()), *date)) {
                return errors::InvalidArgument(bad->field, bad->rule);
              }
            }
            if (!LoadEmployer(s, *employer_id)) return errors::NotFound(req->parent());
            std::string id = RandomId();
            InsertEmployerContact(s, *employer_id, id, in, *consultant_id, citizen_id, NowMicros());
            v1::EmployerContactRecorded event;
            event.set_consultant_id(*consultant_id);
            event.set_employer_id(*employer_id);
            *event.mutable_contact_date() = ToProtoDate(*date);
            event.set_channel(in.channel());
            event.set_outcome(in.outcome());
            event.set_purpose(in.purpose());
            core_.outbox().Append(s, citizen_id, event);
            return ContactName(*employer_id, id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          auto contact = LoadEmployerContact(s, *employer_id, LastSegment(*name));
          if (!contact) return errors::NotFound(*name);
          *resp = *contact;
          return absl::OkStatus();
        });
      });
}

grpc::Status MatchingService::ListEmployerContacts(grpc::ServerContext* ctx,
                                                   const v1::ListEmployerContactsRequest* req,
                                                   v1::ListEmployerContactsResponse* resp) {
  return core_.guard().Run(ctx, "ListEmployerContacts", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto employer_id = ParseEmployerParent(req->parent(), "parent", true);
    if (!employer_id.ok()) return employer_id.status();
    rec.resource = absl::StrCat(req->parent(), "/contacts?", req->filter());
    auto terms = ParseFilter(req->filter(), {"consultant", "channel", "citizen"});
    if (!terms.ok()) return terms.status();
    ContactFilter filter;
    filter.employer_id = *employer_id;
    for (const auto& t : *terms) {
      if (t.field == "consultant") {
        auto k = ParseConsultantName(t.value, "filter");
        if (!k.ok()) return k.status();
        filter.consultant_id = *k;
      } else if (t.field == "citizen") {
        auto c = ParseCitizenName(t.value, "filter");
        if (!c.ok()) return c.status();
        filter.citizen_id = *c;
        rec.citizen_id = *c;
      } else {
        v1::ContactChannel channel;
        if (!v1::ContactChannel_Parse(t.value, &channel) || channel == v1::CONTACT_CHANNEL_UNSPECIFIED) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown channel ", t.value));
        }
        filter.channel = channel;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListEmployerContacts", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectEmployerContacts(s, filter, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, EmployerContactKey));
      for (auto& c : rows) *resp->add_contacts() = std::move(c);
      return absl::OkStatus();
    });
  });
}

}  // namespace ips::matching
