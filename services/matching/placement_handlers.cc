// Placements: created only for a citizen the registry confirms has a
// running course (asked on behalf of the caller, before the write
// transaction), then hours changes with history, conversion along the
// chain with the link kept, and the end with a reason. The rules are in
// domain/placement_rules.h.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ips/matching/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/stored_values.h"
#include "services/common/violations.h"
#include "services/matching/domain/placement_rules.h"
#include "services/matching/matching_service.h"
#include "services/matching/placement_store.h"
#include "services/matching/resource_names.h"

namespace ips::matching {
namespace {

OpeningKind KindOf(v1::OpeningKind kind) { return static_cast<OpeningKind>(kind - 1); }

absl::Status Breach(const std::optional<RuleBreach>& breach, const std::string& placement) {
  if (!breach) return absl::OkStatus();
  // A rule about the placement's state (ended already) is a precondition;
  // the others are about the values sent.
  if (breach->field == "name") {
    return errors::FailedPrecondition(breach->rule, {{"STATE", placement, breach->rule}});
  }
  return errors::InvalidArgument(breach->field, breach->rule);
}

PlacementFacts FactsOf(const v1::Placement& p) {
  PlacementFacts f;
  f.kind = KindOf(p.kind());
  // Stored dates are valid, so the conversions cannot fail.
  f.start = *ToCivilDay(p.start_date(), "start_date");
  for (const auto& h : p.hours()) {
    f.hours.push_back({*ToCivilDay(h.effective_date(), "effective_date"), h.hours_per_week()});
  }
  f.running = p.state() == v1::PLACEMENT_STATE_ACTIVE;
  return f;
}

void AddHours(v1::Placement& p, absl::CivilDay from, int hours) {
  auto* h = p.add_hours();
  *h->mutable_effective_date() = ToProtoDate(from);
  h->set_hours_per_week(hours);
}

// The job's type as the fidelity review's diversity item compares them: the
// opening's industry, else the employer's, in lower case and trimmed so
// "Food service " and "food service" are one type. Published as a pseudonym
// (PlacementStarted.job_type_id), so reporting counts types without
// reading the free text.
std::string JobType(absl::string_view opening_industry, absl::string_view employer_industry) {
  absl::string_view industry = absl::StripAsciiWhitespace(opening_industry);
  if (industry.empty()) industry = absl::StripAsciiWhitespace(employer_industry);
  return absl::AsciiStrToLower(industry);
}

// JobType of a placement's opening (if any) and employer, read from `s`.
std::string JobTypeOf(soci::session& s, const std::string& employer_id, const std::string& opening_id) {
  std::string opening_industry, employer_industry;
  if (!opening_id.empty()) {
    if (auto opening = LoadOpening(s, employer_id, opening_id))
      opening_industry = opening->opening.industry();
  }
  if (auto employer = LoadEmployer(s, employer_id)) employer_industry = employer->employer.industry();
  return JobType(opening_industry, employer_industry);
}

v1::PlacementStarted StartedEvent(const PlacementRow& r, const std::string& job_type) {
  v1::PlacementStarted e;
  e.set_job_type_id(job_type);
  e.set_placement_id(r.id);
  e.set_employer_id(r.employer_id);
  e.set_kind(r.placement.kind());
  *e.mutable_start_date() = r.placement.start_date();
  e.set_hours_per_week(r.placement.hours(0).hours_per_week());
  e.set_converted_from_id(LastSegment(r.placement.converted_from()));
  return e;
}

v1::PlacementEnded EndedEvent(const PlacementRow& r) {
  v1::PlacementEnded e;
  e.set_placement_id(r.id);
  *e.mutable_end_date() = r.placement.end_date();
  e.set_end_reason(r.placement.end_reason());
  e.set_converted(r.placement.state() == v1::PLACEMENT_STATE_CONVERTED);
  return e;
}

// A placement as the caller sees it, or NOT_FOUND.
absl::Status ReadPlacement(soci::session& s, const std::string& name, v1::Placement* out) {
  auto parsed = ParsePlacementName(name, "name");
  if (!parsed.ok()) return parsed.status();
  auto row = LoadPlacement(s, parsed->parent_id, parsed->id);
  if (!row) return errors::NotFound(name);
  *out = std::move(row->placement);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<registry::v1::EnrollmentStanding> MatchingService::RunningCourse(
    const grpc::ServerContext* ctx, const std::string& citizen_id) const {
  if (!registry_) return absl::UnavailableError("the matching service has no registry configured");
  auto standing = registry_->StandingOf(citizen_id, AuthorizationOf(ctx));
  if (!standing.ok()) return standing.status();
  if (!standing->active()) {
    return errors::FailedPrecondition(
        "the citizen has no running course in the registry",
        {{"ENROLLMENT", CitizenName(citizen_id),
          "enrol the citizen first; an ended course takes no placements or contacts on its behalf"}});
  }
  return standing;
}

absl::StatusOr<PlacementRow> MatchingService::PlacementForUpdate(soci::session& s, const ChildName& name,
                                                                 const std::string& etag) {
  auto row = LoadPlacement(s, name.parent_id, name.id);
  if (!row) return errors::NotFound(PlacementName(name.parent_id, name.id));
  if (auto stale = CheckEtag(etag, row->placement.etag(), row->placement.name()); !stale.ok()) return stale;
  return *row;
}

grpc::Status MatchingService::CreatePlacement(grpc::ServerContext* ctx, const v1::CreatePlacementRequest* req,
                                              v1::Placement* resp) {
  return core_.guard().Run(
      ctx, "CreatePlacement", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto citizen_id = ParseCitizenName(req->parent(), "parent");
        v.Merge(citizen_id.status(), "parent");
        const auto& in = req->placement();
        std::string employer_id, opening_id;
        if (!in.opening().empty()) {
          auto opening = ParseOpeningName(in.opening(), "placement.opening");
          v.Merge(opening.status(), "placement.opening");
          if (opening.ok()) std::tie(employer_id, opening_id) = std::tie(opening->parent_id, opening->id);
        }
        if (!in.employer().empty() || opening_id.empty()) {
          auto employer = ParseEmployerName(in.employer(), "placement.employer");
          v.Merge(employer.status(), "placement.employer");
          if (employer.ok() && !employer_id.empty() && *employer != employer_id) {
            v.Add("placement.employer", "must be the opening's employer");
          }
          if (employer.ok()) employer_id = *employer;
        }
        // With an opening the kind may be left out: it is the opening's.
        v.Enum(in.kind(), v1::OpeningKind_IsValid, "placement.kind", opening_id.empty());
        auto start = v.BusinessDate(in.start_date(), "placement.start_date", true, kPlacementDaysAhead);
        if (in.hours_size() != 1) {
          v.Add("placement.hours",
                "must hold exactly the first weekly hours (later changes use :changeHours)");
        } else {
          if (auto bad = CheckHours(in.hours(0).hours_per_week(), "placement.hours.hours_per_week")) {
            v.Add(bad->field, bad->rule);
          }
          const auto& from = in.hours(0).effective_date();
          if (!IsUnset(from) && start && DateText(from) != FormatDay(*start)) {
            v.Add("placement.hours.effective_date", "must be empty or the start date");
          }
        }
        if (!in.converted_from().empty()) v.Add("placement.converted_from", "is output only; use :convert");
        if (!v.empty()) return v.status();
        rec.resource = req->parent();
        rec.citizen_id = *citizen_id;

        // The registry's answer matters only if this is not a retry of a
        // placement already made.
        auto standing = RunningCourse(ctx, *citizen_id);
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto name = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            if (!standing.ok()) return standing.status();
            const std::string enrollment_start = DateText(standing->start_date());
            if (auto s =
                    Breach(CheckStartInCourse(CivilDayOf(standing->start_date()), *start), req->parent());
                !s.ok()) {
              return s;
            }
            const auto employer = LoadEmployer(s, employer_id);
            if (!employer) return errors::NotFound(EmployerName(employer_id));
            std::string opening_industry;
            PlacementRow row;
            row.placement.set_kind(in.kind());
            if (!opening_id.empty()) {
              auto opening = LoadOpening(s, employer_id, opening_id);
              if (!opening) return errors::NotFound(in.opening());
              opening_industry = opening->opening.industry();
              if (in.kind() == v1::OPENING_KIND_UNSPECIFIED) row.placement.set_kind(opening->opening.kind());
              switch (FitToOpening(opening->opening.state() == v1::OPENING_STATE_OPEN,
                                   KindOf(opening->opening.kind()), KindOf(row.placement.kind()))) {
                case OpeningFit::kNotOpen:
                  return errors::FailedPrecondition(
                      "the opening is not open",
                      {{"STATE", in.opening(), "only an open opening can be filled"}});
                case OpeningFit::kOtherKind:
                  return errors::InvalidArgument("placement.kind", "must be the opening's kind or left out");
                case OpeningFit::kFits:
                  break;
              }
              if (TakesLastSlot(CountPlacementsOnOpening(s, opening_id), opening->opening.slots())) {
                SetOpeningState(s, opening_id, v1::OPENING_STATE_FILLED, NowMicros());
              }
            }
            row.citizen_id = *citizen_id;
            row.id = RandomId();
            row.employer_id = employer_id;
            row.opening_id = opening_id;
            row.enrollment_id = LastSegment(standing->enrollment());
            row.enrollment_start = enrollment_start;
            *row.placement.mutable_start_date() = ToProtoDate(*start);
            AddHours(row.placement, *start, in.hours(0).hours_per_week());
            InsertPlacement(s, row, NowMicros());
            core_.outbox().Append(
                s, *citizen_id, StartedEvent(row, JobType(opening_industry, employer->employer.industry())));
            return PlacementName(*citizen_id, row.id);
          });
          if (!name.ok()) return name.status();
          rec.resource = *name;
          return ReadPlacement(s, *name, resp);
        });
      });
}

