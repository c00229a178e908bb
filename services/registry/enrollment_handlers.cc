// CitizenRegistry handlers for eligibility and enrolments: check, enrol,
// get, list, assign a consultant, end the course.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ips/registry/v1/events.pb.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/idempotency.h"
#include "services/common/list_query.h"
#include "services/common/violations.h"
#include "services/registry/domain/caseload.h"
#include "services/registry/domain/eligibility.h"
#include "services/registry/domain/enrolment_rules.h"
#include "services/registry/registry_service.h"
#include "services/registry/resource_names.h"

namespace ips::registry {
namespace {

void CheckAssessment(const v1::EligibilityAssessment& a, const std::string& prefix, Violations& v) {
  v.Enum(a.benefit_type(), v1::BenefitType_IsValid, prefix + "benefit_type", true);
  if (a.unemployment_months() < 0 || a.unemployment_months() > 1200) {
    v.Add(prefix + "unemployment_months", "must be between 0 and 1200");
  }
}

v1::TreatmentCheck ToProto(TreatmentSource source) {
  switch (source) {
    case TreatmentSource::kSelfDeclared:
      return v1::TREATMENT_CHECK_SELF_DECLARED;
    case TreatmentSource::kVerified:
      return v1::TREATMENT_CHECK_VERIFIED;
    case TreatmentSource::kUnverifiedNoConsent:
      return v1::TREATMENT_CHECK_UNVERIFIED_NO_CONSENT;
    case TreatmentSource::kUnverifiedUnavailable:
      return v1::TREATMENT_CHECK_UNVERIFIED_SERVICE_UNAVAILABLE;
  }
  return v1::TREATMENT_CHECK_UNSPECIFIED;
}

v1::EligibilityDecision Evaluate(const v1::Citizen& citizen, absl::CivilDay start,
                                 const v1::EligibilityAssessment& a, const rules::RuleVersion& version,
                                 const TreatmentEvidence& treatment) {
  EligibilityFacts facts;
  facts.birth_date = CivilDayOf(citizen.birth_date());
  facts.start_date = start;
  facts.match_group = MatchGroupOf(a);
  facts.benefit = a.benefit_type();
  facts.district = citizen.district();
  facts.substance_use_problem = a.substance_use_problem();
  facts.unemployment_months = a.unemployment_months();
  facts.in_substance_treatment = treatment.in_treatment;
  facts.treatment_source = treatment.source;
  v1::EligibilityDecision decision;
  decision.set_rules_version(version.id);
  for (const auto& o : EvaluateEligibility(facts, version.entry)) {
    auto* r = decision.add_results();
    r->set_rule(static_cast<v1::EligibilityRule>(o.rule));
    r->set_met(o.met);
    r->set_detail(o.detail);
  }
  decision.set_treatment_check(ToProto(treatment.source));
  return decision;
}

std::vector<errors::PreconditionViolation> UnmetRules(const v1::EligibilityDecision& d) {
  std::vector<errors::PreconditionViolation> out;
  for (const auto& r : d.results()) {
    if (!r.met()) out.push_back({"ELIGIBILITY", v1::EligibilityRule_Name(r.rule()), r.detail()});
  }
  return out;
}

}  // namespace

absl::StatusOr<const rules::RuleVersion*> RegistryService::RulesOn(absl::CivilDay start) const {
  const rules::InForce in_force = rules::VersionOn(rules_.book, start);
  if (!in_force.version) {
    return errors::FailedPrecondition(
        "no rules version is in force on the start date",
        {{"RULES", FormatDay(start),
          absl::StrCat("the first rules version takes effect on ",
                       FormatDay(rules_.book.versions.front().effective_from))}});
  }
  return in_force.version;
}

grpc::Status RegistryService::CheckEligibility(grpc::ServerContext* ctx,
                                               const v1::CheckEligibilityRequest* req,
                                               v1::EligibilityDecision* resp) {
  return core_.guard().Run(
      ctx, "CheckEligibility", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        Violations v;
        auto id = ParseCitizenName(req->citizen(), "citizen");
        v.Merge(id.status(), "citizen");
        auto start = v.BusinessDate(req->start_date(), "start_date", true, kEnrolmentStartDaysAhead);
        CheckAssessment(req->assessment(), "assessment.", v);
        if (!v.empty()) return v.status();
        rec.resource = req->citizen();
        rec.citizen_id = *id;
        auto treatment = TreatmentEvidenceFor(*id, *start, req->assessment().in_substance_treatment());
        if (!treatment.ok()) return treatment.status();
        return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
          auto citizen = LoadCitizen(s, *id);
          if (!citizen) return errors::NotFound(req->citizen());
          auto version = RulesOn(*start);
          if (!version.ok()) return version.status();
          *resp = Evaluate(*citizen, *start, req->assessment(), **version, *treatment);
          return absl::OkStatus();
        });
      });
}

