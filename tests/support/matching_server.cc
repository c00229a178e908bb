#include "tests/support/matching_server.h"

#include "services/matching/matching_config.h"
#include "services/matching/matching_schema.h"
#include "services/matching/matching_service.h"

namespace ips::testing {

MatchingServer::MatchingServer(const std::string& db_url) {
  server_ = std::make_unique<InProcessServer>(
      "matching", "ips.matching.v1.EmployerMatching", db_url, matching::DefaultPolicyJson(),
      matching::MatchingMigrations(), [&](ServiceCore& core) -> std::unique_ptr<grpc::Service> {
        return std::make_unique<matching::MatchingService>(core, matching::ScoringConfig{});
      });
}

std::unique_ptr<matching::v1::EmployerMatching::Stub> MatchingServer::Stub(const std::string& client) const {
  return matching::v1::EmployerMatching::NewStub(Channel(port(), client));
}

}  // namespace ips::testing
