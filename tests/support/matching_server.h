#pragma once

#include <memory>
#include <string>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "tests/support/in_process_server.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// An in-process matching service (see InProcessServer).
class MatchingServer {
 public:
  explicit MatchingServer(const std::string& db_url);

  int port() const { return server_->port(); }
  std::unique_ptr<matching::v1::EmployerMatching::Stub> Stub(const std::string& client = "ipsctl") const;
  ServiceCore& core() { return server_->core(); }

 private:
  std::unique_ptr<InProcessServer> server_;
};

}  // namespace ips::testing
