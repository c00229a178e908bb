#pragma once

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "services/common/common_rpcs.h"
#include "services/matching/domain/match_score.h"
#include "services/matching/matching_store.h"
#include "services/matching/opening_index.h"
#include "services/matching/placement_store.h"
#include "services/matching/registry_client.h"
#include "services/matching/resource_names.h"

namespace ips::matching {

// MatchingService implements ips.matching.v1.EmployerMatching. Each handler
// runs inside the CallGuard (authentication, policy, audit, metrics),
// validates the whole request first, and writes its change and events in
// one transaction. Handlers are grouped by resource: employer_handlers.cc
// (employers, employer contacts), opening_handlers.cc (openings, job
// profiles, matching), placement_handlers.cc (placements). The feed, audit
// and subject-data RPCs come from PublishingService (common_rpcs.h).
//
// Placements and MatchCandidates ask the registry on behalf of the caller
// (registry_client.h); without a registry they answer UNAVAILABLE.
class MatchingService final : public PublishingService<v1::EmployerMatching> {
 public:
  MatchingService(ServiceCore& core, ScoringConfig scoring,
                  std::shared_ptr<const RegistryClient> registry = nullptr);

  grpc::Status CreateEmployer(grpc::ServerContext*, const v1::CreateEmployerRequest*, v1::Employer*) override;
  grpc::Status GetEmployer(grpc::ServerContext*, const v1::GetEmployerRequest*, v1::Employer*) override;
  grpc::Status ListEmployers(grpc::ServerContext*, const v1::ListEmployersRequest*,
                             v1::ListEmployersResponse*) override;
  grpc::Status UpdateEmployer(grpc::ServerContext*, const v1::UpdateEmployerRequest*, v1::Employer*) override;
  grpc::Status CreateEmployerContact(grpc::ServerContext*, const v1::CreateEmployerContactRequest*,
                                     v1::EmployerContact*) override;
  grpc::Status ListEmployerContacts(grpc::ServerContext*, const v1::ListEmployerContactsRequest*,
                                    v1::ListEmployerContactsResponse*) override;

  grpc::Status CreateOpening(grpc::ServerContext*, const v1::CreateOpeningRequest*, v1::Opening*) override;
  grpc::Status GetOpening(grpc::ServerContext*, const v1::GetOpeningRequest*, v1::Opening*) override;
  grpc::Status ListOpenings(grpc::ServerContext*, const v1::ListOpeningsRequest*,
                            v1::ListOpeningsResponse*) override;
  grpc::Status UpdateOpening(grpc::ServerContext*, const v1::UpdateOpeningRequest*, v1::Opening*) override;
  grpc::Status GetJobProfile(grpc::ServerContext*, const v1::GetJobProfileRequest*, v1::JobProfile*) override;
  grpc::Status UpdateJobProfile(grpc::ServerContext*, const v1::UpdateJobProfileRequest*,
                                v1::JobProfile*) override;
  grpc::Status MatchOpenings(grpc::ServerContext*, const v1::MatchOpeningsRequest*,
                             v1::MatchOpeningsResponse*) override;

  grpc::Status MatchCandidates(grpc::ServerContext*, const v1::MatchCandidatesRequest*,
                               v1::MatchCandidatesResponse*) override;

  grpc::Status CreatePlacement(grpc::ServerContext*, const v1::CreatePlacementRequest*,
                               v1::Placement*) override;
  grpc::Status GetPlacement(grpc::ServerContext*, const v1::GetPlacementRequest*, v1::Placement*) override;
  grpc::Status ListPlacements(grpc::ServerContext*, const v1::ListPlacementsRequest*,
                              v1::ListPlacementsResponse*) override;
  grpc::Status ChangePlacementHours(grpc::ServerContext*, const v1::ChangePlacementHoursRequest*,
                                    v1::Placement*) override;
  grpc::Status ConvertPlacement(grpc::ServerContext*, const v1::ConvertPlacementRequest*,
                                v1::Placement*) override;
  grpc::Status EndPlacement(grpc::ServerContext*, const v1::EndPlacementRequest*, v1::Placement*) override;

 private:
  // The caller's bearer token as sent, forwarded to the registry.
  static std::string AuthorizationOf(const grpc::ServerContext* ctx);

  // The citizen's running course as the registry answers the caller (its
  // caseload rule applies), asked before any write transaction: never hold
  // the database across a network call. The error is ready to return:
  // the registry's own, UNAVAILABLE without a registry, or
  // FAILED_PRECONDITION naming `citizen` when the course has ended, for
  // an ended course takes neither placements nor contacts on its behalf.
  absl::StatusOr<registry::v1::EnrollmentStanding> RunningCourse(const grpc::ServerContext* ctx,
                                                                 const std::string& citizen_id) const;

  // A placement about to change: NOT_FOUND, or ABORTED when `etag` is given
  // and stale.
  absl::StatusOr<PlacementRow> PlacementForUpdate(soci::session& s, const ChildName& name,
                                                  const std::string& etag);

  ScoringConfig scoring_;
  std::shared_ptr<const RegistryClient> registry_;
  OpeningIndex openings_;
};

}  // namespace ips::matching
