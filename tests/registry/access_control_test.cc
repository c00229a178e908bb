// Deny by default: every RPC of the registry has a policy entry, refuses
// calls without a valid token and refuses callers whose roles the policy
// does not name. Runs over the wire against a real server.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "services/registry/registry_rules.h"
#include "tests/support/access_walk.h"
#include "tests/support/policy_coverage.h"
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
  const std::string wrong_role = Token("analyst-dan", "BIF", {"analyst"});
  const std::string sof_worker = Token("sof-eva", "SOF", {"sof_treatment"});
  const std::string expired = Token("consultant-anna", "BIF", {"ips_consultant"}, -3600);
  const int walked =
      WalkUnaryRpcs(server_->port(), Service()->full_name(), expired, {wrong_role, sof_worker});
  EXPECT_EQ(walked, Service()->method_count() - 1);
}

TEST_P(RegistryAccessTest, EventStreamNeedsTheEventReaderRole) {
  ExpectStreamRefused(*stub_, {{"", grpc::StatusCode::UNAUTHENTICATED},
                               {ConsultantToken(), grpc::StatusCode::PERMISSION_DENIED}});
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
