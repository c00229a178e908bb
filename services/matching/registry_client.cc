#include "services/matching/registry_client.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/peer_channel.h"

namespace ips::matching {

absl::StatusOr<std::unique_ptr<RegistryClient>> RegistryClient::Create(const RegistryClientConfig& config) {
  if (config.peer.address.empty()) return absl::InvalidArgumentError("--registry_address is required");
  std::unique_ptr<RegistryClient> client(new RegistryClient(config));
  // Both questions are reads, safe for gRPC to retry.
  auto channel = MakePeerChannel(config.peer, "ips.registry.v1.CitizenRegistry",
                                 {"GetEnrollmentStanding", "ListCaseload"}, "registry");
  if (!channel.ok()) return channel.status();
  client->stub_ = registry::v1::CitizenRegistry::NewStub(*channel);
  return client;
}

absl::Status RegistryClient::Translate(const grpc::Status& s, const std::string& what) const {
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat("the registry does not know ", what));
    case grpc::StatusCode::PERMISSION_DENIED:
      // The caseload rule speaks to the caller; any other refusal is the
      // registry not accepting this service (certificate, policy), which
      // the caller cannot fix.
      if (HasErrorReason(s, "NOT_ON_CASELOAD")) {
        return errors::PermissionDenied("NOT_ON_CASELOAD",
                                        absl::StrCat("the registry refused: ", s.error_message()));
      }
      [[fallthrough]];
    default:
      return absl::UnavailableError(absl::StrCat(
          "the registry did not answer about ", what, ", so nothing was done; try again shortly (",
          errors::CodeName(s.error_code()), ": ", s.error_message(), ")"));
  }
}

absl::StatusOr<registry::v1::EnrollmentStanding> RegistryClient::StandingOf(
    const std::string& citizen_id, const std::string& authorization) const {
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + config_.deadline));
  ctx.AddMetadata("authorization", authorization);
  registry::v1::GetEnrollmentStandingRequest req;
  req.set_name(absl::StrCat("citizens/", citizen_id, "/enrollmentStanding"));
  registry::v1::EnrollmentStanding out;
  auto s = stub_->GetEnrollmentStanding(&ctx, req, &out);
  if (!s.ok()) return Translate(s, absl::StrCat("citizens/", citizen_id));
  return out;
}

absl::StatusOr<std::vector<registry::v1::EnrollmentStanding>> RegistryClient::Caseload(
    const std::string& authorization) const {
  std::vector<registry::v1::EnrollmentStanding> out;
  registry::v1::ListCaseloadRequest req;
  req.set_page_size(1000);
  // One deadline for the whole caseload, however many pages.
  const absl::Time deadline = absl::Now() + config_.deadline;
  do {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(deadline));
    ctx.AddMetadata("authorization", authorization);
    registry::v1::ListCaseloadResponse page;
    auto s = stub_->ListCaseload(&ctx, req, &page);
    if (!s.ok()) return Translate(s, "the caller's caseload");
    for (auto& st : *page.mutable_standings()) out.push_back(std::move(st));
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

}  // namespace ips::matching
