#include "tests/support/registry_server.h"

#include <stdexcept>

#include "services/registry/registry_rules.h"
#include "services/registry/registry_schema.h"

namespace ips::testing {

RegistryServer::RegistryServer(const std::string& db_url, const std::string& rules_json) {
  auto options = ServiceOptions("registry", db_url, registry::DefaultPolicyJson());
  auto rules = registry::ParseRegistryRules(rules_json.empty() ? registry::DefaultRulesJson() : rules_json);
  if (!rules.ok()) throw std::runtime_error(std::string(rules.status().message()));
  auto core = ServiceCore::Create(options, "ips.registry.v1.CitizenRegistry", registry::RegistryMigrations());
  if (!core.ok()) throw std::runtime_error(std::string(core.status().message()));
  core_ = *std::move(core);
  service_ = std::make_unique<registry::RegistryService>(*core_, *rules);
  auto runner = ServerRunner::Start(options, {service_.get()}, {"ips.registry.v1.CitizenRegistry"},
                                    [this] { core_->outbox().Stop(); });
  if (!runner.ok()) throw std::runtime_error(std::string(runner.status().message()));
  runner_ = *std::move(runner);
}

RegistryServer::~RegistryServer() { Stop(); }

void RegistryServer::Stop() {
  if (runner_) runner_->Shutdown();
}

std::unique_ptr<registry::v1::CitizenRegistry::Stub> RegistryServer::Stub(const std::string& client) const {
  return registry::v1::CitizenRegistry::NewStub(Channel(port(), client));
}

std::string ConsultantToken() { return Token("consultant-anna", "BIF", {"ips_consultant"}); }
std::string TeamLeadToken() { return Token("lead-bo", "BIF", {"team_lead"}); }
std::string DpoToken() { return Token("dpo-carla", "BIF", {"dpo"}); }
std::string EventReaderToken() { return Token("reporting", "JOINT", {"event_reader"}); }

}  // namespace ips::testing
