#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/database.h"
#include "services/matching/domain/match_model.h"
#include "services/matching/matching_store.h"

namespace ips::matching {

// The open openings in memory, ready for ranking. Every write to openings
// bumps the `openings` counter in the same transaction (matching_store.cc),
// so a call reads one counter and reloads only when it moved, whichever
// replica wrote: a match never sees an opening older than the counter it
// read.
class OpeningIndex {
 public:
  struct Snapshot {
    long long generation = -1;
    std::vector<OpeningRow> rows;   // as the API shows them
    std::vector<Opening> openings;  // the same, as the rules see them
  };

  // The current snapshot, reloaded first if the database has moved on.
  // The common case (nothing changed) takes no lock across the database
  // read, so concurrent matches do not queue behind each other.
  absl::StatusOr<std::shared_ptr<const Snapshot>> Current(Database& db);

 private:
  // The snapshot if it is of `generation`, else null.
  std::shared_ptr<const Snapshot> IfAt(long long generation);

  std::mutex reload_mu_;    // one reload at a time; others wait for its result
  std::mutex snapshot_mu_;  // guards snapshot_ (held only to copy the pointer)
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace ips::matching
