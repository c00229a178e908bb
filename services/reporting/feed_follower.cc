#include "services/reporting/feed_follower.h"

#include <algorithm>

#include "services/common/json_log.h"
#include "services/reporting/event_applier.h"

namespace ips::reporting {

long long StoredCursor(soci::session& s, const std::string& source) {
  long long seq = 0;
  s << "SELECT applied_sequence FROM feed_cursors WHERE source = :s", soci::use(source), soci::into(seq);
  return seq;
}

absl::StatusOr<long long> ApplyBatch(Database& db, const std::string& source,
                                     const std::vector<common::v1::Event>& events) {
  long long last = 0;
  auto written = db.Write([&](soci::session& s) -> absl::Status {
    last = StoredCursor(s, source);
    for (const auto& e : events) {
      if (e.sequence() <= last) continue;  // already applied (a resent event)
      ApplyEvent(s, source, e);
      last = e.sequence();
    }
    s << "UPDATE feed_cursors SET applied_sequence = :q WHERE source = :s", soci::use(last),
        soci::use(source);
    return absl::OkStatus();
  });
  if (!written.ok()) return written;
  return last;
}

FeedFollower::FeedFollower(Database& db, Options options, OpenFeed open)
    : db_(db), options_(std::move(options)), open_(std::move(open)) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  (void)db_.Read([&](soci::session& s) {
    applied_ = StoredCursor(s, options_.source);
    return absl::OkStatus();
  });
  received_ = applied_.load();
  reader_ = std::thread([this] { ReadLoop(); });
  applier_ = std::thread([this] { ApplyLoop(); });
}

void FeedFollower::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    if (active_) active_->TryCancel();
  }
  cv_.notify_all();
  if (reader_.joinable()) reader_.join();
  if (applier_.joinable()) applier_.join();
}

void FeedFollower::Sleep(absl::Duration d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, absl::ToChronoNanoseconds(d), [&] { return stopping_; });
}

void FeedFollower::ReadLoop() {
  absl::Duration backoff = absl::Milliseconds(200);
  while (true) {
    grpc::ClientContext ctx;
    common::v1::StreamEventsRequest req;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      if (resync_) {
        // A batch was not stored: start again from what was.
        queue_.clear();
        received_ = applied_.load();
        resync_ = false;
      }
      active_ = &ctx;
    }
    req.set_after_sequence(received_.load());
    const std::string token = options_.token();
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    auto reader = open_(&ctx, req);
    // The publisher answers with its initial metadata as soon as it has
    // accepted the stream (after authentication and policy).
    reader->WaitForInitialMetadata();
    connected_ = true;
    common::v1::Event e;
    bool got_any = false;
    while (reader->Read(&e)) {
      got_any = true;
      backoff = absl::Milliseconds(200);
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (resync_) {
          ctx.TryCancel();
          break;
        }
        received_ = e.sequence();
        queue_.push_back(std::move(e));
      }
      cv_.notify_all();
    }
    grpc::Status status = reader->Finish();
    connected_ = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      active_ = nullptr;
      if (stopping_) return;
    }
    LogWarn("feed_disconnected",
            {{"source", options_.source}, {"code", std::to_string(status.error_code())}});
    Sleep(got_any ? absl::Milliseconds(200) : backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

void FeedFollower::ApplyLoop() {
  while (true) {
    std::vector<common::v1::Event> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    auto written = ApplyBatch(db_, options_.source, batch);
    if (written.ok()) {
      applied_ = *written;
    } else {
      LogError("feed_apply_failed", {{"source", options_.source}});
      {
        std::lock_guard<std::mutex> lock(mu_);
        resync_ = true;
        if (active_) active_->TryCancel();
      }
      Sleep(absl::Milliseconds(500));
    }
  }
}

}  // namespace ips::reporting