grpc::Status RegistryService::EnrollCitizen(grpc::ServerContext* ctx, const v1::EnrollCitizenRequest* req,
                                            v1::Enrollment* resp) {
  return core_.guard().Run(ctx, "EnrollCitizen", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Merge(ValidateRequestId(req->request_id()), "request_id");
    auto citizen_id = ParseCitizenName(req->citizen(), "citizen");
    v.Merge(citizen_id.status(), "citizen");
    const auto& in = req->enrollment();
    auto start = v.BusinessDate(in.start_date(), "enrollment.start_date", true, kEnrolmentStartDaysAhead);
    CheckAssessment(in.assessment(), "enrollment.assessment.", v);
    std::string consultant_id;
    if (!in.consultant().empty()) {
      auto k = ParseConsultantName(in.consultant(), "enrollment.consultant");
      v.Merge(k.status(), "enrollment.consultant");
      if (k.ok()) consultant_id = *k;
    }
    if (!req->override_reason().empty()) {
      v.Text(req->override_reason(), "override_reason", kOverrideReasonMaxChars, false, TextLines::kMulti);
      if (CharacterCount(req->override_reason()) < kOverrideReasonMinChars) {
        v.Add("override_reason", absl::StrCat("must be a written reason of ", kOverrideReasonMinChars, " to ",
                                              kOverrideReasonMaxChars, " characters"));
      }
    }
    if (!v.empty()) return v.status();
    rec.resource = req->citizen();
    rec.citizen_id = *citizen_id;
    const bool reason_given = !req->override_reason().empty();
    const bool team_lead = caller.HasRole("team_lead");
    if (OverrideNeedsTeamLead(reason_given, team_lead)) {
      return errors::PermissionDenied("OVERRIDE_REQUIRES_TEAM_LEAD",
                                      "only a team lead may enrol a citizen who does not meet every rule");
    }
    auto version = RulesOn(*start);
    if (!version.ok()) return version.status();
    const rules::ConversationPlan* plan = rules::PlanFor(**version, MatchGroupOf(in.assessment()));

    // Ask SOF before the write transaction (never hold the database across
    // a network call); a failure matters only if this is not a retry of an
    // enrolment already made.
    auto treatment = TreatmentEvidenceFor(*citizen_id, *start, in.assessment().in_substance_treatment());

    // A refusal by the entry rules is a decision the registry publishes,
    // after the enrolment's transaction has rolled back (PublishRefusal).
    std::optional<v1::EntryRefused> refused;
    absl::Status done = WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto made = CreateOnce(s, caller, rec, *req, [&]() -> absl::StatusOr<std::string> {
        EnrollmentRecord record;
        auto citizen = LoadCitizen(s, *citizen_id);
        if (!citizen) return errors::NotFound(req->citizen());
        if (!citizen->active_enrollment().empty()) {
          return errors::FailedPrecondition(
              "the citizen is already enrolled",
              {{"STATE", citizen->active_enrollment(), "an active enrolment exists; end it first"}});
        }
        if (!treatment.ok()) return treatment.status();
        v1::EligibilityDecision decision = Evaluate(*citizen, *start, in.assessment(), **version, *treatment);
        auto unmet = UnmetRules(decision);
        switch (DecideOverride(reason_given, team_lead, unmet.empty())) {
          case OverrideVerdict::kRefusedUnmet:
            refused.emplace();
            *refused->mutable_start_date() = in.start_date();
            for (const auto& r : decision.results()) {
              if (!r.met()) refused->add_unmet_rules(r.rule());
            }
            return errors::FailedPrecondition("the citizen does not meet the programme's entry rules", unmet);
          case OverrideVerdict::kNothingToOverride:
            return errors::InvalidArgument("override_reason", "must be empty: every eligibility rule is met");
          case OverrideVerdict::kNeedsTeamLead:  // refused before the transaction
          case OverrideVerdict::kNotNeeded:
          case OverrideVerdict::kOverridden:
            break;
        }
        if (!unmet.empty()) {
          decision.set_overridden(true);
          decision.set_override_reason(req->override_reason());
          decision.set_overridden_by(caller.subject);
          std::vector<std::string> rules;
          for (const auto& u : unmet) rules.push_back(u.subject);
          rec.note = absl::StrCat("eligibility override of ", absl::StrJoin(rules, ","),
                                  "; reason recorded on the enrolment");
        }
        if (consultant_id.empty()) {
          auto least = LeastLoaded(ActiveConsultantLoads(s), rules_.default_caseload_cap);
          if (!least) {
            return errors::FailedPrecondition(
                "no consultant can take the citizen",
                {{"CASELOAD", "consultants", "every active consultant's caseload is full"}});
          }
          consultant_id = *least;
        }
        auto consultant = ConsultantWithRoom(s, consultant_id);
        if (!consultant.ok()) return consultant.status();

        record.id = RandomId();
        record.citizen_id = *citizen_id;
        record.consultant_id = consultant_id;
        record.start_date = *start;
        record.due_dates = rules::PlanDueDates(*plan, *start);
        auto& e = record.enrollment;
        e.set_name(EnrollmentNameOf(record.citizen_id, record.id));
        e.set_consultant(ConsultantName(consultant_id));
        *e.mutable_start_date() = ToProtoDate(*start);
        e.set_state(v1::ENROLLMENT_STATE_ACTIVE);
        *e.mutable_assessment() = in.assessment();
        *e.mutable_decision() = decision;
        e.set_rules_version((*version)->id);
        e.set_conversation_schedule((*version)->id);
        InsertEnrollment(s, record, NowMicros());

        v1::EnrollmentStarted event;
        event.set_enrollment_id(record.id);
        *event.mutable_start_date() = e.start_date();
        event.set_consultant_id(consultant_id);
        event.set_age_band(
            AgeBand(AgeOn(absl::CivilDay(citizen->birth_date().year(), citizen->birth_date().month(),
                                         citizen->birth_date().day()),
                          *start)));
        event.set_district(citizen->district());
        event.set_overridden(decision.overridden());
        for (auto d : record.due_dates) *event.add_conversation_due_dates() = ToProtoDate(d);
        event.set_rules_version((*version)->id);
        core_.outbox().Append(s, *citizen_id, event);
        return e.name();
      });
      if (!made.ok()) return made.status();
      // Read back in the same transaction: the answer is what was committed.
      auto name = ParseEnrollmentName(*made, "request_id");
      if (!name.ok()) return name.status();
      return ReadEnrollment(s, *name, resp);
    });
    if (refused && absl::IsFailedPrecondition(done)) {
      // No refusal is answered unpublished: if the feed cannot take it the
      // call fails with the database's error, and the caller's retry is
      // refused (and published) again.
      if (auto published = core_.db().Write([&](soci::session& s) {
            core_.outbox().Append(s, *citizen_id, *refused);
            return absl::OkStatus();
          });
          !published.ok()) {
        return published;
      }
    }
    return done;
  });
}

