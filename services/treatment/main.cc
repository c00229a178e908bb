// The treatment service (SOF): ips.treatment.v1.TreatmentCoordination.
#include <iostream>

#include "absl/flags/flag.h"
#include "services/common/json_log.h"
#include "services/common/server_runner.h"
#include "services/common/service_core.h"
#include "services/common/subject_erasure.h"
#include "services/treatment/treatment_config.h"
#include "services/treatment/treatment_schema.h"
#include "services/treatment/treatment_service.h"

ABSL_FLAG(
    int, guarantee_days, 14,
    "Days within which treatment must be offered after the request (serviceloven §101, sundhedsloven §141)");
ABSL_FLAG(int, guarantee_warn_days, 3, "A referral is 'due soon' this many days before its deadline");

int main(int argc, char** argv) {
  ips::BlockTerminationSignals();
  ips::ParseFlagsWithEnvironment(argc, argv,
                                 "treatment: SOF's treatment coordination for the IPS programme. "
                                 "Flags may also be given as IPS_<FLAG> environment variables.");
  auto options = ips::RuntimeOptionsFromFlags("treatment", ips::treatment::DefaultPolicyJson());
  if (!options.ok()) {
    std::cerr << "treatment: " << options.status().message() << "\n";
    return 2;
  }
  ips::treatment::GuaranteeConfig guarantee{absl::GetFlag(FLAGS_guarantee_days),
                                            absl::GetFlag(FLAGS_guarantee_warn_days)};
  if (guarantee.days < 1 || guarantee.days > 365 || guarantee.warn_days < 0 ||
      guarantee.warn_days > guarantee.days) {
    std::cerr << "treatment: --guarantee_days must be 1..365 and --guarantee_warn_days 0..guarantee_days\n";
    return 2;
  }
  ips::InitLogging("treatment", options->log_level);
  auto core = ips::ServiceCore::Create(*options, "ips.treatment.v1.TreatmentCoordination",
                                       ips::treatment::TreatmentMigrations());
  if (!core.ok()) {
    std::cerr << "treatment: " << core.status().message() << "\n";
    return 1;
  }
  ips::treatment::TreatmentService service(**core, guarantee);
  // Storage limitation: erases what is past the retention period (the
  // sweep's transactions are short, one citizen each, beside the calls).
  ips::RetentionSweeper sweeper(**core, "ips.treatment.v1.TreatmentCoordination",
                                ips::treatment::TreatmentErasurePlan(), options->retention_days);
  sweeper.Start(options->retention_sweep_interval);
  auto runner = ips::ServerRunner::Start(
      *options, {&service}, {"ips.treatment.v1.TreatmentCoordination"},
      [&] {
        sweeper.Stop();
        (*core)->outbox().Stop();
      },
      [&] { return (*core)->db().Healthy(); });
  if (!runner.ok()) {
    std::cerr << "treatment: " << runner.status().message() << "\n";
    return 1;
  }
  (*runner)->WaitForTermination();
  return 0;
}
