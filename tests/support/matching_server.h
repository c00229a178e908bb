#pragma once

#include <memory>
#include <string>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "services/matching/registry_client.h"
#include "tests/support/in_process_server.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// An in-process matching service (see InProcessServer).
class MatchingServer {
 public:
  // `registry` may be null: placements and MatchCandidates then answer
  // UNAVAILABLE.
  explicit MatchingServer(const std::string& db_url,
                          std::shared_ptr<const matching::RegistryClient> registry = nullptr);

  int port() const { return server_->port(); }
  std::unique_ptr<matching::v1::EmployerMatching::Stub> Stub(const std::string& client = "ipsctl") const;
  ServiceCore& core() { return server_->core(); }

 private:
  std::unique_ptr<InProcessServer> server_;
};

// A client for the registry at `port` presenting `certificate` (the
// registry accepts its minimal RPCs from "matching" only).
std::shared_ptr<const matching::RegistryClient> RegistryClientFor(
    int port, const std::string& certificate = "matching");

}  // namespace ips::testing
