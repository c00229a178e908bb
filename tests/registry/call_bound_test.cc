// The bounds on calls in progress, through gRPC: beyond its caller's or the
// server's bound a call is refused RESOURCE_EXHAUSTED at once, and admitted
// again as soon as a call in progress ends. Open event streams hold their
// calls, so the test can fill a bound without racing the clock.
#include <gtest/gtest.h>

#include <chrono>
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

  grpc::Status List() {
    rv1::ListCitizensRequest req;
    rv1::ListCitizensResponse resp;
    return stub_->ListCitizens(Ctx(TeamLeadToken()).get(), req, &resp);
  }

  std::unique_ptr<rv1::CitizenRegistry::Stub> feed_;
};

TEST_P(CallBoundTest, ACallerBeyondItsBoundIsRefusedAtOnceAndOthersGoOn) {
  Restart({.per_server = 8, .per_caller = 1});
  auto held = Open();
  held->reader->WaitForInitialMetadata();  // the server sends it once the call is admitted
  // The same caller's second stream is refused, and says why.
  auto second = Open();
  common::v1::Event e;
  EXPECT_FALSE(second->reader->Read(&e));
  const grpc::Status refused = second->reader->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("you have 1 calls in progress"), std::string::npos)
      << refused.error_message();
  // Another caller is not held up by it.
  EXPECT_TRUE(List().ok());
  // Once the first stream ends, the caller is admitted again.
  Close(*held);
  grpc::Status again;
  for (int i = 0; i < 100; ++i) {
    auto next = Open();
    next->reader->WaitForInitialMetadata();
    again = Close(*next);
    if (again.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << again.error_message();
}

TEST_P(CallBoundTest, AFullServerRefusesEveryCallerUntilACallEnds) {
  Restart({.per_server = 2, .per_caller = 2});
  auto first = Open();
  first->reader->WaitForInitialMetadata();
  auto second = Open();
  second->reader->WaitForInitialMetadata();
  const grpc::Status full = List();
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(full.error_message().find("this service has 2 calls in progress"), std::string::npos)
      << full.error_message();
  Close(*first);
  grpc::Status after;
  for (int i = 0; i < 100; ++i) {
    after = List();
    if (after.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(after.ok()) << after.error_message();
  Close(*second);
}

IPS_ON_BOTH_DATABASES(CallBoundTest);

}  // namespace
}  // namespace ips::testing
