#pragma once

#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/common/common_rpcs.h"
#include "services/registry/domain/caseload_scope.h"
#include "services/registry/registry_rules.h"
#include "services/registry/registry_store.h"
#include "services/registry/resource_names.h"
#include "services/registry/treatment_client.h"

namespace ips::registry {

// RegistryService implements ips.registry.v1.CitizenRegistry. Each handler
// runs inside the CallGuard (authentication, policy, audit, metrics),
// validates the whole request first, and writes its change and events in
// one transaction. Handlers are grouped by resource:
// citizen_handlers.cc, consultant_handlers.cc, enrollment_handlers.cc,
// course_record_handlers.cc, matching_peer_handlers.cc (minimal answers to
// the matching service), rules_handlers.cc (the rules versions). The feed,
// audit and subject-data RPCs come from PublishingService (common_rpcs.h).
class RegistryService final : public PublishingService<v1::CitizenRegistry> {
 public:
  // `treatment` may be null: the treatment rule is then self-declared.
  RegistryService(ServiceCore& core, RegistryRules rules,
                  std::shared_ptr<const TreatmentClient> treatment = nullptr);

  // Makes each course's conversation plan again from the version now in
  // force on its start date when the rules file changed since the courses
  // were last planned (a version added or corrected), each change with a
  // ConversationPlanChanged event for reporting. Run at start, before
  // serving.
  absl::Status ReplanCourses();

  grpc::Status CreateCitizen(grpc::ServerContext*, const v1::CreateCitizenRequest*, v1::Citizen*) override;
  grpc::Status GetCitizen(grpc::ServerContext*, const v1::GetCitizenRequest*, v1::Citizen*) override;
  grpc::Status ListCitizens(grpc::ServerContext*, const v1::ListCitizensRequest*,
                            v1::ListCitizensResponse*) override;
  grpc::Status UpdateCitizen(grpc::ServerContext*, const v1::UpdateCitizenRequest*, v1::Citizen*) override;
  grpc::Status LookupCitizen(grpc::ServerContext*, const v1::LookupCitizenRequest*, v1::Citizen*) override;

  grpc::Status CreateConsultant(grpc::ServerContext*, const v1::CreateConsultantRequest*,
                                v1::Consultant*) override;
  grpc::Status GetConsultant(grpc::ServerContext*, const v1::GetConsultantRequest*, v1::Consultant*) override;
  grpc::Status ListConsultants(grpc::ServerContext*, const v1::ListConsultantsRequest*,
                               v1::ListConsultantsResponse*) override;
  grpc::Status UpdateConsultant(grpc::ServerContext*, const v1::UpdateConsultantRequest*,
                                v1::Consultant*) override;

  grpc::Status ListRuleVersions(grpc::ServerContext*, const v1::ListRuleVersionsRequest*,
                                v1::ListRuleVersionsResponse*) override;
  grpc::Status CheckEligibility(grpc::ServerContext*, const v1::CheckEligibilityRequest*,
                                v1::EligibilityDecision*) override;
  grpc::Status EnrollCitizen(grpc::ServerContext*, const v1::EnrollCitizenRequest*, v1::Enrollment*) override;
  grpc::Status GetEnrollment(grpc::ServerContext*, const v1::GetEnrollmentRequest*, v1::Enrollment*) override;
  grpc::Status ListEnrollments(grpc::ServerContext*, const v1::ListEnrollmentsRequest*,
                               v1::ListEnrollmentsResponse*) override;
  grpc::Status GetEnrollmentStanding(grpc::ServerContext*, const v1::GetEnrollmentStandingRequest*,
                                     v1::EnrollmentStanding*) override;
  grpc::Status ListCaseload(grpc::ServerContext*, const v1::ListCaseloadRequest*,
                            v1::ListCaseloadResponse*) override;
  grpc::Status AssignConsultant(grpc::ServerContext*, const v1::AssignConsultantRequest*,
                                v1::Enrollment*) override;
  grpc::Status EndEnrollment(grpc::ServerContext*, const v1::EndEnrollmentRequest*, v1::Enrollment*) override;

