#pragma once

#include <grpcpp/support/server_callback.h>

#include <memory>
#include <mutex>
#include <vector>

#include "ips/common/v1/events.pb.h"
#include "services/common/call_guard.h"
#include "services/common/outbox.h"

namespace ips {

// One open StreamEvents stream, served by the callback API: while it waits
// for events it holds no thread, only its place in the outbox's list of
// followers, so a server keeps hundreds of them open at the cost of memory.
// It writes one event at a time (the next on OnWriteDone), then waits with
// Outbox::Await for the events after the last one it wrote. It ends when
// the follower goes (cancelled, a write fails), the outbox stops (OK) or
// cannot be read (that error); the call's audit record is written then.
// It deletes itself when gRPC is done with it.
class EventStream final : public grpc::ServerWriteReactor<common::v1::Event>, public OutboxFollower {
 public:
  // Starts the stream after sequence number `after`; `call` was admitted.
  EventStream(CallGuard& guard, Outbox& outbox, GuardedCall call, int64_t after);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  void OnEvents(std::shared_ptr<const std::vector<common::v1::Event>> events) override;
  void OnEnd(const absl::Status& status) override;

 private:
  // Starts writing event `i` of the batch.
  void Write(size_t i);

  CallGuard& guard_;
  Outbox& outbox_;
  GuardedCall call_;
  std::mutex mu_;
  int64_t cursor_;  // the last sequence number written
  std::shared_ptr<const std::vector<common::v1::Event>> batch_;
  size_t next_ = 0;       // the event of `batch_` being written
  bool writing_ = false;  // a write is outstanding
  bool cancelled_ = false;
  bool finished_ = false;  // Finish was called
  absl::Status end_;       // what the audit records
};

// A stream refused or rejected before it opened: answers `status` at once.
class RefusedStream final : public grpc::ServerWriteReactor<common::v1::Event> {
 public:
  explicit RefusedStream(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace ips
