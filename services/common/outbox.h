#pragma once

#include <google/protobuf/message.h>
#include <soci/soci.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ips/common/v1/events.pb.h"
#include "services/common/database.h"
#include "services/common/pseudonymizer.h"

namespace ips {

// Outbox is the transactional outbox behind a service's event feed. A
// handler appends events inside the same write transaction as its change;
// the shared `outbox` counter row, locked until commit, makes sequence
// numbers gap-free and commit-ordered even with several writers or
// replicas. Stream() replays from a cursor and then follows new commits,
// woken in-process by NotifyCommitted() and by polling for commits of other
// replicas.
class Outbox {
 public:
  Outbox(Database& db, std::string source, const Pseudonymizer& pseudonymizer,
         absl::Duration poll_interval = absl::Milliseconds(250));

  // Appends an event about `citizen_id` (empty for none) in the caller's
  // transaction. Only the pseudonym of the citizen is stored, and every
  // record or staff id in the payload is replaced by its pseudonym
  // (event_payload.h); a payload type with an undeclared string field
  // throws, so the transaction fails.
  int64_t Append(soci::session& s, const std::string& citizen_id, const google::protobuf::Message& payload);

  // Wakes followers; call after the transaction that appended committed.
  void NotifyCommitted();

  absl::StatusOr<std::vector<common::v1::Event>> ReadAfter(int64_t after, int limit);

  // Writes every event after `after` with `write`, then keeps following new
  // ones until `write` returns false, `cancelled()` turns true or Stop().
  absl::Status Stream(int64_t after, const std::function<bool()>& cancelled,
                      const std::function<bool(const common::v1::Event&)>& write);

  // Ends every Stream() (graceful shutdown).
  void Stop();

 private:
  // An event stored with real ids (before common migration 4, or by a pod
  // of the version before during a rolling upgrade), as it is published:
  // ids pseudonymised, fields no longer in its type dropped. `payload` is
  // the serialized Any.
  std::string PseudonymiseStored(const std::string& type_name, const std::string& payload) const;

  Database& db_;
  std::string source_;
  const Pseudonymizer& pseudonymizer_;
  absl::Duration poll_interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace ips
