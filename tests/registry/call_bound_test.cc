// The bounds on calls in progress and on open event streams, through gRPC:
// beyond its caller's or the server's bound a call is refused
// RESOURCE_EXHAUSTED with the reason, and admitted again as soon as a call
// in progress ends. To hold unary calls in progress without racing the
// clock, the test holds the audit log's counter row from a connection of
// its own: every call then waits at its audit record, admitted, until the
// test lets go.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

class CallBoundTest : public RegistryFixture {
 protected:
  // A server with the bounds `limits` on the fixture's database.
  void Restart(CallLimits limits) {
    server_->Stop();
    server_ = std::make_unique<RegistryServer>(url_, "", nullptr,
                                               [limits](RuntimeOptions& o) { o.call_limits = limits; });
    stub_ = server_->Stub();
    feed_ = server_->Stub("reporting");
  }

  // Locks the audit counter row in a write transaction of another
  // connection until Release().
  void HoldAudit() {
    auto db = Database::Open(url_);
    ASSERT_TRUE(db.ok()) << db.status();
    holder_db_ = *std::move(db);
    std::promise<void> locked;
    auto is_locked = locked.get_future();
    holder_ = std::thread([this, locked = std::move(locked)]() mutable {
      auto status = holder_db_->Write([&](soci::session& s) {
        s << "UPDATE counters SET value = value WHERE name = 'audit'";
        locked.set_value();
        release_.get_future().wait();
        return absl::OkStatus();
      });
      EXPECT_TRUE(status.ok()) << status;
    });
    is_locked.wait();
  }
  void Release() {
    release_.set_value();
    holder_.join();
  }
  // Waits until `n` unary calls are in progress at the server.
  void AwaitInProgress(int n) {
    for (int i = 0; i < 400 && server_->core().guard().calls_in_progress() != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    ASSERT_EQ(server_->core().guard().calls_in_progress(), n);
  }
  // Waits until `n` unary calls have been refused for a bound: a refused
  // call is audited too, so it waits at the held counter row, and the test
  // must not let go before the refusal happened (else the call may arrive
  // after the others ended and be admitted).
  void AwaitRefused(long n) {
    for (int i = 0; i < 400 && server_->core().guard().calls_refused_for_bound() != n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    ASSERT_EQ(server_->core().guard().calls_refused_for_bound(), n);
  }

  // An event stream held open (the feed reader's call in progress).
  struct OpenStream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<common::v1::Event>> reader;
  };
  std::unique_ptr<OpenStream> Open() {
    auto s = std::make_unique<OpenStream>();
    s->ctx.AddMetadata("authorization", "Bearer " + EventReaderToken());
    s->ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    common::v1::StreamEventsRequest req;
    s->reader = feed_->StreamEvents(&s->ctx, req);
    return s;
  }
  // Ends the stream; its status.
  static grpc::Status Close(OpenStream& s) {
    s.ctx.TryCancel();
    common::v1::Event e;
    while (s.reader->Read(&e)) {
    }
    return s.reader->Finish();
  }

  grpc::Status List(const std::string& token) {
    rv1::ListCitizensRequest req;
    rv1::ListCitizensResponse resp;
    return stub_->ListCitizens(Ctx(token).get(), req, &resp);
  }
  std::future<grpc::Status> ListInBackground(const std::string& token) {
    return std::async(std::launch::async, [this, token] { return List(token); });
  }

  std::unique_ptr<rv1::CitizenRegistry::Stub> feed_;
  std::unique_ptr<Database> holder_db_;
  std::thread holder_;
  std::promise<void> release_;
};

TEST_P(CallBoundTest, ACallerBeyondItsBoundIsRefusedAndOthersAreAdmitted) {
  Restart({.per_server = 8, .per_caller = 1});
  HoldAudit();
  auto first = ListInBackground(TeamLeadToken());
  AwaitInProgress(1);
  // The same caller's second call is refused, and says why (its refusal
  // is audited too, so it answers once the test lets go).
  auto second = ListInBackground(TeamLeadToken());
  // Another caller is admitted beside the first.
  auto other = ListInBackground(ConsultantToken());
  AwaitInProgress(2);
  AwaitRefused(1);
  Release();
  EXPECT_TRUE(first.get().ok());
  const grpc::Status refused = second.get();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("you have 1 calls in progress"), std::string::npos)
      << refused.error_message();
  EXPECT_TRUE(other.get().ok());
  // With the first call ended, the caller is admitted again.
  EXPECT_TRUE(List(TeamLeadToken()).ok());
  EXPECT_EQ(server_->core().guard().calls_in_progress(), 0);
}

TEST_P(CallBoundTest, AFullServerRefusesEveryCallerUntilACallEnds) {
  Restart({.per_server = 2, .per_caller = 2});
  HoldAudit();
  auto first = ListInBackground(TeamLeadToken());
  auto second = ListInBackground(TeamLeadToken());
  AwaitInProgress(2);
  auto third = ListInBackground(ConsultantToken());
  AwaitRefused(1);
  Release();
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(second.get().ok());
  const grpc::Status full = third.get();
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(full.error_message().find("this service has 2 calls in progress"), std::string::npos)
      << full.error_message();
  EXPECT_TRUE(List(ConsultantToken()).ok());
}

// Open streams have a bound of their own and take no place among the
// calls in progress: with room for one call, two streams are open and a
// call still goes through.
TEST_P(CallBoundTest, OpenStreamsHaveTheirOwnBound) {
  Restart({.per_server = 1, .per_caller = 1, .open_streams = 2});
  auto first = Open();
  first->reader->WaitForInitialMetadata();  // the server sends it once the stream is admitted
  auto second = Open();
  second->reader->WaitForInitialMetadata();
  EXPECT_TRUE(List(TeamLeadToken()).ok()) << "an open stream took a call's place";
  auto third = Open();
  common::v1::Event e;
  EXPECT_FALSE(third->reader->Read(&e));
  const grpc::Status refused = third->reader->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("this service has 2 streams open"), std::string::npos)
      << refused.error_message();
  // Once a stream ends, another opens.
  Close(*first);
  grpc::Status again;
  for (int i = 0; i < 100; ++i) {
    auto next = Open();
    next->reader->WaitForInitialMetadata();
    again = Close(*next);
    if (again.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << again.error_message();
  Close(*second);
}

IPS_ON_BOTH_DATABASES(CallBoundTest);

}  // namespace
}  // namespace ips::testing
