// Deny by default at the matching service: every unary RPC refuses a
// missing, expired or malformed token and a role the policy does not name;
// SOF staff reach nothing; the DPO reads but never writes; the event feed
// needs the event_reader role.
#include <gtest/gtest.h>

#include "tests/support/access_walk.h"
#include "tests/support/matching_server.h"
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

// What the DPO may call: the reads (the audit trail, a subject's data) and
// erasure of a subject's data.
bool DpoMayCall(const std::string& method) {
  return method.rfind("Get", 0) == 0 || method.rfind("List", 0) == 0 || method == "ExportSubjectData" ||
         method == "EraseSubjectData";
}

TEST_P(MatchingAccessTest, EveryUnaryRpcRefusesMissingBadAndUnauthorisedTokens) {
  const std::string expired = Token("consultant-anna", "BIF", {"ips_consultant"}, -3600);
  const std::string analyst = Token("analyst-dan", "BIF", {"analyst"});
  const std::string sof = Token("therapist-erik", "SOF", {"sof_treatment", "sof_outreach", "dpo"});
  const std::string dpo = Token("dpo-carla", "BIF", {"dpo"});
  const int walked = WalkUnaryRpcs(
      server_->port(), mv1::EmployerMatching::service_full_name(), expired, {analyst, sof},
      [&](const google::protobuf::MethodDescriptor& m, const std::string& path, grpc::GenericStub& stub) {
        EXPECT_EQ(ErrorReason(CallRaw(stub, path, dpo)) != "ROLE_NOT_ALLOWED", DpoMayCall(m.name())) << path;
        // Consultants and team leads may call everything but the audit trail
        // and the subject access export and erasure (the DPO's).
        EXPECT_EQ(ErrorReason(CallRaw(stub, path, ConsultantToken())) != "ROLE_NOT_ALLOWED",
                  m.name() != "ListAuditRecords" && m.name() != "ExportSubjectData" &&
                      m.name() != "EraseSubjectData")
            << path;
      });
  EXPECT_EQ(walked, 23);
}

TEST_P(MatchingAccessTest, EventStreamNeedsTheEventReaderRole) {
  auto stub = server_->Stub();
  ExpectStreamRefused(*stub, {{"", grpc::StatusCode::UNAUTHENTICATED},
                              {ConsultantToken(), grpc::StatusCode::PERMISSION_DENIED},
                              {DpoToken(), grpc::StatusCode::PERMISSION_DENIED}});
}

IPS_ON_BOTH_DATABASES(MatchingAccessTest);

}  // namespace
}  // namespace ips::testing
