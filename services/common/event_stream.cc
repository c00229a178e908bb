#include "services/common/event_stream.h"

#include "services/common/errors.h"

namespace ips {

EventStream::EventStream(CallGuard& guard, Outbox& outbox, GuardedCall call, int64_t after)
    : guard_(guard), outbox_(outbox), call_(std::move(call)), cursor_(after) {
  // Tell the follower at once that the stream is open, not only with the
  // first event (a caught-up follower may wait long for one).
  StartSendInitialMetadata();
  outbox_.Await(this, cursor_);
}

void EventStream::OnEvents(std::shared_ptr<const std::vector<common::v1::Event>> events) {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    batch_ = std::move(events);
    next_ = 0;
    writing_ = true;
  }
  // No other reaction touches the batch while the write is outstanding.
  Write(0);
}

void EventStream::OnWriteDone(bool ok) {
  bool write_next = false;
  size_t next_index = 0;
  bool finish = false;
  int64_t cursor = 0;
  {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok || cancelled_ || finished_) {
      // The follower went (or went while we wrote), or the feed ended.
      finish = !finished_;
      finished_ = true;
    } else {
      cursor_ = (*batch_)[next_].sequence();
      if (++next_ < batch_->size()) {
        write_next = true;
        next_index = next_;
        writing_ = true;
      } else {
        batch_.reset();
      }
    }
    cursor = cursor_;
  }
  if (finish) {
    Finish(errors::ToGrpcStatus(end_));
  } else if (write_next) {
    Write(next_index);
  } else {
    outbox_.Await(this, cursor);
  }
}

void EventStream::Write(size_t i) {
  // All but a batch's last event may wait in gRPC's buffer for the next,
  // so a backlog goes out in few large frames; the last is sent at once.
  grpc::WriteOptions options;
  if (i + 1 < batch_->size()) options.set_buffer_hint();
  StartWrite(&(*batch_)[i], options);
}

void EventStream::OnCancel() {
  bool finish = false;
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    // An outstanding write ends in OnWriteDone, which finishes then.
    finish = !writing_ && !finished_;
    if (finish) finished_ = true;
  }
  if (finish) {
    outbox_.Forget(this);
    Finish(grpc::Status::CANCELLED);
  }
}

void EventStream::OnEnd(const absl::Status& status) {
  {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    end_ = status;
  }
  // Waiting, so no write is outstanding.
  Finish(errors::ToGrpcStatus(status));
}

void EventStream::OnDone() {
  // After this no delivery can reach a deleted stream; a follower gone is
  // the normal end of a stream, audited OK as before.
  outbox_.Forget(this);
  guard_.Finish(call_, end_);
  delete this;
}

}  // namespace ips
