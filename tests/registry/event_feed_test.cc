// The event feed survives restarts: a consumer resuming after the last
// sequence it saw gets every later event exactly once, then live ones.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

// The feed opens only to the feed readers' certificate ("reporting").
class RegistryEventFeedTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (server_) feed_ = server_->Stub("reporting");
  }
  std::unique_ptr<rv1::CitizenRegistry::Stub> feed_;
};

// Reads events after `after` until `count` arrived or 10 s passed.
std::vector<common::v1::Event> ReadEvents(rv1::CitizenRegistry::Stub& stub, int64_t after, size_t count) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  common::v1::StreamEventsRequest req;
  req.set_after_sequence(after);
  auto reader = stub.StreamEvents(&ctx, req);
  std::vector<common::v1::Event> out;
  common::v1::Event e;
  while (out.size() < count && reader->Read(&e)) out.push_back(e);
  ctx.TryCancel();
  reader->Finish();
  return out;
}

TEST_P(RegistryEventFeedTest, ResumesAfterRestartWithNothingLostOrRepeated) {
  auto k = MakeConsultant("Kim");
  for (int i = 0; i < 4; ++i)
    Enroll(MakeCitizen(CprFor(1980, 1, 1 + i, i)), TodayInCopenhagen() - 3, k.name());
  const size_t first_batch = 1 + 4 * 2;
  auto seen = ReadEvents(*feed_, 0, first_batch);
  ASSERT_EQ(seen.size(), first_batch);
  const int64_t cursor = seen.back().sequence();

  // Restart the service on the same database.
  server_->Stop();
  server_ = std::make_unique<RegistryServer>(url_);
  stub_ = server_->Stub();
  feed_ = server_->Stub("reporting");
  for (int i = 0; i < 3; ++i) MakeCitizen(CprFor(1985, 1, 1 + i, i));

  // Follow live: one more change arrives while the stream is open.
  std::vector<common::v1::Event> resumed;
  std::thread follower([&] { resumed = ReadEvents(*feed_, cursor, 4); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  MakeCitizen(CprFor(1986, 1, 1, 1));
  follower.join();

  ASSERT_EQ(resumed.size(), 4u);
  for (size_t i = 0; i < resumed.size(); ++i) {
    EXPECT_EQ(resumed[i].sequence(), cursor + 1 + static_cast<int64_t>(i)) << "gap or repeat";
    for (const auto& old : seen) EXPECT_NE(resumed[i].event_id(), old.event_id());
  }
  // A full replay returns the same events with the same ids.
  auto replay = ReadEvents(*feed_, 0, first_batch + 4);
  ASSERT_EQ(replay.size(), first_batch + 4);
  for (size_t i = 0; i < first_batch; ++i) EXPECT_EQ(replay[i].event_id(), seen[i].event_id());
}

TEST_P(RegistryEventFeedTest, ConcurrentWritersGetGapFreeSequences) {
  MakeConsultant("Kim", 100);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) MakeCitizen(CprFor(1970 + t, 1 + i, 1, t * 10 + i));
    });
  }
  for (auto& w : writers) w.join();
  auto events = ReadEvents(*feed_, 0, 41);
  ASSERT_EQ(events.size(), 41u);
  for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].sequence(), static_cast<int64_t>(i + 1));
}

// Two registry replicas on one database (a Deployment with two pods):
// writes through both at once give one gap-free sequence, and a follower of
// either replica, reading while the writes go on, sees every event in the
// same order.
TEST_P(RegistryEventFeedTest, TwoReplicasOnOneDatabaseKeepOneGapFreeFeed) {
  RegistryServer second(url_);
  auto second_stub = second.Stub();
  auto second_feed = second.Stub("reporting");
  constexpr int kThreads = 4, kEach = 15;
  const size_t total = kThreads * kEach;
  std::vector<common::v1::Event> via_first, via_second;
  std::thread follow_first([&] { via_first = ReadEvents(*feed_, 0, total); });
  std::thread follow_second([&] { via_second = ReadEvents(*second_feed, 0, total); });
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto& stub = (t + i) % 2 ? *stub_ : *second_stub;  // the replicas take turns
        rv1::CreateCitizenRequest req;
        req.mutable_citizen()->set_cpr(CprFor(1970 + t, 1 + i % 12, 1 + i, 100 + t * kEach + i));
        req.mutable_citizen()->set_given_name("Test");
        req.mutable_citizen()->set_family_name("Person");
        req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
        rv1::Citizen out;
        failed += !stub.CreateCitizen(Ctx(ConsultantToken()).get(), req, &out).ok();
      }
    });
  }
  for (auto& w : writers) w.join();
  follow_first.join();
  follow_second.join();
  ASSERT_EQ(failed.load(), 0);
  ASSERT_EQ(via_first.size(), total);
  ASSERT_EQ(via_second.size(), total);
  for (size_t i = 0; i < total; ++i) {
    EXPECT_EQ(via_first[i].sequence(), static_cast<int64_t>(i + 1)) << "gap or repeat";
    EXPECT_EQ(via_second[i].event_id(), via_first[i].event_id()) << "at " << i;
  }
}

