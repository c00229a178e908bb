#include "tests/support/matching_server.h"

#include <stdexcept>

#include "services/matching/matching_config.h"
#include "services/matching/matching_schema.h"
#include "services/matching/matching_service.h"

namespace ips::testing {

MatchingServer::MatchingServer(const std::string& db_url,
                               std::shared_ptr<const matching::RegistryClient> registry) {
  server_ = std::make_unique<InProcessServer>(
      "matching", "ips.matching.v1.EmployerMatching", db_url, matching::DefaultPolicyJson(),
      matching::MatchingMigrations(), [&](ServiceCore& core) -> std::unique_ptr<grpc::Service> {
        return std::make_unique<matching::MatchingService>(core, matching::ScoringConfig{}, registry);
      });
}

std::unique_ptr<matching::v1::EmployerMatching::Stub> MatchingServer::Stub(const std::string& client) const {
  return matching::v1::EmployerMatching::NewStub(Channel(port(), client));
}

std::shared_ptr<const matching::RegistryClient> RegistryClientFor(int port, const std::string& certificate) {
  matching::RegistryClientConfig config;
  config.peer.address = "localhost:" + std::to_string(port);
  config.peer.tls = {Pki().ClientCert(certificate), Pki().ClientKey(certificate), Pki().ca};
  config.deadline = absl::Seconds(2);
  auto client = matching::RegistryClient::Create(config);
  if (!client.ok()) throw std::runtime_error(std::string(client.status().message()));
  return std::move(*client);
}

}  // namespace ips::testing
