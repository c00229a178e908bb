#pragma once

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "services/common/service_core.h"
#include "services/matching/domain/match_score.h"
#include "services/matching/matching_store.h"
#include "services/matching/opening_index.h"

namespace ips::matching {

// MatchingService implements ips.matching.v1.EmployerMatching. Each handler
// runs inside the CallGuard (authentication, policy, audit, metrics),
// validates the whole request first, and writes its change and events in
// one transaction. Handlers are grouped by resource: employer_handlers.cc
// (employers, employer contacts), opening_handlers.cc (openings, job
// profiles, matching); the feed and audit are here.
//
// Work in progress (issue 4): placements and MatchCandidates, which need
// the registry, are not served yet and answer UNIMPLEMENTED.
class MatchingService final : public v1::EmployerMatching::Service {
 public:
  MatchingService(ServiceCore& core, ScoringConfig scoring);

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

  grpc::Status StreamEvents(grpc::ServerContext*, const common::v1::StreamEventsRequest*,
                            grpc::ServerWriter<common::v1::Event>*) override;
  grpc::Status ListAuditRecords(grpc::ServerContext*, const common::v1::ListAuditRecordsRequest*,
                                common::v1::ListAuditRecordsResponse*) override;

 private:
  ServiceCore& core_;
  ScoringConfig scoring_;
  OpeningIndex openings_;
};

}  // namespace ips::matching
