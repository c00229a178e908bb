// health check and token mint: what operators and developers run.
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_split.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/dev_token.h"
#include "services/common/jwt_verifier.h"
#include "tools/ipsctl/cli.h"

namespace ipsctl {

// grpc.health.v1.Health/Check (the messages of grpc-proto's health.proto),
// for container health checks: exit 0 when the service (--service, default
// the whole server) is SERVING, 1 when not, 2 when it cannot be asked.
int HealthCheck(const Args& a) {
  auto channel = Connect(a);
  if (!channel.ok()) return Fail(channel.status());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(Flag(a, "service", nullptr, ""));
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(std::atoi(Flag(a, "timeout", nullptr, "3").c_str())));
  const grpc::Status status = grpc::health::v1::Health::NewStub(*channel)->Check(&ctx, request, &response);
  if (!status.ok()) {
    PrintError(status);
    return 2;
  }
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

int MintToken(const Args& a) {
  std::string dev_key = Flag(a, "dev-key", "IPS_DEV_KEY");
  if (dev_key.empty()) {
    std::cerr << "ipsctl: token mint needs --dev-key (development keys only)\n";
    return 2;
  }
  auto key = ips::ReadFile(dev_key);
  if (!key.ok()) return Fail(key.status());
  ips::DevTokenClaims claims{
      Flag(a, "subject", nullptr, "dev-user"),
      Flag(a, "agency", nullptr, "BIF"),
      absl::StrSplit(Flag(a, "roles", nullptr, "ips_consultant"), ',', absl::SkipEmpty()),
      Flag(a, "issuer", "IPS_JWT_ISSUER", "https://login.dev.ips.local"),
      Flag(a, "audience", "IPS_JWT_AUDIENCE", "ips-sydhavnen"),
      std::atoi(Flag(a, "ttl", nullptr, "3600").c_str())};
  auto token = ips::MintDevToken(*key, claims);
  if (!token.ok()) return Fail(token.status());
  std::cout << *token << "\n";
  return 0;
}

}  // namespace ipsctl
