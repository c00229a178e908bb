#include "services/common/call_guard.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/errors.h"
#include "services/common/json_log.h"

namespace ips {

CallGuard::CallGuard(std::string service_name, const JwtVerifier& verifier, const Policy& policy,
                     AuditLog& audit, Metrics& metrics, RefusalLimits refusal_limits, CallLimits call_limits)
    : service_name_(std::move(service_name)),
      verifier_(verifier),
      policy_(policy),
      audit_(audit),
      metrics_(metrics),
      refusals_(refusal_limits),
      in_progress_(call_limits),
      open_streams_({.per_server = call_limits.open_streams, .per_caller = call_limits.open_streams}) {
  summary_thread_ = std::thread([this] { SummaryLoop(); });
}

CallGuard::~CallGuard() {
  {
    std::lock_guard lock(summary_mu_);
    stopping_ = true;
  }
  summary_cv_.notify_all();
  summary_thread_.join();
  WriteSummaries();
}

void CallGuard::SummaryLoop() {
  std::unique_lock lock(summary_mu_);
  while (!summary_cv_.wait_for(lock, absl::ToChronoMilliseconds(refusals_.limits().summary_interval),
                               [&] { return stopping_; })) {
    lock.unlock();
    WriteSummaries();
    lock.lock();
  }
}

void CallGuard::WriteSummaries() {
  const std::string method = absl::StrCat("/", service_name_, "/RefusedCallsOverLimit");
  for (const auto& s : refusals_.TakeSummaries(absl::Now())) {
    std::string counts;
    for (const auto& [code, n] : s.by_code)
      absl::StrAppend(&counts, counts.empty() ? "" : ", ", code, " ", n);
    const std::string note =
        absl::StrCat(s.total, " refused calls over the limit from ", absl::FormatTime(s.from), " to ",
                     absl::FormatTime(s.to), ": ", counts);
    if (!audit_.Append({"", "", s.peer, method, "peers/" + s.peer, "", "RESOURCE_EXHAUSTED", note}).ok()) {
      LogError("audit_write_failed", {{"method", "RefusedCallsOverLimit"}});
    }
  }
}

std::string CallGuard::PeerOf(grpc::ServerContextBase* context) {
  if (auto auth = context->auth_context()) {
    auto cn = auth->FindPropertyValues("x509_common_name");
    if (!cn.empty()) return std::string(cn.front().data(), cn.front().size());
  }
  std::string peer = context->peer();  // "ipv4:127.0.0.1:5432", "ipv6:[::1]:5432"
  if (auto colon = peer.rfind(':'); colon != std::string::npos && colon > peer.find(':')) peer.resize(colon);
  return peer;
}

absl::StatusOr<Caller> CallGuard::Authenticate(grpc::ServerContextBase* context) const {
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

GuardedCall CallGuard::Admit(grpc::ServerContextBase* context, const std::string& method, CallKind kind) {
  GuardedCall call;
  call.start_ = absl::Now();
  call.method_ = method;
  call.record_.method = absl::StrCat("/", service_name_, "/", method);
  auto authenticated = Authenticate(context);
  if (!authenticated.ok()) {
    call.refusal_ = authenticated.status();
  } else {
    call.caller_ = *std::move(authenticated);
    CallLimiter& bound = kind == CallKind::kStream ? open_streams_ : in_progress_;
    const char* what = kind == CallKind::kStream ? " streams open" : " calls in progress";
    if (!policy_.Allows(method, call.caller_)) {
      call.refusal_ = errors::PermissionDenied(
          "ROLE_NOT_ALLOWED",
          absl::StrCat("your roles and agency do not allow ", method, " (deny by default)"));
    } else if (const auto verdict =
                   bound.Enter(absl::StrCat(call.caller_.agency, "/", call.caller_.subject), call.slot_);
               verdict != CallLimiter::Verdict::kAdmitted) {
      const bool server = verdict == CallLimiter::Verdict::kServerFull;
      call.refusal_ = absl::ResourceExhaustedError(
          absl::StrCat(server ? "this service has " : "you have ",
                       server ? bound.limits().per_server : bound.limits().per_caller, what,
                       ", its limit; retry after a short wait, with backoff"));
    }
  }
  if (!call.admitted()) call.peer_ = PeerOf(context);
  return call;
}

grpc::Status CallGuard::Run(grpc::ServerContext* context, const std::string& method, const Handler& handler) {
  GuardedCall call = Admit(context, method);
  absl::Status status;
  if (call.admitted()) {
    try {
      status = handler(call.caller(), call.record());
    } catch (const std::exception& e) {
      LogError("handler_exception", {{"method", method}});
      status = absl::InternalError("internal error; the change was not saved");
    }
  }
  return Finish(call, std::move(status));
}

grpc::Status CallGuard::Finish(GuardedCall& call, absl::Status status) {
  const std::string& method = call.method_;
  const Caller& caller = call.caller_;
  CallRecord& record = call.record_;
  if (!call.admitted()) {
    status = call.refusal_;
    if (!refusals_.Admit(call.peer_, caller.subject, absl::StatusCodeToString(status.code()), absl::Now())) {
      // Over the limit: counted for the summary record, not audited one by one.
      metrics_.ObserveRpc(method, "RESOURCE_EXHAUSTED", absl::ToDoubleSeconds(absl::Now() - call.start_));
      return errors::ToGrpcStatus(absl::ResourceExhaustedError(
          "too many refused calls from this client; check its token and roles, and wait before calling "
          "again"));
    }
  }
  const std::string code = absl::StatusCodeToString(status.code());
  // A successful write has its record already, committed with the change.
  absl::Status audited = status.ok() && record.audited
                             ? absl::OkStatus()
                             : audit_.Append({caller.subject, caller.agency, caller.service, record.method,
                                              record.resource, record.citizen_id, code, record.note});
  if (!audited.ok()) {
    // A call whose audit record cannot be written must not look successful.
    LogError("audit_write_failed", {{"method", method}});
    if (status.ok()) status = absl::UnavailableError("audit log unavailable; retry later");
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - call.start_);
  metrics_.ObserveRpc(method, code, seconds);
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnavailable) {
    LogWarn("rpc", {{"method", method}, {"code", code}, {"ms", seconds * 1000}});
  }
  call.slot_.reset();
  return errors::ToGrpcStatus(status);
}

}  // namespace ips
