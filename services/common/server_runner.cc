#include "services/common/server_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/json_log.h"
#include "services/common/peer_channel.h"
#include "services/common/tls.h"

namespace ips {
namespace {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void DisableMutexDeadlockDetection() {
  // Debian builds Abseil with deadlock detection on, which makes every
  // absl::Mutex acquisition inside gRPC update a lock graph; it measurably
  // slows a busy server and finds nothing our tests would not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void SetServerThreads(grpc::ServerBuilder& builder, int idle_threads) {
  // Two threads wait even when idle, so a call that takes one finds the
  // other already polling.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, std::max(2, idle_threads));
}

absl::StatusOr<std::unique_ptr<ServerRunner>> ServerRunner::Start(
    const RuntimeOptions& options, const std::vector<grpc::Service*>& services,
    const std::vector<std::string>& health_names, std::function<void()> on_stopping,
    std::function<bool()> storage_healthy) {
  auto creds = MakeServerCredentials(options.tls, options.insecure_plaintext);
  if (!creds.ok()) return creds.status();
  if (options.insecure_plaintext) {
    LogWarn("insecure_plaintext",
            {{"message", "serving WITHOUT TLS: development only, never with real data"}});
  }
  DisableMutexDeadlockDetection();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<ServerRunner> runner(new ServerRunner());
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, so a second server on a taken port
  // would share its connections instead of failing to start. One port, one
  // server: a clash is an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options.listen, *creds, &runner->port_);
  SetServerKeepalive(builder);
  for (auto* s : services) builder.RegisterService(s);
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  SetServerThreads(builder, options.idle_server_threads);
  runner->server_ = builder.BuildAndStart();
  if (!runner->server_ || runner->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  runner->on_stopping_ = std::move(on_stopping);
  runner->health_names_ = health_names;
  runner->drain_timeout_ = options.drain_timeout;
  if (!options.health_listen.empty()) {
    // Kubernetes' native gRPC probes cannot speak TLS: a second, plaintext
    // server on its own port that serves grpc.health.v1 and nothing else
    // (no service, no personal data), its statuses kept equal to the main
    // server's.
    grpc::ServerBuilder health_builder;
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    int health_port = 0;
    health_builder.AddListeningPort(options.health_listen, grpc::InsecureServerCredentials(), &health_port);
    runner->health_server_ = health_builder.BuildAndStart();
    if (!runner->health_server_ || health_port == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options.health_listen));
    }
    // Bound to port 0, the address is known only now.
    LogInfo("health_listening", {{"port", health_port}});
  }
  runner->storage_healthy_ = std::move(storage_healthy);
  {
    std::lock_guard lock(runner->health_mu_);
    runner->serving_ = !runner->storage_healthy_ || runner->storage_healthy_();
    runner->SetAllHealth(runner->serving_);
  }
  if (runner->storage_healthy_)
    runner->storage_watch_ = std::thread([raw = runner.get()] { raw->WatchStorage(); });
  if (!options.port_file.empty()) {
    // Write then rename, so a reader never sees a half-written port.
    std::string tmp = options.port_file + ".tmp";
    std::ofstream(tmp) << runner->port_ << "\n";
    std::rename(tmp.c_str(), options.port_file.c_str());
  }
  LogInfo("serving",
          {{"port", runner->port_}, {"tls", !options.insecure_plaintext}, {"mtls", !options.tls.ca.empty()}});
  return runner;
}

ServerRunner::~ServerRunner() { Shutdown(); }

void ServerRunner::WaitForTermination() {
  sigset_t set = TerminationSignals();
  int sig = 0;
  sigwait(&set, &sig);
  LogInfo("signal", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown();
}

void ServerRunner::WatchStorage() {
  std::unique_lock lock(health_mu_);
  while (!stopped_) {
    health_cv_.wait_for(lock, std::chrono::milliseconds(200));
    if (stopped_) break;
    const bool healthy = storage_healthy_();
    if (healthy != serving_) {
      serving_ = healthy;
      SetAllHealth(healthy);
      LogInfo("health", {{"serving", healthy}});
    }
  }
}

void ServerRunner::Shutdown() {
  {
    std::lock_guard lock(health_mu_);
    if (stopped_ || !server_) return;
    stopped_ = true;
    SetAllHealth(false);
  }
  health_cv_.notify_all();
  if (storage_watch_.joinable()) storage_watch_.join();
  if (on_stopping_) on_stopping_();
  // Refuses new calls now; in-flight calls finish or are cancelled at the deadline.
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoSeconds(drain_timeout_));
  server_->Wait();
  if (health_server_) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
  LogInfo("stopped");
}

void ServerRunner::SetHealth(const std::string& name, bool serving) {
  // Thread-safe.
  server_->GetHealthCheckService()->SetServingStatus(name, serving);
  if (health_server_) health_server_->GetHealthCheckService()->SetServingStatus(name, serving);
}

void ServerRunner::SetAllHealth(bool serving) {
  for (auto* server : {server_.get(), health_server_.get()}) {
    if (!server) continue;
    auto* health = server->GetHealthCheckService();
    health->SetServingStatus(serving);
    for (const auto& name : health_names_) health->SetServingStatus(name, serving);
  }
}

}  // namespace ips
