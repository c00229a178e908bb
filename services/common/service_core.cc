#include "services/common/service_core.h"

#include "absl/strings/str_cat.h"
#include "services/common/common_schema.h"
#include "services/common/crypto.h"
#include "services/common/errors.h"
#include "services/common/event_stream.h"
#include "services/common/subject_erasure.h"

namespace ips {

absl::Status ServiceCore::WriteAudited(const Caller& caller, CallRecord& record,
                                       const std::function<absl::Status(soci::session&)>& fn) {
  absl::Status status = db_->Write([&](soci::session& s) {
    absl::Status result = fn(s);
    // One place refuses every write about an erased citizen, so no handler
    // can bring their data back; checked after `fn`, which may be the one
    // that names the citizen.
    if (result.ok() && !record.citizen_id.empty() && IsErased(s, record.citizen_id)) {
      result = errors::FailedPrecondition(
          "the citizen's personal data was erased; nothing more may be recorded about them",
          {{"CITIZEN_ERASED", "citizens/" + record.citizen_id, "erased at this service"}});
    }
    if (result.ok()) {
      AuditLog::AppendInTransaction(s, {caller.subject, caller.agency, caller.service, record.method,
                                        record.resource, record.citizen_id, "OK", record.note});
    }
    return result;
  });
  if (status.ok()) {
    record.audited = true;
    outbox_->NotifyCommitted();
  }
  return status;
}

absl::StatusOr<std::unique_ptr<ServiceCore>> ServiceCore::Create(
    const RuntimeOptions& options, const std::string& grpc_service_name,
    const std::vector<Migration>& service_migrations) {
  std::unique_ptr<ServiceCore> core(new ServiceCore());
  auto policy = Policy::Parse(options.policy_json);
  if (!policy.ok()) return policy.status();
  if (policy->service() != grpc_service_name) {
    return absl::InvalidArgumentError(
        absl::StrCat("policy is for ", policy->service(), ", not ", grpc_service_name));
  }
  core->policy_ = *std::move(policy);
  auto db = Database::Open(options.db_url, options.db_pool_size);
  if (!db.ok()) return db.status();
  core->db_ = *std::move(db);
  std::vector<Migration> migrations = CommonMigrations();
  migrations.insert(migrations.end(), service_migrations.begin(), service_migrations.end());
  if (auto s = core->db_->Migrate(migrations); !s.ok()) return s;
  try {
    core->pseudonymizer_ = std::make_unique<Pseudonymizer>(options.pseudonym_key);
    core->metrics_ = std::make_unique<Metrics>(options.metrics_listen);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(e.what());
  }
  core->outbox_ = std::make_unique<Outbox>(*core->db_, options.service_name, *core->pseudonymizer_,
                                           options.event_poll_interval);
  // Replicas of one service share the page-token keys; by default they are
  // derived from the pseudonym key (which every replica of a publisher has),
  // one per service, so a token of one service means nothing at another.
  std::vector<std::string> page_keys = options.page_token_keys;
  if (page_keys.empty()) {
    page_keys.push_back(HmacSha256Hex(options.pseudonym_key, "page tokens of " + grpc_service_name));
  }
  core->page_tokens_ = std::make_unique<PageTokens>(std::move(page_keys));
  core->audit_ = std::make_unique<AuditLog>(*core->db_, *core->page_tokens_);
  core->verifier_ = std::make_unique<JwtVerifier>(options.jwt);
  core->guard_ =
      std::make_unique<CallGuard>(grpc_service_name, *core->verifier_, core->policy_, *core->audit_,
                                  *core->metrics_, options.refusal_limits, options.call_limits);
  return core;
}

grpc::ServerWriteReactor<common::v1::Event>* ServiceCore::StreamEvents(
    grpc::CallbackServerContext* ctx, const common::v1::StreamEventsRequest* req) {
  GuardedCall call = guard_->Admit(ctx, "StreamEvents", CallKind::kStream);
  if (!call.admitted()) return new RefusedStream(guard_->Finish(call, absl::OkStatus()));
  call.record().resource = absl::StrCat("events after ", req->after_sequence());
  if (req->after_sequence() < 0) {
    return new RefusedStream(
        guard_->Finish(call, errors::InvalidArgument("after_sequence", "must not be negative")));
  }
  return new EventStream(*guard_, *outbox_, std::move(call), req->after_sequence());
}

grpc::Status ServiceCore::ListAuditRecords(grpc::ServerContext* ctx,
                                           const common::v1::ListAuditRecordsRequest* req,
                                           common::v1::ListAuditRecordsResponse* resp) {
  return guard_->Run(ctx, "ListAuditRecords", [&](const Caller&, CallRecord& rec) {
    rec.resource = absl::StrCat("auditRecords?", req->filter());
    auto result = audit_->List(*req);
    if (!result.ok()) return result.status();
    *resp = *std::move(result);
    return absl::OkStatus();
  });
}

}  // namespace ips
