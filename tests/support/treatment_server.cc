#include "tests/support/treatment_server.h"

#include "services/treatment/treatment_config.h"
#include "services/treatment/treatment_schema.h"
#include "services/treatment/treatment_service.h"

namespace ips::testing {

TreatmentServer::TreatmentServer(const std::string& db_url, treatment::GuaranteeConfig guarantee,
                                 const InProcessServer::Adjust& adjust) {
  server_ = std::make_unique<InProcessServer>(
      "treatment", "ips.treatment.v1.TreatmentCoordination", db_url, treatment::DefaultPolicyJson(),
      treatment::TreatmentMigrations(),
      [&](ServiceCore& core) -> std::unique_ptr<grpc::Service> {
        return std::make_unique<treatment::TreatmentService>(core, guarantee);
      },
      adjust);
}

std::unique_ptr<treatment::v1::TreatmentCoordination::Stub> TreatmentServer::Stub(
    const std::string& client) const {
  return treatment::v1::TreatmentCoordination::NewStub(Channel(port(), client));
}

std::string SofOutreachToken() { return Token("outreach-dorte", "SOF", {"sof_outreach"}); }
std::string SofTreatmentToken() { return Token("therapist-erik", "SOF", {"sof_treatment"}); }
std::string SofDpoToken() { return Token("dpo-sof", "SOF", {"dpo"}); }
std::string RegistryServiceToken() { return Token("registry", "BIF", {"treatment_check"}); }

}  // namespace ips::testing
