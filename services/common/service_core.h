#pragma once

#include <grpcpp/support/server_callback.h>

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/audit_log.h"
#include "services/common/call_guard.h"
#include "services/common/database.h"
#include "services/common/jwt_verifier.h"
#include "services/common/list_query.h"
#include "services/common/metrics.h"
#include "services/common/outbox.h"
#include "services/common/policy.h"
#include "services/common/pseudonymizer.h"
#include "services/common/runtime_options.h"

namespace ips {

// ServiceCore owns the runtime parts one service's handlers share: its
// database (migrated on creation), outbox, audit log, metrics and the call
// guard with token verifier and policy.
class ServiceCore {
 public:
  // `grpc_service_name` is the full service name the policy must be for.
  static absl::StatusOr<std::unique_ptr<ServiceCore>> Create(
      const RuntimeOptions& options, const std::string& grpc_service_name,
      const std::vector<Migration>& service_migrations);

  // Runs `fn` in a write transaction and, when it succeeds, appends the
  // call's audit record (outcome OK) in the same transaction and marks the
  // record audited; wakes event followers after the commit.
  absl::Status WriteAudited(const Caller& caller, CallRecord& record,
                            const std::function<absl::Status(soci::session&)>& fn);

  // The StreamEvents and ListAuditRecords RPCs every service has, the
  // same for all of them. StreamEvents is served by the callback API
  // (event_stream.h): an open stream holds no thread.
  grpc::ServerWriteReactor<common::v1::Event>* StreamEvents(grpc::CallbackServerContext* ctx,
                                                            const common::v1::StreamEventsRequest* req);
  grpc::Status ListAuditRecords(grpc::ServerContext* ctx, const common::v1::ListAuditRecordsRequest* req,
                                common::v1::ListAuditRecordsResponse* resp);

  Database& db() { return *db_; }
  Outbox& outbox() { return *outbox_; }
  AuditLog& audit() { return *audit_; }
  Metrics& metrics() { return *metrics_; }
  CallGuard& guard() { return *guard_; }
  const Policy& policy() const { return policy_; }
  const Pseudonymizer& pseudonymizer() const { return *pseudonymizer_; }
  const PageTokens& page_tokens() const { return *page_tokens_; }

 private:
  ServiceCore() = default;

  std::unique_ptr<Database> db_;
  std::unique_ptr<Pseudonymizer> pseudonymizer_;
  std::unique_ptr<PageTokens> page_tokens_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<JwtVerifier> verifier_;
  Policy policy_;
  std::unique_ptr<CallGuard> guard_;
};

}  // namespace ips
