#include "services/reporting/feed_follower.h"

#include <algorithm>

#include "services/common/json_log.h"

namespace ips::reporting {

FeedFollower::FeedFollower(CommittedFacts& facts, Options options, OpenFeed open)
    : facts_(facts), options_(std::move(options)), open_(std::move(open)) {}

FeedFollower::~FeedFollower() { Stop(); }

void FeedFollower::Start() {
  applied_ = facts_.Applied(options_.source);
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
    auto written = facts_.ApplyBatch(options_.source, batch);
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
