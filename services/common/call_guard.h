#pragma once

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "services/common/audit_log.h"
#include "services/common/caller.h"
#include "services/common/jwt_verifier.h"
#include "services/common/metrics.h"
#include "services/common/policy.h"

namespace ips {

// What a handler tells the audit about its call. Set `resource` to the
// resource name addressed and `citizen_id` when the call concerns one
// citizen; `note` takes personal-data-free remarks (e.g. an override).
struct CallRecord {
  std::string resource;
  std::string citizen_id;
  std::string note;
  // Set by the guard: the full gRPC method.
  std::string method;
  // Set by ServiceCore::WriteAudited when the call's audit record was
  // committed in the same transaction as its change.
  bool audited = false;
};

using Handler = std::function<absl::Status(const Caller&, CallRecord&)>;

// CallGuard wraps every RPC of a service: it verifies the bearer token,
// applies the deny-by-default policy, runs the handler, and then writes the
// audit record, the metrics and a log line, whatever the outcome. It is the
// one place where authentication, authorization and audit happen, so a
// handler cannot forget them.
class CallGuard {
 public:
  CallGuard(std::string service_name, const JwtVerifier& verifier, const Policy& policy, AuditLog& audit,
            Metrics& metrics);

  grpc::Status Run(grpc::ServerContext* context, const std::string& method, const Handler& handler);

  // The caller's identity without authorization (for streams that need it
  // before the handler runs); UNAUTHENTICATED without a valid token.
  absl::StatusOr<Caller> Authenticate(grpc::ServerContext* context) const;

 private:
  std::string service_name_;
  const JwtVerifier& verifier_;
  const Policy& policy_;
  AuditLog& audit_;
  Metrics& metrics_;
};

}  // namespace ips
