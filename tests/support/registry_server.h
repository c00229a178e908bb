#pragma once

#include <memory>
#include <string>

#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/registry/treatment_client.h"
#include "tests/support/in_process_server.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// An in-process registry (see InProcessServer), optionally asking a
// treatment service through `treatment`.
class RegistryServer {
 public:
  explicit RegistryServer(const std::string& db_url, const std::string& rules_json = "",
                          std::shared_ptr<const registry::TreatmentClient> treatment = nullptr,
                          const InProcessServer::Adjust& adjust = {});

  int port() const { return server_->port(); }
  std::unique_ptr<registry::v1::CitizenRegistry::Stub> Stub(const std::string& client = "ipsctl") const;
  ServiceCore& core() { return server_->core(); }
  void Stop() { server_->Stop(); }

 private:
  std::unique_ptr<InProcessServer> server_;
};

// Callers with the roles the registry's policy knows.
std::string ConsultantToken();
std::string TeamLeadToken();
std::string DpoToken();
std::string EventReaderToken();

}  // namespace ips::testing
