#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/common/peer_channel.h"

namespace ips::matching {

// How the matching service reaches BIF's registry.
struct RegistryClientConfig {
  PeerAddress peer;  // the matching service's client certificate names it to the registry
  // Budget for one question, retries included.
  absl::Duration deadline = absl::Seconds(2);
};

// RegistryClient asks the registry on behalf of the caller: it forwards the
// caller's bearer token over the matching service's mTLS channel, and the
// registry's policy accepts its two minimal RPCs only from the matching
// certificate. So the registry applies its own caseload rule to the
// consultant who is placing or ranking, and its audit names them.
//
// Errors are ready to return to the caller: the registry's NOT_FOUND and
// its caseload refusal (PERMISSION_DENIED, NOT_ON_CASELOAD) pass through;
// anything else (down, overloaded, this service's certificate refused) is
// UNAVAILABLE, since the question could not be answered.
class RegistryClient {
 public:
  static absl::StatusOr<std::unique_ptr<RegistryClient>> Create(const RegistryClientConfig& config);

  // The citizen's running course, if any.
  absl::StatusOr<registry::v1::EnrollmentStanding> StandingOf(const std::string& citizen_id,
                                                              const std::string& authorization) const;

  // Every running course on the caller's caseload (all pages).
  absl::StatusOr<std::vector<registry::v1::EnrollmentStanding>> Caseload(
      const std::string& authorization) const;

 private:
  explicit RegistryClient(RegistryClientConfig config) : config_(std::move(config)) {}
  absl::Status Translate(const grpc::Status& s, const std::string& what) const;

  RegistryClientConfig config_;
  std::unique_ptr<registry::v1::CitizenRegistry::Stub> stub_;
};

}  // namespace ips::matching
