// The citizen registry (BIF): ips.registry.v1.CitizenRegistry.
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/json_log.h"
#include "services/common/server_runner.h"
#include "services/common/service_main.h"
#include "services/registry/registry_rules.h"
#include "services/registry/registry_schema.h"
#include "services/registry/registry_service.h"
#include "services/registry/treatment_client.h"

ABSL_FLAG(std::string, rules_file, "",
          "Registry rules JSON (eligibility, schedules, outcomes, caseload cap); default: built in");

ABSL_FLAG(std::string, treatment_address, "",
          "host:port of SOF's treatment service for the rule 'not already in substance treatment'; "
          "empty: the rule rests on the citizen's own declaration");
ABSL_FLAG(std::string, treatment_token_file, "",
          "File with the registry's bearer token for the treatment service (re-read on every call)");
ABSL_FLAG(std::string, treatment_client_cert, "",
          "Client certificate (PEM) presented to the treatment service; its CN names the registry");
ABSL_FLAG(std::string, treatment_client_key, "", "Key of --treatment_client_cert");
ABSL_FLAG(int, treatment_deadline_ms, 2000, "Budget for one treatment check, retries included");
ABSL_FLAG(std::string, treatment_unavailable, "fail",
          "When the treatment service does not answer: 'fail' (UNAVAILABLE) or 'proceed_unverified' "
          "(enrol on the self-declaration, recorded as unverified)");

namespace {

absl::StatusOr<ips::registry::TreatmentClientConfig> TreatmentConfigFromFlags(const ips::RuntimeOptions& o) {
  ips::registry::TreatmentClientConfig c;
  c.address = absl::GetFlag(FLAGS_treatment_address);
  c.token_file = absl::GetFlag(FLAGS_treatment_token_file);
  c.tls = {absl::GetFlag(FLAGS_treatment_client_cert), absl::GetFlag(FLAGS_treatment_client_key), o.tls.ca};
  c.insecure_plaintext = o.insecure_plaintext;
  int ms = absl::GetFlag(FLAGS_treatment_deadline_ms);
  if (ms < 50 || ms > 60000) return absl::InvalidArgumentError("--treatment_deadline_ms must be 50..60000");
  c.deadline = absl::Milliseconds(ms);
  const std::string mode = absl::GetFlag(FLAGS_treatment_unavailable);
  if (mode != "fail" && mode != "proceed_unverified") {
    return absl::InvalidArgumentError("--treatment_unavailable must be 'fail' or 'proceed_unverified'");
  }
  c.proceed_unverified = mode == "proceed_unverified";
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "registry: BIF's citizen registry for the IPS programme. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags("registry", ips::registry::DefaultPolicyJson());
  if (!options.ok()) return ips::StartFailure("registry", options.status(), 2);
  ips::InitLogging("registry", options->log_level);
  std::string rules_json = ips::registry::DefaultRulesJson();
  if (!absl::GetFlag(FLAGS_rules_file).empty()) {
    auto text = ips::ReadFile(absl::GetFlag(FLAGS_rules_file));
    if (!text.ok()) return ips::StartFailure("registry", text.status(), 2);
    rules_json = *text;
  }
  auto rules = ips::registry::ParseRegistryRules(rules_json);
  if (!rules.ok()) return ips::StartFailure("registry", rules.status(), 2);
  auto treatment_config = TreatmentConfigFromFlags(*options);
  if (!treatment_config.ok()) return ips::StartFailure("registry", treatment_config.status(), 2);
  auto treatment = ips::registry::TreatmentClient::Create(*treatment_config);
  if (!treatment.ok()) return ips::StartFailure("registry", treatment.status(), 2);
  auto core = ips::ServiceCore::Create(*options, "ips.registry.v1.CitizenRegistry",
                                       ips::registry::RegistryMigrations());
  if (!core.ok()) return ips::StartFailure("registry", core.status(), 1);
  ips::registry::RegistryService service(
      **core, *rules, std::shared_ptr<const ips::registry::TreatmentClient>(std::move(*treatment)));
  // Courses judged by a version added or corrected since the last start
  // get their plans made again before anything is served.
  if (auto replanned = service.ReplanCourses(); !replanned.ok()) {
    return ips::StartFailure(
        "registry",
        absl::Status(replanned.code(),
                     absl::StrCat("cannot plan the courses by the rules: ", replanned.message())),
        1);
  }
  return ips::ServeUntilTerminated("registry", *options, **core, service,
                                   ips::registry::RegistrySubjectData());
}