grpc::Status RegistryService::GetEnrollment(grpc::ServerContext* ctx, const v1::GetEnrollmentRequest* req,
                                            v1::Enrollment* resp) {
  return core_.guard().Run(ctx, "GetEnrollment", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    auto name = ParseEnrollmentName(req->name(), "name");
    if (!name.ok()) return name.status();
    rec.resource = req->name();
    rec.citizen_id = name->citizen_id;
    return ReadIfOnCaseload(caller, rec,
                            [&](soci::session& s) -> absl::Status { return ReadEnrollment(s, *name, resp); });
  });
}

grpc::Status RegistryService::ListEnrollments(grpc::ServerContext* ctx, const v1::ListEnrollmentsRequest* req,
                                              v1::ListEnrollmentsResponse* resp) {
  return core_.guard().Run(
      ctx, "ListEnrollments", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        EnrollmentFilter filter;
        if (req->parent() != "citizens/-") {
          auto id = ParseCitizenName(req->parent(), "parent");
          if (!id.ok()) {
            return errors::InvalidArgument("parent",
                                           "must be `citizens/{id}` or `citizens/-` for all citizens");
          }
          filter.citizen_id = *id;
          rec.citizen_id = *id;
        }
        rec.resource = absl::StrCat(req->parent(), "/enrollments?", req->filter());
        auto terms = ParseFilter(req->filter(), {"state", "consultant"});
        if (!terms.ok()) return terms.status();
        for (const auto& t : *terms) {
          if (t.field == "state") {
            v1::EnrollmentState st;
            if (!v1::EnrollmentState_Parse(t.value, &st)) {
              return errors::InvalidArgument("filter", absl::StrCat("unknown state ", t.value));
            }
            filter.state = st;
          } else {
            auto k = ParseConsultantName(t.value, "filter");
            if (!k.ok()) return k.status();
            filter.consultant_id = *k;
          }
        }
        auto page = StartListPage(core_.page_tokens(), "ListEnrollments", *req);
        if (!page.ok()) return page.status();
        return ReadIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
          auto scope = ScopeOf(s, caller);
          if (!scope.whole_register && filter.citizen_id.empty()) {
            // Across citizens a consultant lists their own caseload only.
            if (!filter.consultant_id.empty() && filter.consultant_id != scope.consultant_id) {
              return errors::PermissionDenied("NOT_ON_CASELOAD", "you can list only your own caseload");
            }
            filter.consultant_id = scope.consultant_id.empty() ? "-" : scope.consultant_id;
          }
          auto rows = SelectEnrollments(s, filter, page->after, page->fetch());
          resp->set_next_page_token(FinishPage(rows, *page, [](const EnrollmentRecord& r) { return r.id; }));
          for (auto& r : rows) {
            FillConversationPlan(s, r);
            *resp->add_enrollments() = std::move(r.enrollment);
          }
          return absl::OkStatus();
        });
      });
}

