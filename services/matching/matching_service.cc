#include "services/matching/matching_service.h"

#include "services/matching/matching_schema.h"

namespace ips::matching {

MatchingService::MatchingService(ServiceCore& core, ScoringConfig scoring,
                                 std::shared_ptr<const RegistryClient> registry)
    : PublishingService(core, MatchingSubjectData()), scoring_(scoring), registry_(std::move(registry)) {}

std::string MatchingService::AuthorizationOf(const grpc::ServerContext* ctx) {
  const auto& md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace ips::matching