  grpc::Status CreateJobConversation(grpc::ServerContext*, const v1::CreateJobConversationRequest*,
                                     v1::JobConversation*) override;
  grpc::Status ListJobConversations(grpc::ServerContext*, const v1::ListJobConversationsRequest*,
                                    v1::ListJobConversationsResponse*) override;
  grpc::Status CreateActivity(grpc::ServerContext*, const v1::CreateActivityRequest*, v1::Activity*) override;
  grpc::Status ListActivities(grpc::ServerContext*, const v1::ListActivitiesRequest*,
                              v1::ListActivitiesResponse*) override;
  grpc::Status UpdateActivity(grpc::ServerContext*, const v1::UpdateActivityRequest*, v1::Activity*) override;
  grpc::Status CreateConsent(grpc::ServerContext*, const v1::CreateConsentRequest*, v1::Consent*) override;
  grpc::Status ListConsents(grpc::ServerContext*, const v1::ListConsentsRequest*,
                            v1::ListConsentsResponse*) override;
  grpc::Status WithdrawConsent(grpc::ServerContext*, const v1::WithdrawConsentRequest*,
                               v1::Consent*) override;

 private:
  // Loads an enrolment or NOT_FOUND; with `must_be_active`, an ended one is
  // FAILED_PRECONDITION (ended courses are read-only).
  absl::StatusOr<EnrollmentRecord> EnrollmentFor(soci::session& s, const EnrollmentName& name,
                                                 bool must_be_active);
  // FAILED_PRECONDITION (STATE) for an ended course.
  static absl::Status RequireActive(const EnrollmentRecord& r);

  // The rules version in force on `start`; FAILED_PRECONDITION before the
  // first version.
  absl::StatusOr<const rules::RuleVersion*> RulesOn(absl::CivilDay start) const;

  // Record-level access (domain/caseload_scope.h): whom the caller works
  // with, and PERMISSION_DENIED (NOT_ON_CASELOAD) for a citizen on another
  // consultant's caseload.
  static bool WholeRegister(const Caller& caller);  // team lead, DPO, admin: every citizen
  CaseloadScope ScopeOf(soci::session& s, const Caller& caller);
  absl::Status CheckAccess(soci::session& s, const Caller& caller, const std::string& citizen_id);

  // Read or write for one citizen's data: `rec.citizen_id`, when set, must
  // be a citizen the caller may work with; checked in the same session.
  absl::Status ReadIfOnCaseload(const Caller& caller, const CallRecord& rec,
                                const std::function<absl::Status(soci::session&)>& fn);
  absl::Status WriteIfOnCaseload(const Caller& caller, CallRecord& rec,
                                 const std::function<absl::Status(soci::session&)>& fn);

  // An active enrolment about to change: NOT_FOUND, FAILED_PRECONDITION
  // when ended, ABORTED when `etag` is given and stale.
  absl::StatusOr<EnrollmentRecord> EnrollmentForUpdate(soci::session& s, const EnrollmentName& name,
                                                       const std::string& etag);

  // Fills the conversation plan and statistics from the recorded conversations.
  void FillConversationPlan(soci::session& s, EnrollmentRecord& r);

  // An enrolment as callers see it (with plan and statistics), or NOT_FOUND.
  absl::Status ReadEnrollment(soci::session& s, const EnrollmentName& name, v1::Enrollment* out);

  // Locks a consultant for assignment and checks it is active and below cap.
  absl::StatusOr<v1::Consultant> ConsultantWithRoom(soci::session& s, const std::string& id);

  // The answer to "already in substance treatment?" for a citizen on the
  // start date: asks SOF when configured; UNAVAILABLE when SOF does not
  // answer and the registry may not proceed unverified.
  absl::StatusOr<TreatmentEvidence> TreatmentEvidenceFor(const std::string& citizen_id, absl::CivilDay start,
                                                         bool self_declared) const;

  RegistryRules rules_;
  std::shared_ptr<const TreatmentClient> treatment_;
};

}  // namespace ips::registry
