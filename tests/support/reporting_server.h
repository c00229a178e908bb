#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ips/reporting/v1/reporting_service.grpc.pb.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/report_builder.h"
#include "tests/support/in_process_server.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// Where an in-process reporting service reads its feeds: the publishers'
// ports (0 = not followed).
struct FeedPorts {
  int registry = 0, matching = 0, treatment = 0;
};

// An in-process reporting service following the given publishers over
// mTLS with the "reporting" certificate and an event_reader token.
class ReportingServer {
 public:
  ReportingServer(const std::string& db_url, FeedPorts feeds, reporting::ReportConfig config = {},
                  size_t max_batch = 2000);
  ~ReportingServer();

  int port() const { return server_->port(); }
  std::unique_ptr<reporting::v1::Reporting::Stub> Stub() const;
  ServiceCore& core() { return server_->core(); }
  // Stops following and serving (as a crash would, between batches).
  void Stop();
  // Waits until every followed feed has applied `sequence[i]` events
  // (registry, matching, treatment); false on timeout.
  bool WaitApplied(long long registry, long long matching, long long treatment);

 private:
  // Declared first: the followers and the service use it to the end.
  std::unique_ptr<reporting::CommittedFacts> facts_;
  std::vector<std::unique_ptr<reporting::FeedFollower>> followers_;
  std::unique_ptr<InProcessServer> server_;
};

}  // namespace ips::testing
