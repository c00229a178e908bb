#include "tests/support/in_process_server.h"

#include <stdexcept>

#include "tests/support/test_env.h"

namespace ips::testing {

InProcessServer::InProcessServer(const std::string& short_name, const std::string& grpc_service,
                                 const std::string& db_url, const std::string& policy_json,
                                 const std::vector<Migration>& migrations, const Factory& make,
                                 const Adjust& adjust) {
  auto options = ServiceOptions(short_name, db_url, policy_json);
  if (adjust) adjust(options);
  auto core = ServiceCore::Create(options, grpc_service, migrations);
  if (!core.ok()) throw std::runtime_error(std::string(core.status().message()));
  core_ = *std::move(core);
  service_ = make(*core_);
  auto runner = ServerRunner::Start(
      options, {service_.get()}, {grpc_service}, [this] { core_->outbox().Stop(); },
      [this] { return core_->db().Healthy(); });
  if (!runner.ok()) throw std::runtime_error(std::string(runner.status().message()));
  runner_ = *std::move(runner);
}

InProcessServer::~InProcessServer() { Stop(); }

void InProcessServer::Stop() {
  if (runner_) runner_->Shutdown();
}

}  // namespace ips::testing