grpc::Status MatchingService::GetPlacement(grpc::ServerContext* ctx, const v1::GetPlacementRequest* req,
                                           v1::Placement* resp) {
  return core_.guard().Run(ctx, "GetPlacement", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto name = ParsePlacementName(req->name(), "name");
    if (!name.ok()) return name.status();
    rec.resource = req->name();
    rec.citizen_id = name->parent_id;
    return core_.db().Read([&](soci::session& s) { return ReadPlacement(s, req->name(), resp); });
  });
}

grpc::Status MatchingService::ListPlacements(grpc::ServerContext* ctx, const v1::ListPlacementsRequest* req,
                                             v1::ListPlacementsResponse* resp) {
  return core_.guard().Run(ctx, "ListPlacements", [&](const Caller&, CallRecord& rec) -> absl::Status {
    auto citizen_id = ParseCitizenParent(req->parent(), "parent", true);
    if (!citizen_id.ok()) return citizen_id.status();
    PlacementFilter filter;
    filter.citizen_id = *citizen_id;
    rec.citizen_id = *citizen_id;
    rec.resource = absl::StrCat(req->parent(), "/placements?", req->filter());
    auto terms = ParseFilter(req->filter(), {"state", "kind", "employer"});
    if (!terms.ok()) return terms.status();
    for (const auto& t : *terms) {
      if (t.field == "state") {
        v1::PlacementState st;
        if (!v1::PlacementState_Parse(t.value, &st) || st == 0) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown state ", t.value));
        }
        filter.state = st;
      } else if (t.field == "kind") {
        v1::OpeningKind k;
        if (!v1::OpeningKind_Parse(t.value, &k) || k == 0) {
          return errors::InvalidArgument("filter", absl::StrCat("unknown kind ", t.value));
        }
        filter.kind = k;
      } else {
        auto e = ParseEmployerName(t.value, "filter");
        if (!e.ok()) return e.status();
        filter.employer_id = *e;
      }
    }
    auto page = StartListPage(core_.page_tokens(), "ListPlacements", *req);
    if (!page.ok()) return page.status();
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      auto rows = SelectPlacements(s, filter, page->after, page->fetch());
      resp->set_next_page_token(FinishPage(rows, *page, [](const PlacementRow& r) { return r.id; }));
      for (auto& r : rows) *resp->add_placements() = std::move(r.placement);
      return absl::OkStatus();
    });
  });
}

