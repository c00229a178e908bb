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
#include "services/common/list_query.h"

namespace ips {

// What one audited call did. Never holds a CPR number or a name: the log
// bounds every field and masks CPR-shaped numbers as it stores them
// (audit_text.h).
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
// all of its own fields, each prefixed by its length (hash version 2), so
// altering or removing a row breaks the chain from that row on and no two
// records hash alike; the `audit` counter row serialises appends so the
// chain stays linear with several writers (or replicas).
//
// Appends are group-committed: the first caller to find no write under way
// becomes the writer and commits every entry queued meanwhile in one
// transaction, batch after batch, while the others wait for theirs. Alone,
// a caller writes its own record with no hand-off; under concurrency the
// audit costs one transaction per batch, not per call. Append() returns
// only after its record is committed.
class AuditLog {
 public:
  // Pages of List are signed with `page_tokens`.
  AuditLog(Database& db, const PageTokens& page_tokens) : db_(db), page_tokens_(page_tokens) {}

  // The most a page of List holds in bytes (at least one record), so the
  // DPO can always page through, whatever was stored.
  static constexpr size_t kMaxPageBytes = 1 << 20;

  // The most bytes each field keeps (longer text: its length and a digest).
  static constexpr size_t kMaxSubject = 256, kMaxAgency = 64, kMaxService = 128, kMaxMethod = 256,
                          kMaxResource = 512, kMaxCitizenId = 64, kMaxOutcome = 64, kMaxNote = 1024;

  absl::Status Append(const AuditEntry& entry);

  // Appends inside the caller's write transaction, so the record commits
  // (or rolls back) together with the change it describes.
  static void AppendInTransaction(soci::session& s, const AuditEntry& entry);
  // The same for several entries, chained in their order.
  static void AppendInTransaction(soci::session& s, const std::vector<const AuditEntry*>& entries);

  absl::StatusOr<common::v1::ListAuditRecordsResponse> List(
      const common::v1::ListAuditRecordsRequest& request);

  // Sequence of the first record whose hash or link does not verify, or 0
  // when the whole chain holds.
  absl::StatusOr<int64_t> FirstBrokenLink();

  // The hash of a record from its fields, by its hash_version.
  static std::string HashOf(const common::v1::AuditRecord& record, int64_t create_micros);

 private:
  struct Pending {
    const AuditEntry* entry;
    bool done = false;
    absl::Status status;
  };
  absl::Status WriteBatch(const std::vector<Pending*>& batch);

  Database& db_;
  const PageTokens& page_tokens_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;
  bool writing_ = false;
};

// Checks a chain record by record in sequence order, as the service
// (FirstBrokenLink) and `ipsctl audit verify` (which trusts no server) do:
// sequences from 1 with no gap, each record linked to the previous one's
// hash, hash versions never decreasing, each hash recomputed.
class AuditChainCheck {
 public:
  // "" when `record` continues the chain; otherwise why it breaks it.
  std::string Next(const common::v1::AuditRecord& record);
  // The sequence the next record must have.
  int64_t expected() const { return expected_; }

 private:
  std::string previous_ = std::string(64, '0');
  int64_t expected_ = 1;
  int version_ = 1;
};

}  // namespace ips
