#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/sync_stream.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ips/common/v1/events.pb.h"
#include "services/reporting/committed_facts.h"

namespace ips::reporting {

// Opens one publisher's StreamEvents after a sequence number.
using OpenFeed = std::function<std::unique_ptr<grpc::ClientReader<common::v1::Event>>(
    grpc::ClientContext*, const common::v1::StreamEventsRequest&)>;

// OpenFeed for a publisher's typed stub (CitizenRegistry,
// EmployerMatching, TreatmentCoordination: each serves the same
// StreamEvents) on `channel`.
template <typename Service>
OpenFeed FeedOf(std::shared_ptr<grpc::Channel> channel) {
  std::shared_ptr<typename Service::Stub> stub = Service::NewStub(channel);
  return [stub](grpc::ClientContext* ctx, const common::v1::StreamEventsRequest& req) {
    return stub->StreamEvents(ctx, req);
  };
}

// FeedFollower keeps reporting's facts up to date with one publisher's
// events. A reader thread follows StreamEvents from the stored cursor and
// queues what arrives; an applier thread drains the queue in batches, each
// batch applied through CommittedFacts in one transaction with the cursor, so a restart at any moment
// resumes with nothing lost and nothing counted twice. While the publisher
// is down it retries with backoff (0.2 s doubling to 5 s).
class FeedFollower {
 public:
  struct Options {
    std::string source;  // "registry", "matching", "treatment"
    // The bearer token (role event_reader), read before each connection so
    // a rotated token is picked up.
    std::function<std::string()> token;
    size_t max_batch = 2000;
  };

  FeedFollower(CommittedFacts& facts, Options options, OpenFeed open);
  ~FeedFollower();

  void Start();
  void Stop();

  const std::string& source() const { return options_.source; }
  // The last sequence applied and whether the stream is open now.
  long long applied() const { return applied_.load(); }
  bool connected() const { return connected_.load(); }
  // The newest sequence seen on the feed (applied or queued).
  long long received() const { return received_.load(); }

 private:
  void ReadLoop();
  void ApplyLoop();
  // Waits up to `d` or until Stop().
  void Sleep(absl::Duration d);

  CommittedFacts& facts_;
  Options options_;
  OpenFeed open_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<common::v1::Event> queue_;
  bool stopping_ = false;
  bool resync_ = false;  // a batch failed: reconnect from the stored cursor
  grpc::ClientContext* active_ = nullptr;

  std::atomic<long long> applied_{0}, received_{0};
  std::atomic<bool> connected_{false};
  std::thread reader_, applier_;
};

}  // namespace ips::reporting