grpc::Status MatchingService::ChangePlacementHours(grpc::ServerContext* ctx,
                                                   const v1::ChangePlacementHoursRequest* req,
                                                   v1::Placement* resp) {
  return core_.guard().Run(
      ctx, "ChangePlacementHours", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto name = ParsePlacementName(req->name(), "name");
        v.Merge(name.status(), "name");
        auto from = v.BusinessDate(req->change().effective_date(), "change.effective_date", true,
                                   kPlacementDaysAhead);
        if (auto bad = CheckHours(req->change().hours_per_week(), "change.hours_per_week"))
          v.Add(bad->field, bad->rule);
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->parent_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto row = PlacementForUpdate(s, *name, req->etag());
          if (!row.ok()) return row.status();
          const HoursStep step{*from, req->change().hours_per_week()};
          if (auto bad = Breach(CheckHoursChange(FactsOf(row->placement), step), req->name()); !bad.ok())
            return bad;
          AddHours(row->placement, step.from, step.hours_per_week);
          UpdatePlacementRow(s, *row, row->version + 1, NowMicros());
          v1::PlacementHoursChanged event;
          event.set_placement_id(row->id);
          *event.mutable_effective_date() = ToProtoDate(step.from);
          event.set_hours_per_week(step.hours_per_week);
          core_.outbox().Append(s, row->citizen_id, event);
          return ReadPlacement(s, req->name(), resp);
        });
      });
}

