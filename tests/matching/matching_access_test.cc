// Deny by default at the matching service: every unary RPC refuses a
// missing, expired or malformed token and a role the policy does not name;
// SOF staff reach nothing; the DPO reads but never writes; the event feed
// needs the event_reader role.
#include <gtest/gtest.h>

#include "tests/support/matching_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"

namespace ips::testing {
namespace {

namespace mv1 = ips::matching::v1;

class MatchingAccessTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<MatchingServer>(url_);
  }
  std::string url_;
  std::unique_ptr<MatchingServer> server_;
};

// What the DPO may call: the reads (and the audit trail).
bool IsRead(const std::string& method) { return method.rfind("Get", 0) == 0 || method.rfind("List", 0) == 0; }

TEST_P(MatchingAccessTest, EveryUnaryRpcRefusesMissingBadAndUnauthorisedTokens) {
  grpc::GenericStub stub(Channel(server_->port()));
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      mv1::EmployerMatching::service_full_name());
  ASSERT_NE(service, nullptr);
  const std::string expired = Token("consultant-anna", "BIF", {"ips_consultant"}, -3600);
  const std::string analyst = Token("analyst-dan", "BIF", {"analyst"});
  const std::string sof = Token("therapist-erik", "SOF", {"sof_treatment", "sof_outreach", "dpo"});
  const std::string dpo = Token("dpo-carla", "BIF", {"dpo"});
  int checked = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* m = service->method(i);
    if (m->server_streaming()) continue;
    const std::string path = "/" + service->full_name() + "/" + m->name();
    auto none = CallRaw(stub, path, "");
    EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(ErrorReason(none), "TOKEN_MISSING") << path;
    EXPECT_EQ(CallRaw(stub, path, expired).error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(CallRaw(stub, path, "not-a-token").error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    for (const auto& refused : {analyst, sof}) {
      auto denied = CallRaw(stub, path, refused);
      EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << path;
      EXPECT_EQ(ErrorReason(denied), "ROLE_NOT_ALLOWED") << path;
    }
    const bool dpo_allowed = IsRead(m->name());
    EXPECT_EQ(ErrorReason(CallRaw(stub, path, dpo)) != "ROLE_NOT_ALLOWED", dpo_allowed) << path;
    // Consultants and team leads may call everything but the audit trail.
    EXPECT_EQ(ErrorReason(CallRaw(stub, path, ConsultantToken())) != "ROLE_NOT_ALLOWED",
              m->name() != "ListAuditRecords")
        << path;
    ++checked;
  }
  EXPECT_EQ(checked, service->method_count() - 1);
}

TEST_P(MatchingAccessTest, EventStreamNeedsTheEventReaderRole) {
  auto stub = server_->Stub();
  for (const auto& [token, code] : std::vector<std::pair<std::string, grpc::StatusCode>>{
           {"", grpc::StatusCode::UNAUTHENTICATED},
           {ConsultantToken(), grpc::StatusCode::PERMISSION_DENIED},
           {DpoToken(), grpc::StatusCode::PERMISSION_DENIED}}) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    auto reader = stub->StreamEvents(&ctx, common::v1::StreamEventsRequest());
    common::v1::Event e;
    EXPECT_FALSE(reader->Read(&e));
    EXPECT_EQ(reader->Finish().error_code(), code);
  }
}

IPS_ON_BOTH_DATABASES(MatchingAccessTest);

}  // namespace
}  // namespace ips::testing
