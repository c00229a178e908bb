// Random requests to every unary RPC of the treatment service
// (tests/support/random_requests.h), as SOF staff with every role and as a
// BIF consultant: every answer deliberate, never INTERNAL or UNKNOWN; the
// service still serves and its audit chain is intact afterwards.
#include <gtest/gtest.h>

#include "tests/support/random_requests.h"
#include "tests/support/treatment_fixture.h"

namespace ips::testing {
namespace {

using TreatmentRandomRequestTest = TreatmentFixture;

TEST_P(TreatmentRandomRequestTest, EveryAnswerIsDeliberate) {
  const std::string citizen = "citizens/anna-1";
  auto unit = MakeUnit("Ambulatorium Sydhavn");
  auto referral = Refer(citizen, DaysFromToday(-5), unit.name());
  auto episode = StartEpisode(citizen, unit.name(), DaysFromToday(-1), referral.name());
  auto consent = GiveConsent(citizen, tv1::CONSENT_SCOPE_COORDINATION, DaysFromToday(-3), DaysFromToday(30));
  RandomRequests gen(RandomSeed(20261124), {citizen, unit.name(), referral.name(), episode.name(),
                                            consent.name(), citizen + "/treatmentStatus"});
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      tv1::TreatmentCoordination::service_full_name());
  int calls = 0;
  for (const auto& token :
       {Token("sof-all", "SOF", {"sof_outreach", "sof_treatment", "dpo", "admin"}), ConsultantToken()}) {
    for (const auto& bad : SendRandomRequests(server_->port(), service, token, gen, 20, &calls)) {
      ADD_FAILURE() << bad;
    }
  }
  EXPECT_EQ(calls, 2 * 20 * (service->method_count() - 1));
  tv1::TreatmentStatus status;
  ASSERT_TRUE(Status(citizen, SofTreatmentToken(), &status).ok());
  EXPECT_NE(status.status(), tv1::MINIMAL_STATUS_UNSPECIFIED);
  EXPECT_EQ(*server_->core().audit().FirstBrokenLink(), 0);
}

IPS_ON_BOTH_DATABASES(TreatmentRandomRequestTest);

}  // namespace
}  // namespace ips::testing
