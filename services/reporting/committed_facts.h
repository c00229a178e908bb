#pragma once

#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ips/common/v1/events.pb.h"
#include "services/common/database.h"
#include "services/reporting/facts_in_memory.h"

namespace ips::reporting {

// CommittedFacts keeps reporting's facts in memory and in its database in step.
// The feed followers apply batches through it; each batch is applied in
// memory and its changed rows and cursor written in one transaction, under
// a lock reports wait for, so a report never sees a batch that is not
// committed. If the write fails, memory is read back from the database
// before anything else happens: the database stays the truth, and a
// restart (which loads it) gives the same figures.
class CommittedFacts {
 public:
  explicit CommittedFacts(Database& db) : db_(db) {}

  // Reads the stored facts (at start, before the followers run).
  absl::Status Load();

  // Applies `events` of `source` (in sequence order) and moves its cursor;
  // events at or below the cursor are skipped. Returns the new cursor.
  absl::StatusOr<long long> ApplyBatch(const std::string& source,
                                       const std::vector<common::v1::Event>& events);

  // The facts judged as of `as_of` (FactsInMemory::CoursesAsOf) and the cursors they
  // are as of; UNAVAILABLE while the facts must be read back after a
  // failed write and the database cannot be read.
  struct Snapshot {
    CourseFacts facts;
    std::map<std::string, long long> cursors;
  };
  absl::StatusOr<Snapshot> CoursesAsOf(absl::CivilDay as_of, absl::CivilDay period_start) const;

  // The fidelity review's facts for `period` (FactsInMemory::FidelityFactsOf)
  // and the cursors they are as of; UNAVAILABLE as for CoursesAsOf.
  struct FidelitySnapshot {
    FactsInMemory::FidelityInput input;
    std::map<std::string, long long> cursors;
  };
  absl::StatusOr<FidelitySnapshot> FidelityFactsOf(const FidelityPeriod& period) const;

  long long Applied(const std::string& source) const;
  std::map<std::string, long long> Cursors() const;

 private:
  absl::Status ReloadLocked();

  Database& db_;
  mutable std::shared_mutex mu_;
  FactsInMemory facts_;
  bool reload_needed_ = false;
};

}  // namespace ips::reporting
