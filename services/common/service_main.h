#pragma once

#include <grpcpp/grpcpp.h>

#include <string_view>

#include "absl/status/status.h"
#include "services/common/common_rpcs.h"
#include "services/common/runtime_options.h"
#include "services/common/service_core.h"

namespace ips {

// What every service's main() does around its own set-up.

// Writes "<program>: <message>" to stderr, for an operator reading the
// pod's log, and returns `exit_code` (2: bad configuration, 1: could not
// start).
int StartFailure(std::string_view program, const absl::Status& status, int exit_code);

// Serves `service` (a service publishing an event feed) until SIGTERM or
// SIGINT: erases what is past the retention period in the background (the
// sweep's transactions are short, one citizen each, beside the calls),
// health follows storage, and on stopping the sweep ends first, then the
// event streams, then the calls drain. Returns main()'s exit code.
int ServeUntilTerminated(std::string_view program, const RuntimeOptions& options, ServiceCore& core,
                         grpc::Service& service, const SubjectData& subject);

}  // namespace ips
