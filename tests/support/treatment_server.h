#pragma once

#include <memory>
#include <string>

#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/treatment/domain/treatment_guarantee.h"
#include "tests/support/in_process_server.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// An in-process treatment service (see InProcessServer).
class TreatmentServer {
 public:
  explicit TreatmentServer(const std::string& db_url, treatment::GuaranteeConfig guarantee = {},
                           const InProcessServer::Adjust& adjust = {});

  int port() const { return server_->port(); }
  std::unique_ptr<treatment::v1::TreatmentCoordination::Stub> Stub(
      const std::string& client = "ipsctl") const;
  ServiceCore& core() { return server_->core(); }
  void Stop() { server_->Stop(); }

 private:
  std::unique_ptr<InProcessServer> server_;
};

// Callers with the roles the treatment service's policy knows.
std::string SofOutreachToken();
std::string SofTreatmentToken();
std::string SofDpoToken();
// The registry's service identity (use with client certificate "registry").
std::string RegistryServiceToken();

}  // namespace ips::testing
