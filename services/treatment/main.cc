// The treatment service (SOF): ips.treatment.v1.TreatmentCoordination.
#include "absl/flags/flag.h"
#include "services/common/json_log.h"
#include "services/common/server_runner.h"
#include "services/common/service_main.h"
#include "services/treatment/treatment_config.h"
#include "services/treatment/treatment_schema.h"
#include "services/treatment/treatment_service.h"

ABSL_FLAG(
    int, guarantee_days, 14,
    "Days within which treatment must be offered after the request (serviceloven §101, sundhedsloven §141)");
ABSL_FLAG(int, guarantee_warn_days, 3, "A referral is 'due soon' this many days before its deadline");

int main(int argc, char** argv) {
  constexpr const char* kProgram = "treatment";
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "treatment: SOF's treatment coordination for the IPS programme. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags(kProgram, ips::treatment::DefaultPolicyJson());
  if (!options.ok()) return ips::StartFailure(kProgram, options.status(), 2);
  ips::treatment::GuaranteeConfig guarantee{absl::GetFlag(FLAGS_guarantee_days),
                                            absl::GetFlag(FLAGS_guarantee_warn_days)};
  if (guarantee.days < 1 || guarantee.days > 365 || guarantee.warn_days < 0 ||
      guarantee.warn_days > guarantee.days) {
    return ips::StartFailure(
        kProgram,
        absl::InvalidArgumentError(
            "--guarantee_days must be 1..365 and --guarantee_warn_days 0..guarantee_days"),
        2);
  }
  ips::InitLogging(kProgram, options->log_level);
  const auto subject = ips::treatment::TreatmentSubjectData();
  auto core = ips::ServiceCore::Create(*options, subject.service_name, ips::treatment::TreatmentMigrations());
  if (!core.ok()) return ips::StartFailure(kProgram, core.status(), 1);
  ips::treatment::TreatmentService service(**core, guarantee);
  return ips::ServeUntilTerminated(kProgram, *options, **core, service, subject);
}
