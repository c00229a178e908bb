#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/call_limiter.h"
#include "services/common/jwt_verifier.h"
#include "services/common/refusal_limiter.h"
#include "services/common/tls.h"

namespace ips {

// Everything the shared runtime needs to run one service. main() fills it
// from flags and IPS_* environment variables; tests fill it directly.
struct RuntimeOptions {
  std::string service_name;  // "registry", "matching", ...
  std::string listen = "0.0.0.0:50051";
  std::string metrics_listen;  // "" = no /metrics endpoint
  std::string health_listen;   // "" = none; else a plaintext grpc.health.v1-only port
  std::string db_url;
  size_t db_pool_size = 8;  // sessions kept open (database.h)
  // Threads of the gRPC server kept waiting for calls (server_runner.h).
  int idle_server_threads = 64;
  TlsFiles tls;
  bool insecure_plaintext = false;  // development only; logged as a warning
  JwtConfig jwt;
  std::string pseudonym_key;  // raw key bytes, >= 32
  // Keys that sign page tokens (list_query.h), the first signing; replicas
  // of a service must share them. Empty: one derived from the pseudonym key
  // and the service name (shared by the publishers' replicas already).
  std::vector<std::string> page_token_keys;
  // Calls refused before their handler, per peer and subject (call_guard.h).
  RefusalLimits refusal_limits;
  // Calls in progress at once, per server and per caller (call_limiter.h).
  CallLimits call_limits;
  std::string policy_json;
  absl::Duration drain_timeout = absl::Seconds(20);
  absl::Duration event_poll_interval = absl::Milliseconds(250);
  std::string log_level = "info";
  std::string port_file;  // if set, the bound port is written here
  // Storage limitation (retention.h), for the services that hold citizens'
  // data: how long it is kept, and how often the sweep looks (zero: never).
  int retention_days = 1826;
  absl::Duration retention_sweep_interval = absl::Hours(1);
};

// Turns IPS_<FLAG> environment variables into flag defaults and parses the
// command line (which wins). Returns the positional arguments.
std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, const char* usage);

// Reads the shared runtime flags into options for `service_name`; the
// policy defaults to `default_policy_json` unless --policy_file is given.
// A service that publishes no events (reporting) must not hold the
// pseudonym key: with `publishes_events` false, --pseudonym_key_file is
// refused and the (unused) outbox gets a random key.
absl::StatusOr<RuntimeOptions> RuntimeOptionsFromFlags(const std::string& service_name,
                                                       const std::string& default_policy_json,
                                                       bool publishes_events = true);

}  // namespace ips
