// Random requests to every unary RPC of the registry
// (tests/support/random_requests.h): the service must answer each with a
// deliberate status, never INTERNAL or UNKNOWN, and still serve afterwards.
#include <gtest/gtest.h>

#include "tests/support/random_requests.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

using RegistryRandomRequestTest = RegistryFixture;

TEST_P(RegistryRandomRequestTest, EveryAnswerIsDeliberate) {
  auto k = MakeConsultant("Kim");
  auto c = MakeCitizen(CprFor(1980, 1, 1, 1));
  auto e = Enroll(c, TodayInCopenhagen() - 20, k.name());
  RandomRequests gen(RandomSeed(20261123),
                     {c.name(), e.name(), k.name(), "citizens/0000", e.name() + "/jobConversations/x"});
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      rv1::CitizenRegistry::service_full_name());
  const std::string token = Token("lead-bo", "BIF", {"team_lead", "ips_consultant", "dpo"});
  int calls = 0;
  for (const auto& bad : SendRandomRequests(server_->port(), service, token, gen, 30, &calls))
    ADD_FAILURE() << bad;
  EXPECT_EQ(calls, 30 * (service->method_count() - 1));
  // Still serving, and the data it had is intact.
  rv1::GetCitizenRequest get;
  get.set_name(c.name());
  rv1::Citizen again;
  ASSERT_TRUE(stub_->GetCitizen(Ctx(token).get(), get, &again).ok());
  EXPECT_EQ(again.cpr(), c.cpr());
  EXPECT_EQ(*server_->core().audit().FirstBrokenLink(), 0);
}

IPS_ON_BOTH_DATABASES(RegistryRandomRequestTest);

}  // namespace
}  // namespace ips::testing