grpc::Status RegistryService::AssignConsultant(grpc::ServerContext* ctx,
                                               const v1::AssignConsultantRequest* req, v1::Enrollment* resp) {
  return core_.guard().Run(ctx, "AssignConsultant",
                           [&](const Caller& caller, CallRecord& rec) -> absl::Status {
                             Violations v;
                             auto name = ParseEnrollmentName(req->name(), "name");
                             v.Merge(name.status(), "name");
                             auto consultant_id = ParseConsultantName(req->consultant(), "consultant");
                             v.Merge(consultant_id.status(), "consultant");
                             if (!v.empty()) return v.status();
                             rec.resource = req->name();
                             rec.citizen_id = name->citizen_id;
                             return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
                               auto r = EnrollmentForUpdate(s, *name, req->etag());
                               if (!r.ok()) return r.status();
                               if (r->consultant_id != *consultant_id) {
                                 auto consultant = ConsultantWithRoom(s, *consultant_id);
                                 if (!consultant.ok()) return consultant.status();
                                 v1::ConsultantAssigned event;
                                 event.set_enrollment_id(r->id);
                                 event.set_consultant_id(*consultant_id);
                                 event.set_previous_consultant_id(r->consultant_id);
                                 r->consultant_id = *consultant_id;
                                 r->version += 1;
                                 UpdateEnrollment(s, *r, NowMicros());
                                 core_.outbox().Append(s, name->citizen_id, event);
                               }
                               return ReadEnrollment(s, *name, resp);
                             });
                           });
}

