#include "services/matching/matching_service.h"

#include "services/common/subject_access.h"
#include "services/matching/matching_schema.h"

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

grpc::Status MatchingService::ExportSubjectData(grpc::ServerContext* ctx,
                                                const common::v1::ExportSubjectDataRequest* req,
                                                common::v1::SubjectDataExport* resp) {
  // Where matching holds rows about a citizen (keep in step with
  // matching_schema.cc), and the audit of calls about them.
  static const std::vector<SubjectQuery> kQueries = {
      {"job_profiles", "SELECT * FROM job_profiles WHERE citizen_id = :subject"},
      {"placements", "SELECT * FROM placements WHERE citizen_id = :subject"},
      {"audit_log", "SELECT * FROM audit_log WHERE citizen_id = :subject ORDER BY sequence"}};
  return ips::ExportSubjectData(core_, "ips.matching.v1.EmployerMatching", ctx, req, resp, kQueries,
                                SubjectKey::kCitizen);
}

grpc::Status MatchingService::EraseSubjectData(grpc::ServerContext* ctx,
                                               const common::v1::EraseSubjectDataRequest* req,
                                               common::v1::SubjectErasure* resp) {
  static const ErasurePlan kPlan = MatchingErasurePlan();
  return ips::EraseSubjectData(core_, "ips.matching.v1.EmployerMatching", ctx, req, resp, kPlan);
}

}  // namespace ips::matching
