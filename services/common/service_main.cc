#include "services/common/service_main.h"

#include <iostream>

#include "services/common/server_runner.h"
#include "services/common/subject_erasure.h"

namespace ips {

int StartFailure(std::string_view program, const absl::Status& status, int exit_code) {
  std::cerr << program << ": " << status.message() << "\n";
  return exit_code;
}

int ServeUntilTerminated(std::string_view program, const RuntimeOptions& options, ServiceCore& core,
                         grpc::Service& service, const SubjectData& subject) {
  RetentionSweeper sweeper(core, subject.service_name, subject.erasure, options.retention_days);
  sweeper.Start(options.retention_sweep_interval);
  auto runner = ServerRunner::Start(
      options, {&service}, {subject.service_name},
      [&] {
        sweeper.Stop();
        core.outbox().Stop();
      },
      [&] { return core.db().Healthy(); });
  if (!runner.ok()) return StartFailure(program, runner.status(), 1);
  (*runner)->WaitForTermination();
  return 0;
}

}  // namespace ips