grpc::Status RegistryService::EndEnrollment(grpc::ServerContext* ctx, const v1::EndEnrollmentRequest* req,
                                            v1::Enrollment* resp) {
  return core_.guard().Run(ctx, "EndEnrollment", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
    Violations v;
    auto name = ParseEnrollmentName(req->name(), "name");
    v.Merge(name.status(), "name");
    auto end = v.Date(req->end_date(), "end_date", true);
    if (end && *end > TodayInCopenhagen()) v.Add("end_date", "must not be in the future");
    v.Enum(req->outcome(), v1::CourseOutcome_IsValid, "outcome", true);
    v.Text(req->end_reason(), "end_reason", 2000, req->outcome() == v1::COURSE_OUTCOME_ENDED_EARLY,
           TextLines::kMulti);
    if (req->lost_contact() && req->outcome() != v1::COURSE_OUTCOME_ENDED_EARLY) {
      v.Add("lost_contact",
            "only with COURSE_OUTCOME_ENDED_EARLY: a course that reached another outcome did not end for "
            "want of contact");
    }
    if (!v.empty()) return v.status();
    rec.resource = req->name();
    rec.citizen_id = name->citizen_id;
    return WriteIfOnCaseload(caller, rec, [&](soci::session& s) -> absl::Status {
      auto r = EnrollmentForUpdate(s, *name, req->etag());
      if (!r.ok()) return r.status();
      if (*end < r->start_date) {
        return errors::InvalidArgument("end_date", "must not be before the course's start date");
      }
      // A course's records lie inside it.
      if (auto latest = LatestRecordOf(s, *r); latest && latest->day > *end) {
        return errors::FailedPrecondition(
            "the course cannot end before a record already made on it",
            {{"RECORD_AFTER_END", latest->name,
              absl::StrCat("dated ", FormatDay(latest->day), ", after the end date ", FormatDay(*end))}});
      }
      // Outcomes by the version in force when the course started (a reform
      // that abolishes an outcome for new cases leaves running ones be).
      auto version = RulesOn(r->start_date);
      if (!version.ok()) return version.status();
      if (!(*version)->outcomes.count(req->outcome())) {
        return errors::FailedPrecondition(
            absl::StrCat(v1::CourseOutcome_Name(req->outcome()), " is not an outcome a course started on ",
                         FormatDay(r->start_date), " may end in (rules version ", (*version)->id, ")"),
            {{"OUTCOME_NOT_IN_RULES_VERSION", (*version)->id,
              absl::StrCat(v1::CourseOutcome_Name(req->outcome()), " is not among the outcomes of ",
                           (*version)->id, ", in force from ", FormatDay((*version)->effective_from), ": ",
                           (*version)->source)}});
      }
      auto& e = r->enrollment;
      e.set_state(v1::ENROLLMENT_STATE_ENDED);
      *e.mutable_end_date() = ToProtoDate(*end);
      e.set_outcome(req->outcome());
      e.set_end_reason(req->end_reason());
      e.set_lost_contact(req->lost_contact());
      r->version += 1;
      UpdateEnrollment(s, *r, NowMicros());
      v1::EnrollmentEnded event;
      event.set_enrollment_id(r->id);
      *event.mutable_start_date() = e.start_date();
      *event.mutable_end_date() = e.end_date();
      event.set_outcome(req->outcome());
      event.set_lost_contact(req->lost_contact());
      core_.outbox().Append(s, name->citizen_id, event);
      return ReadEnrollment(s, *name, resp);
    });
  });
}

}  // namespace ips::registry
