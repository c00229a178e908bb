#include "services/registry/registry_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/prepared.h"
#include "services/common/violations.h"
#include "services/registry/domain/caseload.h"
#include "services/registry/registry_schema.h"
#include "services/registry/resource_names.h"
#include "services/rules/conversation_plan.h"

namespace ips::registry {

RegistryService::RegistryService(ServiceCore& core, RegistryRules rules,
                                 std::shared_ptr<const TreatmentClient> treatment)
    : PublishingService(core, RegistrySubjectData()),
      rules_(std::move(rules)),
      treatment_(std::move(treatment)) {}

absl::StatusOr<TreatmentEvidence> RegistryService::TreatmentEvidenceFor(const std::string& citizen_id,
                                                                        absl::CivilDay start,
                                                                        bool self_declared) const {
  TreatmentClient::Result result;
  bool proceed = false;
  if (treatment_) {
    result = treatment_->StatusOn(citizen_id, start);
    proceed = treatment_->proceed_unverified();
  }
  auto evidence = WeighTreatmentEvidence(result.answer, self_declared, proceed);
  if (!evidence) {
    return absl::UnavailableError(absl::StrCat(
        "SOF's treatment service did not answer, so the rule 'not already in substance treatment' cannot be "
        "checked; try again shortly (",
        result.problem, ")"));
  }
  return *evidence;
}

bool RegistryService::WholeRegister(const Caller& caller) {
  return caller.HasRole("team_lead") || caller.HasRole("dpo") || caller.HasRole("admin");
}

CaseloadScope RegistryService::ScopeOf(soci::session& s, const Caller& caller) {
  CaseloadScope scope;
  scope.whole_register = WholeRegister(caller);
  if (!scope.whole_register) scope.consultant_id = ConsultantIdBySubject(s, caller.subject).value_or("");
  return scope;
}

absl::Status RegistryService::CheckAccess(soci::session& s, const Caller& caller,
                                          const std::string& citizen_id) {
  const CitizenAccessFacts facts = ReadCitizenAccessFacts(s, citizen_id, caller.subject);
  // An erased citizen is gone from the register, with all that hangs off them.
  if (facts.erased) return errors::NotFound(CitizenName(citizen_id));
  CaseloadScope scope;
  scope.whole_register = WholeRegister(caller);
  scope.consultant_id = scope.whole_register ? "" : facts.caller_consultant_id;
  if (MayAccessCitizen(scope, facts.citizen_consultant_id)) return absl::OkStatus();
  return errors::PermissionDenied("NOT_ON_CASELOAD", "the citizen is on another consultant's caseload");
}

absl::Status RegistryService::ReadIfOnCaseload(const Caller& caller, const CallRecord& rec,
                                               const std::function<absl::Status(soci::session&)>& fn) {
  return core_.db().Read([&](soci::session& s) -> absl::Status {
    if (!rec.citizen_id.empty()) {
      if (auto access = CheckAccess(s, caller, rec.citizen_id); !access.ok()) return access;
    }
    return fn(s);
  });
}

absl::Status RegistryService::WriteIfOnCaseload(const Caller& caller, CallRecord& rec,
                                                const std::function<absl::Status(soci::session&)>& fn) {
  const std::string citizen_id = rec.citizen_id;
  return core_.WriteAudited(caller, rec, [&](soci::session& s) -> absl::Status {
    if (!citizen_id.empty()) {
      if (auto access = CheckAccess(s, caller, citizen_id); !access.ok()) return access;
    }
    return fn(s);
  });
}

absl::StatusOr<EnrollmentRecord> RegistryService::EnrollmentFor(soci::session& s, const EnrollmentName& name,
                                                                bool must_be_active) {
  auto r = LoadEnrollment(s, name.citizen_id, name.enrollment_id);
  if (!r) return errors::NotFound(EnrollmentNameOf(name.citizen_id, name.enrollment_id));
  if (must_be_active) {
    if (auto active = RequireActive(*r); !active.ok()) return active;
  }
  return *r;
}

absl::Status RegistryService::RequireActive(const EnrollmentRecord& r) {
  if (r.enrollment.state() == v1::ENROLLMENT_STATE_ACTIVE) return absl::OkStatus();
  return errors::FailedPrecondition(
      "the course has ended and is read-only",
      {{"STATE", r.enrollment.name(), "enrolment ended; start a new enrolment to record more"}});
}

absl::StatusOr<EnrollmentRecord> RegistryService::EnrollmentForUpdate(soci::session& s,
                                                                      const EnrollmentName& name,
                                                                      const std::string& etag) {
  auto r = EnrollmentFor(s, name, true);
  if (!r.ok()) return r.status();
  if (auto stale = CheckEtag(etag, r->enrollment.etag(), r->enrollment.name()); !stale.ok()) return stale;
  return r;
}

absl::Status RegistryService::ReadEnrollment(soci::session& s, const EnrollmentName& name,
                                             v1::Enrollment* out) {
  auto r = EnrollmentFor(s, name, false);
  if (!r.ok()) return r.status();
  FillConversationPlan(s, *r);
  r->enrollment.set_rules_provisional(rules::VersionOn(rules_.book, r->start_date).not_yet_known != nullptr);
  *out = std::move(r->enrollment);
  return absl::OkStatus();
}

void RegistryService::FillConversationPlan(soci::session& s, EnrollmentRecord& r) {
  auto& e = r.enrollment;
  std::vector<rules::HeldConversation> held;
  v1::ConversationStatistics stats;
  std::string after;
  // Read every conversation (a course has a few dozen at most).
  while (true) {
    auto page = SelectConversations(s, r, after, 500);
    for (const auto& c : page) {
      absl::CivilDay day(c.date().year(), c.date().month(), c.date().day());
      switch (c.status()) {
        case v1::JOB_CONVERSATION_STATUS_HELD:
          stats.set_held(stats.held() + 1);
          held.push_back({day, c.name()});
          break;
        case v1::JOB_CONVERSATION_STATUS_NO_SHOW:
          stats.set_no_shows(stats.no_shows() + 1);
          break;
        case v1::JOB_CONVERSATION_STATUS_CANCELLED:
          stats.set_cancelled(stats.cancelled() + 1);
          break;
        default:
          break;
      }
    }
    if (page.size() < 500) break;
    after = ConversationKey(page.back());
  }
  // An ended course is judged as of its end date, and owes no conversation
  // due after it; a running one is judged as of today.
  absl::CivilDay as_of = TodayInCopenhagen();
  std::optional<absl::CivilDay> end;
  if (e.state() == v1::ENROLLMENT_STATE_ENDED && !IsUnset(e.end_date())) {
    end = CivilDayOf(e.end_date());
    as_of = *end;
  }
  e.clear_conversation_plan();
  for (const auto& due : rules::EvaluatePlan(r.due_dates, held, as_of, end)) {
    auto* item = e.add_conversation_plan();
    *item->mutable_due_date() = ToProtoDate(due.due);
    item->set_met_by(due.met_by);
    switch (due.state) {
      case rules::DueState::kMet:
        item->set_state(v1::CONVERSATION_DUE_STATE_MET);
        stats.set_due(stats.due() + 1);
        stats.set_met_on_time(stats.met_on_time() + 1);
        break;
      case rules::DueState::kMissed:
        item->set_state(v1::CONVERSATION_DUE_STATE_MISSED);
        stats.set_due(stats.due() + 1);
        break;
      case rules::DueState::kPending:
        item->set_state(v1::CONVERSATION_DUE_STATE_PENDING);
        break;
    }
  }
  *e.mutable_conversation_statistics() = stats;
}

absl::StatusOr<v1::Consultant> RegistryService::ConsultantWithRoom(soci::session& s, const std::string& id) {
  // Lock the consultant row so concurrent enrolments (PostgreSQL) count
  // the caseload one after the other and cannot both take the last place.
  std::string locked;
  RunKept(s, absl::StrCat("SELECT id FROM consultants WHERE id = :id", core_.db().ForUpdate()), soci::use(id),
          soci::into(locked));
  auto c = LoadConsultant(s, id, rules_.default_caseload_cap);
  if (!c) return errors::NotFound(ConsultantName(id));
  switch (RoomFor(c->state() == v1::CONSULTANT_STATE_ACTIVE, c->caseload(), c->effective_caseload_cap())) {
    case Room::kInactive:
      return errors::FailedPrecondition("the consultant takes no new citizens",
                                        {{"CONSULTANT", c->name(), "consultant is inactive"}});
    case Room::kFull:
      return errors::FailedPrecondition(
          "the consultant's caseload is full",
          {{"CASELOAD", c->name(),
            absl::StrCat("caseload ", c->caseload(), " of ", c->effective_caseload_cap())}});
    case Room::kYes:
      break;
  }
  return *c;
}

}  // namespace ips::registry
