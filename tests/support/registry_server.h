#pragma once

#include <memory>
#include <string>

#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "services/common/server_runner.h"
#include "services/common/service_core.h"
#include "services/registry/registry_service.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// An in-process registry on a real port with mTLS, real tokens and the
// given database: the same runtime the binary uses.
class RegistryServer {
 public:
  explicit RegistryServer(const std::string& db_url, const std::string& rules_json = "");
  ~RegistryServer();

  int port() const { return runner_->port(); }
  std::unique_ptr<registry::v1::CitizenRegistry::Stub> Stub(const std::string& client = "ipsctl") const;
  ServiceCore& core() { return *core_; }
  void Stop();

 private:
  std::unique_ptr<ServiceCore> core_;
  std::unique_ptr<registry::RegistryService> service_;
  std::unique_ptr<ServerRunner> runner_;
};

// Callers with the roles the registry's policy knows.
std::string ConsultantToken();
std::string TeamLeadToken();
std::string DpoToken();
std::string EventReaderToken();

}  // namespace ips::testing
