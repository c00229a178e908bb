// Deny by default: every RPC of the registry has a policy entry, refuses
// calls without a valid token and refuses callers whose roles the policy
// does not name. Runs over the wire against a real server.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "services/registry/registry_rules.h"
#include "tests/support/policy_coverage.h"
#include "tests/support/raw_call.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

const google::protobuf::ServiceDescriptor* Service() {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      rv1::CitizenRegistry::service_full_name());
}

TEST(RegistryPolicyTest, EveryRpcHasAPolicyEntryAndEveryEntryAnRpc) {
  ExpectPolicyCoversService(registry::DefaultPolicyJson(), "ips.registry.v1.CitizenRegistry");
}

using RegistryAccessTest = RegistryFixture;

TEST_P(RegistryAccessTest, EveryUnaryRpcRefusesMissingBadAndUnauthorisedTokens) {
  grpc::GenericStub stub(Channel(server_->port()));
  const auto* service = Service();
  const std::string wrong_role = Token("analyst-dan", "BIF", {"analyst"});
  const std::string sof_worker = Token("sof-eva", "SOF", {"sof_treatment"});
  const std::string expired = Token("consultant-anna", "BIF", {"ips_consultant"}, -3600);
  int checked = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* m = service->method(i);
    if (m->server_streaming()) continue;  // StreamEvents: below
    const std::string path = "/" + service->full_name() + "/" + m->name();
    auto none = CallRaw(stub, path, "");
    EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(ErrorReason(none), "TOKEN_MISSING") << path;
    EXPECT_EQ(CallRaw(stub, path, expired).error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(CallRaw(stub, path, "not-a-token").error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    auto denied = CallRaw(stub, path, wrong_role);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << path;
    EXPECT_EQ(ErrorReason(denied), "ROLE_NOT_ALLOWED") << path;
    EXPECT_EQ(CallRaw(stub, path, sof_worker).error_code(), grpc::StatusCode::PERMISSION_DENIED) << path;
    ++checked;
  }
  EXPECT_EQ(checked, service->method_count() - 1);
}

TEST_P(RegistryAccessTest, EventStreamNeedsTheEventReaderRole) {
  for (const auto& [token, code] : std::vector<std::pair<std::string, grpc::StatusCode>>{
           {"", grpc::StatusCode::UNAUTHENTICATED},
           {ConsultantToken(), grpc::StatusCode::PERMISSION_DENIED}}) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    auto reader = stub_->StreamEvents(&ctx, common::v1::StreamEventsRequest());
    common::v1::Event e;
    EXPECT_FALSE(reader->Read(&e));
    EXPECT_EQ(reader->Finish().error_code(), code);
  }
}

TEST_P(RegistryAccessTest, DeniedCallsAreAuditedToo) {
  grpc::GenericStub stub(Channel(server_->port()));
  CallRaw(stub, "/ips.registry.v1.CitizenRegistry/GetCitizen", Token("analyst-dan", "BIF", {"analyst"}));
  common::v1::ListAuditRecordsRequest req;
  req.set_filter("outcome = PERMISSION_DENIED AND subject = analyst-dan");
  common::v1::ListAuditRecordsResponse resp;
  ASSERT_TRUE(stub_->ListAuditRecords(Ctx(DpoToken()).get(), req, &resp).ok());
  ASSERT_EQ(resp.audit_records_size(), 1);
  EXPECT_EQ(resp.audit_records(0).method(), "/ips.registry.v1.CitizenRegistry/GetCitizen");
  // Only the DPO reads the audit.
  EXPECT_EQ(stub_->ListAuditRecords(Ctx(TeamLeadToken()).get(), req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

IPS_ON_BOTH_DATABASES(RegistryAccessTest);

}  // namespace
}  // namespace ips::testing
