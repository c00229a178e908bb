// The matching service (BIF): ips.matching.v1.EmployerMatching.
#include "absl/flags/flag.h"
#include "services/common/json_log.h"
#include "services/common/server_runner.h"
#include "services/common/service_main.h"
#include "services/matching/matching_config.h"
#include "services/matching/matching_schema.h"
#include "services/matching/matching_service.h"

ABSL_FLAG(std::string, registry_address, "",
          "host:port of the registry, asked whether a citizen has a running course before a placement and "
          "for the caller's caseload when ranking candidates (required)");
ABSL_FLAG(std::string, registry_client_cert, "",
          "Client certificate (PEM) presented to the registry; its CN must be 'matching'");
ABSL_FLAG(std::string, registry_client_key, "", "Key of --registry_client_cert");
ABSL_FLAG(int, registry_deadline_ms, 2000, "Budget for one question to the registry, retries included");

namespace {

absl::StatusOr<ips::matching::RegistryClientConfig> RegistryConfigFromFlags(const ips::RuntimeOptions& o) {
  ips::matching::RegistryClientConfig c;
  c.peer.address = absl::GetFlag(FLAGS_registry_address);
  c.peer.tls = {absl::GetFlag(FLAGS_registry_client_cert), absl::GetFlag(FLAGS_registry_client_key),
                o.tls.ca};
  c.peer.insecure_plaintext = o.insecure_plaintext;
  int ms = absl::GetFlag(FLAGS_registry_deadline_ms);
  if (ms < 50 || ms > 60000) return absl::InvalidArgumentError("--registry_deadline_ms must be 50..60000");
  c.deadline = absl::Milliseconds(ms);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "matching: BIF's employer matching for the IPS programme. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags("matching", ips::matching::DefaultPolicyJson());
  if (!options.ok()) return ips::StartFailure("matching", options.status(), 2);
  auto registry_config = RegistryConfigFromFlags(*options);
  if (!registry_config.ok()) return ips::StartFailure("matching", registry_config.status(), 2);
  auto registry = ips::matching::RegistryClient::Create(*registry_config);
  if (!registry.ok()) return ips::StartFailure("matching", registry.status(), 2);
  ips::InitLogging("matching", options->log_level);
  auto core = ips::ServiceCore::Create(*options, "ips.matching.v1.EmployerMatching",
                                       ips::matching::MatchingMigrations());
  if (!core.ok()) return ips::StartFailure("matching", core.status(), 1);
  ips::matching::MatchingService service(**core, ips::matching::ScoringConfig{}, std::move(*registry));
  return ips::ServeUntilTerminated("matching", *options, **core, service,
                                   ips::matching::MatchingSubjectData());
}
