#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ips/common/v1/audit.pb.h"
#include "services/common/database.h"

namespace ips {

// What one audited call did. Never holds a CPR number or a name.
struct AuditEntry {
  std::string subject;
  std::string agency;
  std::string service;
  std::string method;
  std::string resource;
  std::string citizen_id;
  std::string outcome;
  std::string note;
};

// AuditLog is the append-only, hash-chained audit table of the service that
// holds the data. Each record's hash covers the previous record's hash and
// all of its own fields, so altering or removing a row breaks the chain
// from that row on; the `audit` counter row serialises appends so the chain
// stays linear with several writers (or replicas).
//
// Appends are group-committed: the first caller to find no write under way
// becomes the writer and commits every entry queued meanwhile in one
// transaction, batch after batch, while the others wait for theirs. Alone,
// a caller writes its own record with no hand-off; under concurrency the
// audit costs one transaction per batch, not per call. Append() returns
// only after its record is committed.
class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  absl::Status Append(const AuditEntry& entry);

  // Appends inside the caller's write transaction, so the record commits
  // (or rolls back) together with the change it describes.
  static void AppendInTransaction(soci::session& s, const AuditEntry& entry);

  absl::StatusOr<common::v1::ListAuditRecordsResponse> List(
      const common::v1::ListAuditRecordsRequest& request);

  // Sequence of the first record whose hash or link does not verify, or 0
  // when the whole chain holds.
  absl::StatusOr<int64_t> FirstBrokenLink();

  // The hash of a record from its fields (exposed for verification tools).
  static std::string HashOf(const common::v1::AuditRecord& record, int64_t create_micros);

 private:
  struct Pending {
    const AuditEntry* entry;
    bool done = false;
    absl::Status status;
  };
  absl::Status WriteBatch(const std::vector<Pending*>& batch);
  static void AppendRows(soci::session& s, const std::vector<const AuditEntry*>& entries);

  Database& db_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;
  bool writing_ = false;
};

}  // namespace ips
