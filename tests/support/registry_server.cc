#include "tests/support/registry_server.h"

#include <stdexcept>

#include "services/registry/registry_rules.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"

namespace ips::testing {

RegistryServer::RegistryServer(const std::string& db_url, const std::string& rules_json,
                               std::shared_ptr<const registry::TreatmentClient> treatment,
                               const InProcessServer::Adjust& adjust) {
  auto rules = registry::ParseRegistryRules(rules_json.empty() ? registry::DefaultRulesJson() : rules_json);
  if (!rules.ok()) throw std::runtime_error(std::string(rules.status().message()));
  server_ = std::make_unique<InProcessServer>(
      "registry", "ips.registry.v1.CitizenRegistry", db_url, registry::DefaultPolicyJson(),
      registry::RegistryMigrations(),
      [&](ServiceCore& core) -> std::unique_ptr<grpc::Service> {
        auto service = std::make_unique<registry::RegistryService>(core, *rules, treatment);
        if (auto replanned = service->ReplanCourses(); !replanned.ok()) {
          throw std::runtime_error(std::string(replanned.message()));
        }
        return service;
      },
      adjust);
}

std::unique_ptr<registry::v1::CitizenRegistry::Stub> RegistryServer::Stub(const std::string& client) const {
  return registry::v1::CitizenRegistry::NewStub(Channel(port(), client));
}

std::string ConsultantToken() { return Token("consultant-anna", "BIF", {"ips_consultant"}); }
std::string TeamLeadToken() { return Token("lead-bo", "BIF", {"team_lead"}); }
std::string DpoToken() { return Token("dpo-carla", "BIF", {"dpo"}); }
std::string EventReaderToken() { return Token("reporting", "JOINT", {"event_reader"}); }

}  // namespace ips::testing