// The threads of this process, from /proc.
int ThreadsNow() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Open streams are served by the callback API: a hundred of them, all
// waiting at the end of the feed, add almost no threads to the process
// (the synchronous server gave each one a thread of its own), and one
// change reaches every one of them. The client side drives all the streams
// from this thread through one completion queue, so any thread added is
// the server's.
TEST_P(RegistryEventFeedTest, OpenStreamsHoldNoThreadAndAllGetTheNextEvent) {
  MakeConsultant("Kim");
  constexpr int kStreams = 100;
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientAsyncReader<common::v1::Event>> reader;
    common::v1::Event event;
    grpc::Status status;
  };
  std::vector<std::unique_ptr<Stream>> streams;
  grpc::CompletionQueue cq;
  auto next = [&cq] {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq.Next(&tag, &ok));
    return std::make_pair(reinterpret_cast<intptr_t>(tag), ok);
  };
  const int threads_before = ThreadsNow();
  ASSERT_GT(threads_before, 0);
  common::v1::StreamEventsRequest req;
  req.set_after_sequence(1);  // the consultant's event is number 1
  for (int i = 0; i < kStreams; ++i) {
    auto s = std::make_unique<Stream>();
    s->ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
    s->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    s->reader = feed_->PrepareAsyncStreamEvents(&s->ctx, req, &cq);
    s->reader->StartCall(reinterpret_cast<void*>(intptr_t{i}));
    streams.push_back(std::move(s));
  }
  for (int i = 0; i < kStreams; ++i) ASSERT_TRUE(next().second);
  // Every stream is open once its initial metadata came.
  for (int i = 0; i < kStreams; ++i)
    streams[i]->reader->ReadInitialMetadata(reinterpret_cast<void*>(intptr_t{i}));
  for (int i = 0; i < kStreams; ++i) ASSERT_TRUE(next().second) << "a stream was refused";
  const int threads_open = ThreadsNow();
  EXPECT_LT(threads_open - threads_before, 10)
      << kStreams << " open streams added " << threads_open - threads_before << " threads";

  for (int i = 0; i < kStreams; ++i)
    streams[i]->reader->Read(&streams[i]->event, reinterpret_cast<void*>(intptr_t{i}));
  MakeCitizen(CprFor(1980, 2, 3, 4));
  std::vector<bool> got(kStreams, false);
  for (int n = 0; n < kStreams; ++n) {
    auto [i, ok] = next();
    ASSERT_TRUE(ok) << "stream " << i << " ended before the event";
    got[i] = true;
    EXPECT_EQ(streams[i]->event.sequence(), 2) << "stream " << i;
    EXPECT_EQ(streams[i]->event.type(), "ips.registry.v1.CitizenRegistered") << "stream " << i;
  }
  EXPECT_EQ(std::count(got.begin(), got.end(), true), kStreams);

  // Closing every stream ends each on the server too.
  for (auto& s : streams) s->ctx.TryCancel();
  for (int i = 0; i < kStreams; ++i)
    streams[i]->reader->Finish(&streams[i]->status, reinterpret_cast<void*>(intptr_t{i}));
  for (int i = 0; i < kStreams; ++i) next();
  for (const auto& s : streams) EXPECT_EQ(s->status.error_code(), grpc::StatusCode::CANCELLED);
}

IPS_ON_BOTH_DATABASES(RegistryEventFeedTest);

}  // namespace
}  // namespace ips::testing
