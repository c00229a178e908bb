#pragma once

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/runtime_options.h"

namespace ips {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it
// starts later; call first thing in main() so that WaitForTermination()
// receives them instead of the default handler killing the process.
void BlockTerminationSignals();

// Turns off Abseil's mutex deadlock detection (on in Debian's build) for
// this process; ServerRunner::Start calls it.
void DisableMutexDeadlockDetection();

// Sets how many of the synchronous server's threads are kept waiting for
// calls. gRPC's default keeps two: under concurrent load every call that
// takes the last waiting thread starts a new one, and every call that ends
// while two wait ends its thread, so threads are created and destroyed at
// the rate of calls. Kept threads cost a stack each and nothing else.
void SetServerThreads(grpc::ServerBuilder& builder, int idle_threads);

// ServerRunner starts a gRPC server with TLS/mTLS, health checking
// (grpc.health.v1) and reflection, and shuts it down gracefully: health
// turns NOT_SERVING, `on_stopping` ends long-lived streams, new calls are
// refused and in-flight calls get `drain_timeout` to finish.
class ServerRunner {
 public:
  // `storage_healthy` (when given) is asked every 200 ms: health follows
  // it, so a service whose database cannot be used is NOT_SERVING (on both
  // ports) until the database is back.
  static absl::StatusOr<std::unique_ptr<ServerRunner>> Start(const RuntimeOptions& options,
                                                             const std::vector<grpc::Service*>& services,
                                                             const std::vector<std::string>& health_names,
                                                             std::function<void()> on_stopping,
                                                             std::function<bool()> storage_healthy = {});
  ~ServerRunner();

  int port() const { return port_; }

  // Waits for SIGTERM or SIGINT (see BlockTerminationSignals), then shuts down.
  void WaitForTermination();

  // Graceful shutdown; idempotent.
  void Shutdown();

  // Sets the grpc.health.v1 status of a further name (a dependency such as
  // one of reporting's feeds), so probes and dashboards can see it.
  void SetHealth(const std::string& name, bool serving);

 private:
  ServerRunner() = default;

  // Sets the whole server's and every named service's status on both
  // servers.
  void SetAllHealth(bool serving);

  void WatchStorage();

  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;  // --health_listen: plaintext, health only
  std::function<void()> on_stopping_;
  std::vector<std::string> health_names_;
  absl::Duration drain_timeout_;
  int port_ = 0;
  bool stopped_ = false;
  std::function<bool()> storage_healthy_;
  std::mutex health_mu_;  // stopped_ and the health shown
  std::condition_variable health_cv_;
  bool serving_ = false;
  std::thread storage_watch_;
};

}  // namespace ips
