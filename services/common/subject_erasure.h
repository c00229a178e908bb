#pragma once

#include <grpcpp/grpcpp.h>
#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "ips/common/v1/subject_access.pb.h"
#include "services/common/retention.h"
#include "services/common/service_core.h"

namespace ips {

// How one service erases a citizen's personal data (retention.h says
// when). Each service lists its own SQL next to its schema; the shared
// code below runs it, records the erasure in the `erasures` table, and
// audits it in the same transaction. Nothing is published, so reporting's
// figures stay as they were.
struct ErasurePlan {
  // The name of the service's rule for erasure refused while something
  // is open, e.g. "ERASURE_COURSE_RUNNING".
  std::string open_rule;
  // One row per citizen the service holds data about: `citizen_id`,
  // `open` (> 0 while something runs), `last_date` (the latest business
  // date recorded, 'YYYY-MM-DD' or '') and `last_micros` (the latest change
  // of a row, counted only when there is no business date). Erased
  // citizens are filtered out by the shared code.
  std::string history_sql;
  // Run in order with the citizen's id bound to `:subject`: UPDATEs that
  // clear personal fields and DELETEs of rows that are personal data.
  std::vector<std::string> statements;
  // Whether the service registers citizens (the registry): erasing one it
  // does not know is then NOT_FOUND. The others record the erasure anyway,
  // so nothing can be added about that citizen later.
  bool registers_citizens = false;
};

// Whether `citizen_id` was erased at this service.
bool IsErased(soci::session& s, const std::string& citizen_id);

// The retention history of every citizen not yet erased.
std::vector<std::pair<std::string, SubjectHistory>> RetentionHistories(soci::session& s,
                                                                       const ErasurePlan& plan);

// Erases one citizen inside the caller's write transaction (which must
// also append the audit record): returns the erasure record, the first
// one when the citizen was already erased (`already_erased`). With
// `validate_only`, checks and changes nothing.
// FAILED_PRECONDITION (the plan's open rule) while something is open;
// NOT_FOUND for an unknown citizen at a service that registers citizens.
absl::StatusOr<common::v1::SubjectErasure> EraseInTransaction(soci::session& s, const ErasurePlan& plan,
                                                              const std::string& citizen_id,
                                                              common::v1::ErasureReason reason,
                                                              bool validate_only = false);

// The EraseSubjectData RPC: a DPO's request, validated, run and audited
// with the citizen.
grpc::Status EraseSubjectData(ServiceCore& core, const std::string& service_name, grpc::ServerContext* ctx,
                              const common::v1::EraseSubjectDataRequest* req,
                              common::v1::SubjectErasure* resp, const ErasurePlan& plan);

// RetentionSweeper erases, every `interval`, each citizen whose data is
// past the retention period on that day in Copenhagen, one citizen per
// transaction with its own audit record (subject "retention-sweep").
// A failed erasure is logged and retried at the next sweep.
class RetentionSweeper {
 public:
  RetentionSweeper(ServiceCore& core, std::string service_name, ErasurePlan plan, int retention_days);
  ~RetentionSweeper();

  // Starts the background sweeps (the first right away); no-op when
  // `interval` is zero.
  void Start(absl::Duration interval);
  void Stop();

  // One sweep as of `today`: the number of citizens erased.
  absl::StatusOr<int> SweepOnce(absl::CivilDay today);

 private:
  ServiceCore& core_;
  const std::string service_name_;
  const ErasurePlan plan_;
  const int retention_days_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ips
