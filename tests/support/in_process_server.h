#pragma once

#include <grpcpp/impl/service_type.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "services/common/server_runner.h"
#include "services/common/service_core.h"

namespace ips::testing {

// One of the suite's services in-process on a real port with mTLS, real
// tokens and the given database: the same runtime its binary uses.
class InProcessServer {
 public:
  using Factory = std::function<std::unique_ptr<grpc::Service>(ServiceCore&)>;
  // `adjust` may change the runtime options before the service starts.
  using Adjust = std::function<void(RuntimeOptions&)>;
  InProcessServer(const std::string& short_name, const std::string& grpc_service, const std::string& db_url,
                  const std::string& policy_json, const std::vector<Migration>& migrations,
                  const Factory& make, const Adjust& adjust = {});
  ~InProcessServer();

  int port() const { return runner_->port(); }
  ServiceCore& core() { return *core_; }
  void Stop();

 private:
  std::unique_ptr<ServiceCore> core_;
  std::unique_ptr<grpc::Service> service_;
  std::unique_ptr<ServerRunner> runner_;
};

}  // namespace ips::testing