grpc::Status MatchingService::ConvertPlacement(grpc::ServerContext* ctx,
                                               const v1::ConvertPlacementRequest* req, v1::Placement* resp) {
  return core_.guard().Run(
      ctx, "ConvertPlacement", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        v.Merge(ValidateRequestId(req->request_id()), "request_id");
        auto name = ParsePlacementName(req->name(), "name");
        v.Merge(name.status(), "name");
        v.Enum(req->kind(), v1::OpeningKind_IsValid, "kind", true);
        auto start = v.BusinessDate(req->start_date(), "start_date", true, kPlacementDaysAhead);
        if (auto bad = CheckHours(req->hours_per_week(), "hours_per_week")) v.Add(bad->field, bad->rule);
        if (!v.empty()) return v.status();
        rec.resource = req->name();
        rec.citizen_id = name->parent_id;
        return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
          auto created = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
            auto old = PlacementForUpdate(s, *name, req->etag());
            if (!old.ok()) return old.status();
            if (auto bad = Breach(CheckConversion(FactsOf(old->placement), KindOf(req->kind()), *start),
                                  req->name());
                !bad.ok()) {
              return bad;
            }
            PlacementRow next;
            next.citizen_id = old->citizen_id;
            next.id = RandomId();
            next.employer_id = old->employer_id;
            next.enrollment_id = old->enrollment_id;
            next.enrollment_start = old->enrollment_start;
            next.placement.set_kind(req->kind());
            *next.placement.mutable_start_date() = ToProtoDate(*start);
            next.placement.set_converted_from(old->placement.name());
            AddHours(next.placement, *start, req->hours_per_week());
            InsertPlacement(s, next, NowMicros());

            old->placement.set_state(v1::PLACEMENT_STATE_CONVERTED);
            *old->placement.mutable_end_date() = ToProtoDate(*start - 1);
            old->placement.set_converted_to(PlacementName(next.citizen_id, next.id));
            UpdatePlacementRow(s, *old, old->version + 1, NowMicros());
            core_.outbox().Append(s, old->citizen_id, EndedEvent(*old));
            core_.outbox().Append(s, next.citizen_id,
                                  StartedEvent(next, JobTypeOf(s, old->employer_id, old->opening_id)));
            return PlacementName(next.citizen_id, next.id);
          });
          if (!created.ok()) return created.status();
          rec.resource = *created;
          return ReadPlacement(s, *created, resp);
        });
      });
}

grpc::Status MatchingService::EndPlacement(grpc::ServerContext* ctx, const v1::EndPlacementRequest* req,
                                           v1::Placement* resp) {
  return core_.guard().Run(ctx, "EndPlacement", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    auto name = ParsePlacementName(req->name(), "name");
    v.Merge(name.status(), "name");
    auto end = v.BusinessDate(req->end_date(), "end_date", true, kPlacementDaysAhead);
    v.Enum(req->end_reason(), v1::PlacementEndReason_IsValid, "end_reason", true);
    if (!v.empty()) return v.status();
    rec.resource = req->name();
    rec.citizen_id = name->parent_id;
    return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
      auto row = PlacementForUpdate(s, *name, req->etag());
      if (!row.ok()) return row.status();
      if (auto bad = Breach(CheckEnd(FactsOf(row->placement), *end), req->name()); !bad.ok()) return bad;
      row->placement.set_state(v1::PLACEMENT_STATE_ENDED);
      *row->placement.mutable_end_date() = ToProtoDate(*end);
      row->placement.set_end_reason(req->end_reason());
      UpdatePlacementRow(s, *row, row->version + 1, NowMicros());
      // A hire improves the employer's record, which the match score uses.
      if (req->end_reason() == v1::PLACEMENT_END_REASON_HIRED) RecordEmployerHire(s, row->employer_id);
      core_.outbox().Append(s, row->citizen_id, EndedEvent(*row));
      return ReadPlacement(s, req->name(), resp);
    });
  });
}

}  // namespace ips::matching
