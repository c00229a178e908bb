#pragma once

#include <soci/soci.h>

#include <string>

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
// stays linear with several writers.
class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  absl::Status Append(const AuditEntry& entry);

  absl::StatusOr<common::v1::ListAuditRecordsResponse> List(
      const common::v1::ListAuditRecordsRequest& request);

  // Sequence of the first record whose hash or link does not verify, or 0
  // when the whole chain holds.
  absl::StatusOr<int64_t> FirstBrokenLink();

  // The hash of a record from its fields (exposed for verification tools).
  static std::string HashOf(const common::v1::AuditRecord& record, int64_t create_micros);

 private:
  Database& db_;
};

}  // namespace ips
