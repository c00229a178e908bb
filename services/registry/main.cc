// The citizen registry (BIF): ips.registry.v1.CitizenRegistry.
#include <iostream>

#include "absl/flags/flag.h"
#include "services/common/json_log.h"
#include "services/common/server_runner.h"
#include "services/common/service_core.h"
#include "services/registry/registry_rules.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"

ABSL_FLAG(std::string, rules_file, "",
          "Registry rules JSON (eligibility, schedules, outcomes, caseload cap); default: built in");

int main(int argc, char** argv) {
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "registry: BIF's citizen registry for the IPS programme. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags("registry", ips::registry::DefaultPolicyJson());
  if (!options.ok()) {
    std::cerr << "registry: " << options.status().message() << "\n";
    return 2;
  }
  ips::InitLogging("registry", options->log_level);
  std::string rules_json = ips::registry::DefaultRulesJson();
  if (!absl::GetFlag(FLAGS_rules_file).empty()) {
    auto text = ips::ReadFile(absl::GetFlag(FLAGS_rules_file));
    if (!text.ok()) {
      std::cerr << "registry: " << text.status().message() << "\n";
      return 2;
    }
    rules_json = *text;
  }
  auto rules = ips::registry::ParseRegistryRules(rules_json);
  if (!rules.ok()) {
    std::cerr << "registry: " << rules.status().message() << "\n";
    return 2;
  }
  auto core = ips::ServiceCore::Create(*options, "ips.registry.v1.CitizenRegistry",
                                       ips::registry::RegistryMigrations());
  if (!core.ok()) {
    std::cerr << "registry: " << core.status().message() << "\n";
    return 1;
  }
  ips::registry::RegistryService service(**core, *rules);
  auto runner = ips::ServerRunner::Start(*options, {&service}, {"ips.registry.v1.CitizenRegistry"},
                                         [&] { (*core)->outbox().Stop(); });
  if (!runner.ok()) {
    std::cerr << "registry: " << runner.status().message() << "\n";
    return 1;
  }
  (*runner)->WaitForTermination();
  return 0;
}
