// EmployerMatching handlers for openings, citizens' job profiles and the
// ranked matching of openings for a citizen.
#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/violations.h"
#include "services/matching/domain/ranking.h"
#include "services/matching/match_conversion.h"
#include "services/matching/matching_service.h"
#include "services/matching/resource_names.h"

namespace ips::matching {
namespace {

constexpr size_t kMaxText = 200;
constexpr size_t kMaxShort = 100;
constexpr int kMaxWeeklyHours = 48;
constexpr int kMaxList = 20;

bool ValidLatLng(const google::type::LatLng& p) {
  return p.latitude() >= -90 && p.latitude() <= 90 && p.longitude() >= -180 && p.longitude() <= 180;
}

bool IsUnsetLatLng(const google::type::LatLng& p) { return p.latitude() == 0 && p.longitude() == 0; }

// Checks the opening fields named in `fields` (all when empty).
void CheckOpeningFields(const v1::Opening& o, Violations& v, const std::set<std::string>& fields) {
  auto want = [&](const char* f) { return fields.empty() || fields.count(f); };
  if (want("kind")) v.Enum(o.kind(), v1::OpeningKind_IsValid, "opening.kind", true);
  if (want("title")) v.Text(o.title(), "opening.title", kMaxText, true);
  if (want("industry")) v.Text(o.industry(), "opening.industry", kMaxShort, false);
  if (want("min_hours") && (o.min_hours() < 0 || o.min_hours() > kMaxWeeklyHours)) {
    v.Add("opening.min_hours", absl::StrCat("must be between 0 and ", kMaxWeeklyHours));
  }
  if (want("max_hours") && (o.max_hours() < 1 || o.max_hours() > kMaxWeeklyHours)) {
    v.Add("opening.max_hours", absl::StrCat("must be between 1 and ", kMaxWeeklyHours));
  }
  if ((want("min_hours") || want("max_hours")) && o.max_hours() < o.min_hours()) {
    v.Add("opening.max_hours", "must not be below min_hours");
  }
  if (want("physical_demand"))
    v.Enum(o.physical_demand(), v1::PhysicalDemand_IsValid, "opening.physical_demand", true);
  if (want("shift_pattern"))
    v.Enum(o.shift_pattern(), v1::ShiftPattern_IsValid, "opening.shift_pattern", true);
  if (want("location")) {
    if (IsUnsetLatLng(o.location())) {
      v.Add("opening.location", "is required");
    } else if (!ValidLatLng(o.location())) {
      v.Add("opening.location", "must be a latitude within ±90 and a longitude within ±180");
    }
  }
  if (want("slots") && (o.slots() < 1 || o.slots() > 100))
    v.Add("opening.slots", "must be between 1 and 100");
  if (want("start_date")) v.Date(o.start_date(), "opening.start_date", false);
  if (!fields.empty() && fields.count("state")) {
    v.Enum(o.state(), v1::OpeningState_IsValid, "opening.state", true);
  }
}

void CheckProfileFields(const v1::JobProfile& p, Violations& v, const std::set<std::string>& fields) {
  auto want = [&](const char* f) { return fields.count(f) > 0; };
  auto words = [&](const google::protobuf::RepeatedPtrField<std::string>& list, const std::string& field) {
    if (list.size() > kMaxList) v.Add(field, absl::StrCat("must be at most ", kMaxList));
    for (int i = 0; i < list.size() && i < kMaxList; ++i) {
      v.Text(list[i], absl::StrCat(field, "[", i, "]"), kMaxShort, true);
    }
  };
  if (want("goal_industries")) words(p.goal_industries(), "job_profile.goal_industries");
  if (want("goal_titles")) words(p.goal_titles(), "job_profile.goal_titles");
  if (want("preferred_hours") && (p.preferred_hours() < 0 || p.preferred_hours() > kMaxWeeklyHours)) {
    v.Add("job_profile.preferred_hours", absl::StrCat("must be between 0 and ", kMaxWeeklyHours));
  }
  if (want("max_hours") && (p.max_hours() < 0 || p.max_hours() > kMaxWeeklyHours)) {
    v.Add("job_profile.max_hours", absl::StrCat("must be between 0 and ", kMaxWeeklyHours));
  }
  if (want("accommodations")) {
    std::set<int> seen;
    for (int i = 0; i < p.accommodations_size(); ++i) {
      const std::string field = absl::StrCat("job_profile.accommodations[", i, "]");
      v.Enum(p.accommodations(i), v1::Accommodation_IsValid, field, true);
      if (!seen.insert(p.accommodations(i)).second) v.Add(field, "is listed twice");
    }
  }
  if (want("home") && !ValidLatLng(p.home())) {
    v.Add("job_profile.home", "must be a latitude within ±90 and a longitude within ±180");
  }
  if (want("max_travel_km") && (p.max_travel_km() < 0 || p.max_travel_km() > 200)) {
    v.Add("job_profile.max_travel_km", "must be between 0 and 200");
  }
  if (want("network_employers")) {
    if (p.network_employers_size() > kMaxList) {
      v.Add("job_profile.network_employers", absl::StrCat("must be at most ", kMaxList));
    }
    for (int i = 0; i < p.network_employers_size() && i < kMaxList; ++i) {
      const std::string field = absl::StrCat("job_profile.network_employers[", i, "]");
      v.Merge(ParseEmployerName(p.network_employers(i), field).status(), field);
    }
  }
}

const std::set<std::string> kOpeningFields = {"kind",
                                              "title",
                                              "industry",
                                              "min_hours",
                                              "max_hours",
                                              "physical_demand",
                                              "shift_pattern",
                                              "location",
                                              "requires_driving_licence",
                                              "requires_danish",
                                              "serves_alcohol",
                                              "customer_facing",
                                              "gradual_start_possible",
                                              "slots",
                                              "start_date",
                                              "state"};

const std::set<std::string> kProfileFields = {"goal_industries",  "goal_titles",    "preferred_hours",
                                              "max_hours",        "accommodations", "driving_licence",
                                              "speaks_danish",    "home",           "max_travel_km",
                                              "network_employers"};

// Copies the fields named in `fields` from `from` into `to` (reflection:
// the masks name proto fields one to one).
void CopyFields(const google::protobuf::Message& from, google::protobuf::Message& to,
                const std::set<std::string>& fields) {
  const auto* d = from.GetDescriptor();
  const auto* r = from.GetReflection();
  for (const auto& name : fields) {
    const auto* f = d->FindFieldByName(name);
    if (!f) continue;
    r->ClearField(&to, f);
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(from, f); ++i) {
        switch (f->cpp_type()) {
          case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
            r->AddString(&to, f, r->GetRepeatedString(from, f, i));
            break;
          case google::protobuf::FieldDescriptor::CPPTYPE_ENUM:
            r->AddEnumValue(&to, f, r->GetRepeatedEnumValue(from, f, i));
            break;
          default:
            break;
        }
      }
    } else if (r->HasField(from, f) || f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      switch (f->cpp_type()) {
        case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
          r->SetString(&to, f, r->GetString(from, f));
          break;
        case google::protobuf::FieldDescriptor::CPPTYPE_INT32:
          r->SetInt32(&to, f, r->GetInt32(from, f));
          break;
        case google::protobuf::FieldDescriptor::CPPTYPE_BOOL:
          r->SetBool(&to, f, r->GetBool(from, f));
          break;
        case google::protobuf::FieldDescriptor::CPPTYPE_ENUM:
          r->SetEnumValue(&to, f, r->GetEnumValue(from, f));
          break;
        case google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE:
          r->MutableMessage(&to, f)->CopyFrom(r->GetMessage(from, f));
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace

grpc::Status MatchingService::CreateOpening(grpc::ServerContext* ctx, const v1::CreateOpeningRequest* req,
                                            v1::Opening* resp) {
  return core_.guard().Run(ctx, "CreateOpening", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto employer_id = ParseEmployerName(req->parent(), "parent");
    v.Merge(employer_id.status(), "parent");
    CheckOpeningFields(req->opening(), v, {});
    if (!v.empty()) return v.status();
    rec.resource = req->parent();
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        auto employer = LoadEmployer(s, *employer_id);
        if (!employer) return errors::NotFound(req->parent());
        v1::Opening o = req->opening();
        if (o.industry().empty()) o.set_industry(employer->employer.industry());
        o.set_state(v1::OPENING_STATE_OPEN);
        std::string id = RandomId();
        InsertOpening(s, *employer_id, id, o, NowMicros());
        return OpeningName(*employer_id, id);
      });
      if (!name.ok()) return name.status();
      rec.resource = *name;
      auto parsed = ParseOpeningName(*name, "name");
      auto row = LoadOpening(s, parsed->parent_id, parsed->id);
      if (!row) return errors::NotFound(*name);
      *resp = row->opening;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::GetOpening(grpc::ServerContext* ctx, const v1::GetOpeningRequest* req,
                                         v1::Opening* resp) {
  return core_.guard().Run(ctx, "GetOpening", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto name = ParseOpeningName(req->name(), "name");
    if (!name.ok()) return name.status();
    rec.resource = req->name();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto row = LoadOpening(s, name->parent_id, name->id);
      if (!row) return errors::NotFound(req->name());
      *resp = row->opening;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::ListOpenings(grpc::ServerContext* ctx, const v1::ListOpeningsRequest* req,
                                           v1::ListOpeningsResponse* resp) {
  return core_.guard().Run(ctx, "ListOpenings", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto employer_id = ParseEmployerParent(req->parent(), "parent", true);
    if (!employer_id.ok()) return employer_id.status();
    rec.resource = absl::StrCat(req->parent(), "/openings?", req->filter());
    auto terms = ParseFilter(req->filter(), {"state", "kind", "industry"});
    if (!terms.ok()) return terms.status();
    OpeningFilter filter;
    filter.employer_id = *employer_id;
    for (const auto& t : *terms) {
      if (t.field == "state") {
        v1::OpeningState st;
        if (!v1::OpeningState_Parse(t.value, &st) || st == v1::OPENING_STATE_UNSPECIFIED) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown state ", t.value));
        }
        filter.state = st;
      } else if (t.field == "kind") {
        v1::OpeningKind k;
        if (!v1::OpeningKind_Parse(t.value, &k) || k == v1::OPENING_KIND_UNSPECIFIED) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown kind ", t.value));
        }
        filter.kind = k;
      } else {
        filter.industry = t.value;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListOpenings", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectOpenings(s, filter, page->after, page->fetch());
      resp->set_next_page_token(
          FinishPage(rows, *page, [](const OpeningRow& r) { return LastSegment(r.opening.name()); }));
      for (auto& r : rows) *resp->add_openings() = std::move(r.opening);
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::UpdateOpening(grpc::ServerContext* ctx, const v1::UpdateOpeningRequest* req,
                                            v1::Opening* resp) {
  return core_.guard().Run(ctx, "UpdateOpening", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto name = ParseOpeningName(req->opening().name(), "opening.name");
    if (!name.ok()) return name.status();
    rec.resource = req->opening().name();
    if (auto mask = ValidateUpdateMask(req->update_mask(), kOpeningFields); !mask.ok()) return mask;
    std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto current = LoadOpening(s, name->parent_id, name->id);
      if (!current) return errors::NotFound(req->opening().name());
      if (auto e = CheckEtag(req->opening().etag(), current->opening.etag(), current->opening.name());
          !e.ok()) {
        return e;
      }
      v1::Opening next = current->opening;
      CopyFields(req->opening(), next, fields);
      // The result must be a valid opening as a whole (min and max hours
      // are checked together).
      Violations v;
      CheckOpeningFields(next, v, fields);
      if (!v.empty()) return v.status();
      UpdateOpeningRow(s, name->id, next, current->version + 1, NowMicros());
      *resp = LoadOpening(s, name->parent_id, name->id)->opening;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::GetJobProfile(grpc::ServerContext* ctx, const v1::GetJobProfileRequest* req,
                                            v1::JobProfile* resp) {
  return core_.guard().Run(ctx, "GetJobProfile", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseJobProfileName(req->name(), "name");
    if (!citizen_id.ok()) return citizen_id.status();
    rec.resource = req->name();
    rec.citizen_id = *citizen_id;
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      *resp = LoadJobProfile(s, *citizen_id).profile;
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::UpdateJobProfile(grpc::ServerContext* ctx,
                                               const v1::UpdateJobProfileRequest* req, v1::JobProfile* resp) {
  return core_.guard().Run(
      ctx, "UpdateJobProfile", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto citizen_id = ParseJobProfileName(req->job_profile().name(), "job_profile.name");
        if (!citizen_id.ok()) return citizen_id.status();
        rec.resource = req->job_profile().name();
        rec.citizen_id = *citizen_id;
        if (auto mask = ValidateUpdateMask(req->update_mask(), kProfileFields); !mask.ok()) return mask;
        std::set<std::string> fields(req->update_mask().paths().begin(), req->update_mask().paths().end());
        Violations v;
        CheckProfileFields(req->job_profile(), v, fields);
        if (!v.empty()) return v.status();
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto current = LoadJobProfile(s, *citizen_id);
          if (current.version > 0) {
            if (auto e = CheckEtag(req->job_profile().etag(), current.profile.etag(), current.profile.name());
                !e.ok()) {
              return e;
            }
          }
          v1::JobProfile next = current.profile;
          CopyFields(req->job_profile(), next, fields);
          StoreJobProfile(s, *citizen_id, next, current.version + 1, NowMicros());
          *resp = LoadJobProfile(s, *citizen_id).profile;
          return absl::OkStatus();
        });
      });
}

grpc::Status MatchingService::MatchOpenings(grpc::ServerContext* ctx, const v1::MatchOpeningsRequest* req,
                                            v1::MatchOpeningsResponse* resp) {
  return core_.guard().Run(ctx, "MatchOpenings", [&](const Caller&, CallRecord& rec) -> absl::Status {
    Violations v;
    auto citizen_id = ParseCitizenName(req->citizen(), "citizen");
    v.Merge(citizen_id.status(), "citizen");
    if (req->page_size() < 0 || req->page_size() > 100) v.Add("page_size", "must be between 0 and 100");
    if (!v.empty()) return v.status();
    const size_t limit = req->page_size() == 0 ? 20 : static_cast<size_t>(req->page_size());
    rec.resource = req->citizen();
    rec.citizen_id = *citizen_id;
    JobProfileRow profile;
    auto read = core_.db().Read([&](soci::session& s) -> absl::Status {
      profile = LoadJobProfile(s, *citizen_id);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (profile.version == 0) {
      return errors::FailedPrecondition(
          "the citizen has no job profile",
          {{"JOB_PROFILE", JobProfileName(*citizen_id), "record job goals and accommodations first"}});
    }
    auto snapshot = openings_.Current(core_.db());
    if (!snapshot.ok()) return snapshot.status();
    const auto& openings = (*snapshot)->openings;
    const JobProfile domain_profile = ToDomain(*citizen_id, profile.profile);
    size_t admissible = 0;
    const auto ranked = RankOpenings(domain_profile, openings, scoring_, limit, &admissible);
    resp->set_excluded(static_cast<int>(openings.size() - admissible));
    for (const auto& r : ranked) {
      auto* m = resp->add_matches();
      *m->mutable_opening() = (*snapshot)->rows[static_cast<size_t>(r.opening - openings.data())].opening;
      m->set_score(r.total);
      for (const auto& c : r.criteria) *m->add_criteria() = ToProto(c);
    }
    return absl::OkStatus();
  });
}

grpc::Status MatchingService::MatchCandidates(grpc::ServerContext* ctx, const v1::MatchCandidatesRequest* req,
                                              v1::MatchCandidatesResponse* resp) {
  return core_.guard().Run(ctx, "MatchCandidates", [&](const Caller&, CallRecord& rec) -> absl::Status {
    Violations v;
    auto name = ParseOpeningName(req->opening(), "opening");
    v.Merge(name.status(), "opening");
    if (req->page_size() < 0 || req->page_size() > 100) v.Add("page_size", "must be between 0 and 100");
    if (!v.empty()) return v.status();
    const size_t limit = req->page_size() == 0 ? 20 : static_cast<size_t>(req->page_size());
    rec.resource = req->opening();
    std::optional<OpeningRow> opening;
    auto read = core_.db().Read([&](soci::session& s) -> absl::Status {
      opening = LoadOpening(s, name->parent_id, name->id);
      return opening ? absl::OkStatus() : errors::NotFound(req->opening());
    });
    if (!read.ok()) return read;
    // The candidates are the caller's caseload as the registry sees it
    // (team leads: every running course), asked on the caller's behalf.
    if (!registry_) return absl::UnavailableError("the matching service has no registry configured");
    auto caseload = registry_->Caseload(AuthorizationOf(ctx));
    if (!caseload.ok()) return caseload.status();
    std::vector<JobProfile> profiles;
    read = core_.db().Read([&](soci::session& s) -> absl::Status {
      for (const auto& standing : *caseload) {
        const std::string citizen_id = LastSegment(standing.citizen());
        auto row = LoadJobProfile(s, citizen_id);
        // Citizens without a profile have no goals or accommodations to
        // match on yet; they are not candidates.
        if (row.version > 0) profiles.push_back(ToDomain(citizen_id, row.profile));
      }
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    for (const auto& r : RankCandidates(ToDomain(*opening), profiles, scoring_, limit)) {
      auto* m = resp->add_matches();
      m->set_citizen(CitizenName(r.profile->citizen_id));
      m->set_score(r.total);
      for (const auto& c : r.criteria) *m->add_criteria() = ToProto(c);
    }
    return absl::OkStatus();
  });
}

}  // namespace ips::matching
