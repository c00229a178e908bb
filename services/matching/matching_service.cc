#include "services/matching/matching_service.h"

namespace ips::matching {

MatchingService::MatchingService(ServiceCore& core, ScoringConfig scoring,
                                 std::shared_ptr<const RegistryClient> registry)
    : core_(core), scoring_(scoring), registry_(std::move(registry)) {}

std::string MatchingService::AuthorizationOf(const grpc::ServerContext* ctx) {
  const auto& md = ctx->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

grpc::Status MatchingService::StreamEvents(grpc::ServerContext* ctx,
                                           const common::v1::StreamEventsRequest* req,
                                           grpc::ServerWriter<common::v1::Event>* writer) {
  return core_.StreamEvents(ctx, req, writer);
}

grpc::Status MatchingService::ListAuditRecords(grpc::ServerContext* ctx,
                                               const common::v1::ListAuditRecordsRequest* req,
                                               common::v1::ListAuditRecordsResponse* resp) {
  return core_.ListAuditRecords(ctx, req, resp);
}

}  // namespace ips::matching
