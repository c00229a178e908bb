#include "services/registry/treatment_client.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/jwt_verifier.h"
#include "services/common/peer_channel.h"

namespace ips::registry {

absl::StatusOr<std::unique_ptr<TreatmentClient>> TreatmentClient::Create(
    const TreatmentClientConfig& config) {
  std::unique_ptr<TreatmentClient> client(new TreatmentClient(config));
  if (config.address.empty()) return client;
  if (config.token_file.empty()) {
    return absl::InvalidArgumentError("--treatment_token_file is required with --treatment_address");
  }
  // GetTreatmentStatus is a read, safe for gRPC to retry.
  auto channel =
      MakePeerChannel({config.address, config.tls, config.insecure_plaintext},
                      "ips.treatment.v1.TreatmentCoordination", {"GetTreatmentStatus"}, "treatment");
  if (!channel.ok()) return channel.status();
  client->stub_ = treatment::v1::TreatmentCoordination::NewStub(*channel);
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
  // CONSENT_MISSING is the treatment service's answer; any other
  // PERMISSION_DENIED is its policy refusing the registry.
  if (s.error_code() == grpc::StatusCode::PERMISSION_DENIED && HasErrorReason(s, "CONSENT_MISSING"))
    return {TreatmentAnswer::kNoConsent, ""};
  // Anything else (down, overloaded, a refused service identity) means the
  // rule could not be checked; say so rather than pass it.
  return {TreatmentAnswer::kUnavailable,
          absl::StrCat(errors::CodeName(s.error_code()), ": ", s.error_message())};
}

}  // namespace ips::registry
