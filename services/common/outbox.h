#pragma once

#include <google/protobuf/message.h>
#include <soci/soci.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ips/common/v1/events.pb.h"
#include "services/common/database.h"
#include "services/common/pseudonymizer.h"

namespace ips {

// What waits for the next events of a feed: an open StreamEvents stream
// (event_stream.h). Its callbacks run on the outbox's delivery thread with
// the outbox locked, so they must not block or call Await() or Forget().
class OutboxFollower {
 public:
  virtual ~OutboxFollower() = default;
  // The events after the sequence number it waited after, in order, at
  // most one batch; never empty. Shared by every follower at that cursor.
  virtual void OnEvents(std::shared_ptr<const std::vector<common::v1::Event>> events) = 0;
  // The feed ends: OK when the outbox stops, else why it could not be read.
  virtual void OnEnd(const absl::Status& status) = 0;
};

// Outbox is the transactional outbox behind a service's event feed. A
// handler appends events inside the same write transaction as its change;
// the shared `outbox` counter row, locked until commit, makes sequence
// numbers gap-free and commit-ordered even with several writers or
// replicas.
//
// Followers wait with Await(); one delivery thread serves all of them, so an
// open stream holds no thread while it waits. The thread reads once per
// distinct cursor (caught-up followers share one read), woken in-process by
// NotifyCommitted() and, for commits of other replicas, every poll interval
// while anyone waits.
class Outbox {
 public:
  Outbox(Database& db, std::string source, const Pseudonymizer& pseudonymizer,
         absl::Duration poll_interval = absl::Milliseconds(250));
  // Stops the delivery thread; every follower must have been forgotten.
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Appends an event about `citizen_id` (empty for none) in the caller's
  // transaction. Only the pseudonym of the citizen is stored, and every
  // record or staff id in the payload is replaced by its pseudonym
  // (event_payload.h); a payload type with an undeclared string field
  // throws, so the transaction fails.
  int64_t Append(soci::session& s, const std::string& citizen_id, const google::protobuf::Message& payload);

  // Wakes followers; call after the transaction that appended committed.
  void NotifyCommitted();

  absl::StatusOr<std::vector<common::v1::Event>> ReadAfter(int64_t after, int limit);

  // `follower` is given the events after `after` once there are any (at
  // once when there are), or the feed's end, and is then no longer waiting:
  // it calls Await() again when it has written them. Replaces an earlier
  // wait of the same follower.
  void Await(OutboxFollower* follower, int64_t after);
  // Once it returns, no callback of `follower` runs or will run.
  void Forget(OutboxFollower* follower);

  // Ends every wait, now and after, with OK (graceful shutdown).
  void Stop();

 private:
  // An event stored with real ids (before common migration 4, or by a pod
  // of the version before during a rolling upgrade), as it is published:
  // ids pseudonymised, fields no longer in its type dropped. `payload` is
  // the serialized Any.
  std::string PseudonymiseStored(const std::string& type_name, const std::string& payload) const;

  // The delivery thread.
  void DeliveryLoop();
  // One round: reads after each waiting cursor and hands out what it read.
  void DeliverRound(std::unique_lock<std::mutex>& lock);

  Database& db_;
  std::string source_;
  const Pseudonymizer& pseudonymizer_;
  absl::Duration poll_interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;                               // commits notified
  std::unordered_map<OutboxFollower*, int64_t> waiting_;  // follower -> the cursor it waits after
  bool new_waiter_ = false;                               // a follower waits that no round has read for
  bool stopping_ = false;
  bool closing_ = false;
  std::thread delivery_;
};

}  // namespace ips
