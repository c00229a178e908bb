#pragma once

#include <grpcpp/server_context.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/audit_log.h"
#include "services/common/call_limiter.h"
#include "services/common/caller.h"
#include "services/common/jwt_verifier.h"
#include "services/common/metrics.h"
#include "services/common/policy.h"
#include "services/common/refusal_limiter.h"

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

// A unary call holds a place among the calls in progress; an open event
// stream, which holds no thread while it waits, a place among the streams.
enum class CallKind { kUnary, kStream };

// One call from its admission by CallGuard::Admit to CallGuard::Finish.
class GuardedCall {
 public:
  GuardedCall(GuardedCall&&) = default;

  // False when refused before its handler (token, policy, bound): then
  // Finish answers with the refusal.
  bool admitted() const { return refusal_.ok(); }
  const Caller& caller() const { return caller_; }
  CallRecord& record() { return record_; }

 private:
  friend class CallGuard;
  GuardedCall() = default;

  absl::Time start_;
  std::string method_;  // the short name, e.g. "GetCitizen"
  Caller caller_;
  CallRecord record_;
  absl::Status refusal_;
  std::string peer_;  // set when refused: what refusals are counted against
  std::optional<CallLimiter::Slot> slot_;
};

// CallGuard wraps every RPC of a service: it verifies the bearer token,
// applies the deny-by-default policy, runs the handler, and then writes the
// audit record, the metrics and a log line, whatever the outcome. It is the
// one place where authentication, authorization and audit happen, so a
// handler cannot forget them.
//
// An allowed call beyond the calls in progress that the server or its caller
// may have (call_limiter.h) is refused RESOURCE_EXHAUSTED before its
// handler. Calls refused before their handler (no valid token, a role the
// policy does not allow, over a bound) are limited per peer and subject
// (refusal_limiter.h): beyond the limit they are answered RESOURCE_EXHAUSTED
// at once and summarised in one audit record per peer and interval, written
// by a thread of the guard.
class CallGuard {
 public:
  CallGuard(std::string service_name, const JwtVerifier& verifier, const Policy& policy, AuditLog& audit,
            Metrics& metrics, RefusalLimits refusal_limits = {}, CallLimits call_limits = {});
  // Writes the last summaries.
  ~CallGuard();

  // Admits, runs the handler and finishes, for a call served on a thread.
  grpc::Status Run(grpc::ServerContext* context, const std::string& method, const Handler& handler);

  // The two halves of Run for a call that outlives its handler (a reactor):
  // Admit checks the token, the policy and the bound of its kind; Finish
  // writes the audit record (unless the write committed it), the metrics
  // and the log line, and gives the call's place back. `status` is the
  // handler's; a refused call answers with its refusal instead. Finish must
  // be called once for every admitted or refused call.
  GuardedCall Admit(grpc::ServerContextBase* context, const std::string& method,
                    CallKind kind = CallKind::kUnary);
  grpc::Status Finish(GuardedCall& call, absl::Status status);

  // Unary calls admitted and not yet finished.
  int calls_in_progress() const { return in_progress_.in_progress(); }
  // Unary calls refused for a bound (the server's or their caller's).
  long calls_refused_for_bound() const { return in_progress_.refused(); }

  // The caller's identity without authorization (for streams that need it
  // before the handler runs); UNAUTHENTICATED without a valid token.
  absl::StatusOr<Caller> Authenticate(grpc::ServerContextBase* context) const;

 private:
  // The peer a refusal is counted against: the client certificate's name,
  // else the address without its port.
  static std::string PeerOf(grpc::ServerContextBase* context);
  // Writes one audit record per peer counted since the last time.
  void WriteSummaries();
  void SummaryLoop();

  std::string service_name_;
  const JwtVerifier& verifier_;
  const Policy& policy_;
  AuditLog& audit_;
  Metrics& metrics_;
  RefusalLimiter refusals_;
  CallLimiter in_progress_;
  CallLimiter open_streams_;
  std::mutex summary_mu_;
  std::condition_variable summary_cv_;
  bool stopping_ = false;
  std::thread summary_thread_;
};

}  // namespace ips
