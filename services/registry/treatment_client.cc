#include "services/registry/treatment_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/jwt_verifier.h"

namespace ips::registry {
namespace {

// gRPC's own retry (A6): GetTreatmentStatus is a read, safe to repeat.
constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [{"service": "ips.treatment.v1.TreatmentCoordination", "method": "GetTreatmentStatus"}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.1s",
      "maxBackoff": "0.5s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

// True when a PERMISSION_DENIED carries the treatment service's
// CONSENT_MISSING reason (as opposed to the policy refusing the registry).
bool IsConsentMissing(const grpc::Status& status) {
  if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) return false;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.reason() == "CONSENT_MISSING") return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TreatmentClient>> TreatmentClient::Create(
    const TreatmentClientConfig& config) {
  std::unique_ptr<TreatmentClient> client(new TreatmentClient(config));
  if (config.address.empty()) return client;
  if (config.token_file.empty()) {
    return absl::InvalidArgumentError("--treatment_token_file is required with --treatment_address");
  }
  // The treatment service requires mTLS; without a client certificate every
  // check would fail at the handshake, so refuse to start instead.
  if (!config.insecure_plaintext && (config.tls.cert.empty() || config.tls.key.empty())) {
    return absl::InvalidArgumentError(
        "--treatment_client_cert and --treatment_client_key are required with --treatment_address");
  }
  auto creds = MakeChannelCredentials(config.tls, config.insecure_plaintext);
  if (!creds.ok()) return creds.status();
  grpc::ChannelArguments args;
  args.SetServiceConfigJSON(kServiceConfig);
  client->stub_ =
      treatment::v1::TreatmentCoordination::NewStub(grpc::CreateCustomChannel(config.address, *creds, args));
  return client;
}

TreatmentClient::Result TreatmentClient::StatusOn(const std::string& citizen_id, absl::CivilDay day) const {
  if (!stub_) return {TreatmentAnswer::kNotConfigured, ""};
  auto token = ReadFile(config_.token_file);
  if (!token.ok())
    return {TreatmentAnswer::kUnavailable, "the registry's token for the treatment service is unreadable"};
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + config_.deadline));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", absl::StripAsciiWhitespace(*token)));
  treatment::v1::GetTreatmentStatusRequest req;
  req.set_name(absl::StrCat("citizens/", citizen_id, "/treatmentStatus"));
  *req.mutable_as_of() = ToProtoDate(day);
  treatment::v1::TreatmentStatus status;
  grpc::Status s = stub_->GetTreatmentStatus(&ctx, req, &status);
  if (s.ok()) {
    return {status.status() == treatment::v1::MINIMAL_STATUS_IN_TREATMENT ? TreatmentAnswer::kInTreatment
                                                                          : TreatmentAnswer::kNotInTreatment,
            ""};
  }
  if (IsConsentMissing(s)) return {TreatmentAnswer::kNoConsent, ""};
  // Anything else (down, overloaded, a refused service identity) means the
  // rule could not be checked; say so rather than pass it.
  return {TreatmentAnswer::kUnavailable,
          absl::StrCat(errors::CodeName(s.error_code()), ": ", s.error_message())};
}

}  // namespace ips::registry
