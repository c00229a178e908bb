#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/common/tls.h"
#include "services/registry/domain/treatment_evidence.h"

namespace ips::registry {

// How the registry reaches SOF's treatment service for the eligibility rule
// "not already in substance treatment".
struct TreatmentClientConfig {
  std::string address;  // host:port; empty = no service, the rule is self-declared
  TlsFiles tls;         // the registry's client certificate (mTLS) and the CA
  bool insecure_plaintext = false;
  // File holding the registry's bearer token (service identity, role
  // treatment_check). Read on every call so a rotated token is picked up.
  std::string token_file;
  // Per-check budget, retries included.
  absl::Duration deadline = absl::Seconds(2);
  // When the service does not answer: false fails the enrolment with
  // UNAVAILABLE; true proceeds on the self-declaration, recorded as such.
  bool proceed_unverified = false;
};

// TreatmentClient asks GetTreatmentStatus for one citizen on one day. The
// call is idempotent, so UNAVAILABLE is retried with backoff (gRPC retry
// policy) within the deadline.
class TreatmentClient {
 public:
  static absl::StatusOr<std::unique_ptr<TreatmentClient>> Create(const TreatmentClientConfig& config);

  struct Result {
    TreatmentAnswer answer = TreatmentAnswer::kNotConfigured;
    // For kUnavailable: the gRPC code and message, for the case worker.
    std::string problem;
  };
  Result StatusOn(const std::string& citizen_id, absl::CivilDay day) const;

  bool proceed_unverified() const { return config_.proceed_unverified; }

 private:
  explicit TreatmentClient(TreatmentClientConfig config) : config_(std::move(config)) {}

  TreatmentClientConfig config_;
  std::unique_ptr<treatment::v1::TreatmentCoordination::Stub> stub_;
};

}  // namespace ips::registry
