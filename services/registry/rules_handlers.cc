// CitizenRegistry's rules versions: what each contains (ListRuleVersions),
// and courses planned again when the rules change (ReplanCourses).
#include "absl/strings/str_cat.h"
#include "ips/registry/v1/events.pb.h"
#include "services/common/dates.h"
#include "services/common/json_log.h"
#include "services/common/subject_erasure.h"
#include "services/registry/registry_service.h"

namespace ips::registry {
namespace {

v1::RuleVersion ToProto(const rules::RuleVersion& v) {
  v1::RuleVersion out;
  out.set_id(v.id);
  *out.mutable_effective_from() = ToProtoDate(v.effective_from);
  out.set_source(v.source);
  auto* entry = out.mutable_entry();
  entry->set_minimum_age(v.entry.minimum_age);
  entry->set_unemployment_limit_months(v.entry.unemployment_limit_months);
  for (auto g : v.entry.match_groups) entry->add_match_groups(rules::MatchGroupName(g));
  for (int b : v.entry.benefits) entry->add_benefits(static_cast<v1::BenefitType>(b));
  for (int d : v.entry.districts) entry->add_programme_districts(static_cast<v1::District>(d));
  for (const auto& [group, plan] : v.plans) {
    auto* p = out.add_conversation_plans();
    p->set_match_group(rules::MatchGroupName(group));
    p->set_period(FormatPeriod(plan.period));
    for (const auto& due : plan.due) p->add_due(FormatPeriod(due));
    p->set_basis(plan.basis);
  }
  for (int o : v.outcomes) out.add_outcomes(static_cast<v1::CourseOutcome>(o));
  return out;
}

}  // namespace

rules::MatchGroup MatchGroupOf(const v1::EligibilityAssessment& a) {
  return a.activity_ready() ? rules::MatchGroup::kActivityReady : rules::MatchGroup::kJobReady;
}

grpc::Status RegistryService::ListRuleVersions(grpc::ServerContext* ctx, const v1::ListRuleVersionsRequest*,
                                               v1::ListRuleVersionsResponse* resp) {
  return core_.guard().Run(ctx, "ListRuleVersions", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "ruleVersions";
    for (const auto& v : rules_.book.versions) *resp->add_versions() = ToProto(v);
    for (const auto& p : rules_.book.pending) {
      auto* out = resp->add_pending_changes();
      *out->mutable_expected_from() = ToProtoDate(p.expected_from);
      out->set_change(p.change);
      out->set_source(p.source);
    }
    return absl::OkStatus();
  });
}

absl::Status RegistryService::ReplanCourses() {
  std::string applied;
  if (auto s = core_.db().Read([&](soci::session& s) {
        applied = RulesApplied(s);
        return absl::OkStatus();
      });
      !s.ok()) {
    return s;
  }
  if (applied == rules_.fingerprint) return absl::OkStatus();
  // Each course by the version now in force on its start date; a batch of
  // courses per transaction, each change with its event.
  long long changed = 0;
  std::string after;
  while (true) {
    std::vector<EnrollmentRecord> batch;
    absl::Status status = core_.db().Write([&](soci::session& s) {
      batch = SelectEnrollments(s, {}, after, 500);
      for (const auto& r : batch) {
        // An erased citizen's courses stay as they were, like the report.
        if (IsErased(s, r.citizen_id)) continue;
        const rules::RuleVersion* version = rules::VersionOn(rules_.book, r.start_date).version;
        if (!version) continue;
        const rules::ConversationPlan* plan =
            rules::PlanFor(*version, MatchGroupOf(r.enrollment.assessment()));
        if (!plan) continue;
        const auto due = rules::PlanDueDates(*plan, r.start_date);
        if (due == r.due_dates && version->id == r.enrollment.rules_version()) continue;
        UpdateEnrollmentPlan(s, r.id, version->id, due);
        v1::ConversationPlanChanged event;
        event.set_enrollment_id(r.id);
        event.set_rules_version(version->id);
        for (auto d : due) *event.add_conversation_due_dates() = ToProtoDate(d);
        core_.outbox().Append(s, r.citizen_id, event);
        ++changed;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (batch.size() < 500) break;
    after = batch.back().id;
  }
  absl::Status done = core_.db().Write([&](soci::session& s) {
    SetRulesApplied(s, rules_.fingerprint);
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  core_.outbox().NotifyCommitted();
  LogInfo("courses_replanned", {{"changed", changed}});
  return absl::OkStatus();
}

}  // namespace ips::registry
