#include "services/common/call_guard.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/errors.h"
#include "services/common/json_log.h"

namespace ips {

CallGuard::CallGuard(std::string service_name, const JwtVerifier& verifier, const Policy& policy,
                     AuditLog& audit, Metrics& metrics)
    : service_name_(std::move(service_name)),
      verifier_(verifier),
      policy_(policy),
      audit_(audit),
      metrics_(metrics) {}

absl::StatusOr<Caller> CallGuard::Authenticate(grpc::ServerContext* context) const {
  const auto& md = context->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) {
    return errors::Unauthenticated("TOKEN_MISSING", "a bearer token is required in the authorization header");
  }
  std::string header(it->second.data(), it->second.size());
  if (!absl::StartsWithIgnoreCase(header, "Bearer ")) {
    return errors::Unauthenticated("TOKEN_MISSING", "the authorization header must be `Bearer <token>`");
  }
  auto caller = verifier_.Verify(header.substr(7));
  if (!caller.ok()) return caller.status();
  auto auth = context->auth_context();
  if (auth) {
    auto cn = auth->FindPropertyValues("x509_common_name");
    if (!cn.empty()) caller->service = std::string(cn.front().data(), cn.front().size());
  }
  return caller;
}

grpc::Status CallGuard::Run(grpc::ServerContext* context, const std::string& method, const Handler& handler) {
  const absl::Time start = absl::Now();
  const std::string full_method = absl::StrCat("/", service_name_, "/", method);
  CallRecord record;
  record.method = full_method;
  Caller caller;
  absl::Status status;
  auto authenticated = Authenticate(context);
  if (!authenticated.ok()) {
    status = authenticated.status();
  } else {
    caller = *std::move(authenticated);
    if (!policy_.Allows(method, caller)) {
      status = errors::PermissionDenied(
          "ROLE_NOT_ALLOWED",
          absl::StrCat("your roles and agency do not allow ", method, " (deny by default)"));
    } else {
      try {
        status = handler(caller, record);
      } catch (const std::exception& e) {
        LogError("handler_exception", {{"method", method}});
        status = absl::InternalError("internal error; the change was not saved");
      }
    }
  }
  const std::string code = absl::StatusCodeToString(status.code());
  // A successful write has its record already, committed with the change.
  absl::Status audited = status.ok() && record.audited
                             ? absl::OkStatus()
                             : audit_.Append({caller.subject, caller.agency, caller.service, full_method,
                                              record.resource, record.citizen_id, code, record.note});
  if (!audited.ok()) {
    // A call whose audit record cannot be written must not look successful.
    LogError("audit_write_failed", {{"method", method}});
    if (status.ok()) status = absl::UnavailableError("audit log unavailable; retry later");
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  metrics_.ObserveRpc(method, code, seconds);
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnavailable) {
    LogWarn("rpc", {{"method", method}, {"code", code}, {"ms", seconds * 1000}});
  }
  return errors::ToGrpcStatus(status);
}

}  // namespace ips
