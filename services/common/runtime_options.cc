#include "services/common/runtime_options.h"

#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/crypto.h"

ABSL_FLAG(std::string, listen, "0.0.0.0:50051", "gRPC listen address (host:port)");
ABSL_FLAG(std::string, metrics_listen, "", "Prometheus /metrics address, e.g. 0.0.0.0:9464; empty: off");
ABSL_FLAG(std::string, health_listen, "",
          "Plaintext address serving only grpc.health.v1 (for Kubernetes gRPC probes), e.g. 0.0.0.0:8081; "
          "empty: off");
ABSL_FLAG(std::string, db, "", "Database URL: sqlite:///path/file.db or postgresql://user@host/db");
ABSL_FLAG(int, db_pool_size, 8,
          "Database sessions this process keeps open (1..256); on PostgreSQL, replicas times this must stay "
          "under the server's max_connections");
ABSL_FLAG(int, idle_server_threads, 64,
          "Threads of the gRPC server kept waiting for calls when the calls in progress fall (1..1024); "
          "fewer means threads started and ended under load");
ABSL_FLAG(std::string, tls_cert, "", "PEM server certificate");
ABSL_FLAG(std::string, tls_key, "", "PEM server private key");
ABSL_FLAG(std::string, tls_ca, "", "PEM CA bundle; when set, client certificates are required (mTLS)");
ABSL_FLAG(bool, insecure_plaintext, false, "Serve without TLS (development only; logs a warning)");
ABSL_FLAG(std::string, jwt_issuer, "", "Required `iss` of bearer tokens");
ABSL_FLAG(std::string, jwt_audience, "", "Required `aud` of bearer tokens");
ABSL_FLAG(std::string, jwt_public_keys, "", "Comma-separated PEM public key files (RS256/ES256)");
ABSL_FLAG(int, jwt_leeway_seconds, 30, "Clock skew allowed on a token's exp, nbf and iat");
ABSL_FLAG(int, jwt_max_lifetime_seconds, 12 * 3600,
          "Longest token lifetime accepted (exp after iat, or after now without iat)");
ABSL_FLAG(std::string, pseudonym_key_file, "", "File with the shared event pseudonym key (>= 32 bytes)");
ABSL_FLAG(std::string, page_token_key_file, "",
          "File with the keys that sign page tokens, one per line (>= 32 bytes each); the first signs, all "
          "verify (rotation). Replicas must share it; default: derived from the pseudonym key");
ABSL_FLAG(double, refused_calls_per_second, 2,
          "Calls refused before their handler (no valid token, a role not allowed) audited one by one per "
          "peer and per subject, per second; beyond it they are refused RESOURCE_EXHAUSTED and summarised");
ABSL_FLAG(int, refused_calls_burst, 20, "Refused calls per peer and subject audited at once before the rate");
ABSL_FLAG(int, refused_calls_summary_seconds, 60,
          "Seconds between audit records summarising calls over the limit");
ABSL_FLAG(int, max_calls_in_progress, 256,
          "Calls this server handles at once; beyond it a call is refused RESOURCE_EXHAUSTED at once");
ABSL_FLAG(int, max_calls_in_progress_per_caller, 64,
          "Calls one caller (token subject) may have in progress at once; beyond it RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_open_streams, 1024,
          "StreamEvents streams this server keeps open at once; beyond it RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, policy_file, "", "Authorization policy JSON; default: the built-in policy");
ABSL_FLAG(int, drain_seconds, 20, "On SIGTERM, time allowed for in-flight calls to finish");
ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn, error");
ABSL_FLAG(int, retention_days, 1826,
          "Days a citizen's personal data is kept after the last thing recorded about them ended "
          "(registry, treatment, matching; default five years)");
ABSL_FLAG(int, retention_sweep_seconds, 3600,
          "Seconds between retention sweeps that erase data past --retention_days; 0: no sweep");
ABSL_FLAG(std::string, port_file, "", "Write the bound gRPC port to this file once serving");

namespace ips {

std::vector<char*> ParseFlagsWithEnvironment(int argc, char** argv, const char* usage) {
  absl::SetProgramUsageMessage(usage);
  // Environment values go first so that explicit command-line flags win.
  static std::vector<std::string> storage;
  std::vector<char*> args{argv[0]};
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    std::string env = absl::StrCat("IPS_", absl::AsciiStrToUpper(name));
    if (const char* value = std::getenv(env.c_str())) storage.push_back(absl::StrCat("--", name, "=", value));
  }
  for (auto& s : storage) args.push_back(s.data());
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  return absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
}

absl::StatusOr<RuntimeOptions> RuntimeOptionsFromFlags(const std::string& service_name,
                                                       const std::string& default_policy_json,
                                                       bool publishes_events) {
  RuntimeOptions o;
  o.service_name = service_name;
  o.listen = absl::GetFlag(FLAGS_listen);
  o.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  o.health_listen = absl::GetFlag(FLAGS_health_listen);
  o.db_url = absl::GetFlag(FLAGS_db);
  if (o.db_url.empty()) return absl::InvalidArgumentError("--db (IPS_DB) is required");
  const int pool = absl::GetFlag(FLAGS_db_pool_size);
  if (pool < 1 || pool > 256) return absl::InvalidArgumentError("--db_pool_size must be 1..256");
  o.db_pool_size = static_cast<size_t>(pool);
  o.idle_server_threads = absl::GetFlag(FLAGS_idle_server_threads);
  if (o.idle_server_threads < 1 || o.idle_server_threads > 1024) {
    return absl::InvalidArgumentError("--idle_server_threads must be 1..1024");
  }
  o.tls = {absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key), absl::GetFlag(FLAGS_tls_ca)};
  o.insecure_plaintext = absl::GetFlag(FLAGS_insecure_plaintext);
  o.jwt.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  o.jwt.audience = absl::GetFlag(FLAGS_jwt_audience);
  if (o.jwt.issuer.empty() || o.jwt.audience.empty()) {
    return absl::InvalidArgumentError("--jwt_issuer and --jwt_audience are required");
  }
  for (auto path : absl::StrSplit(absl::GetFlag(FLAGS_jwt_public_keys), ',', absl::SkipEmpty())) {
    auto pem = ReadFile(std::string(path));
    if (!pem.ok()) return pem.status();
    o.jwt.public_keys_pem.push_back(*pem);
  }
  if (o.jwt.public_keys_pem.empty()) return absl::InvalidArgumentError("--jwt_public_keys is required");
  o.jwt.leeway_seconds = absl::GetFlag(FLAGS_jwt_leeway_seconds);
  o.jwt.max_lifetime_seconds = absl::GetFlag(FLAGS_jwt_max_lifetime_seconds);
  if (o.jwt.leeway_seconds < 0 || o.jwt.leeway_seconds > 600) {
    return absl::InvalidArgumentError("--jwt_leeway_seconds must be 0..600");
  }
  if (o.jwt.max_lifetime_seconds < 60)
    return absl::InvalidArgumentError("--jwt_max_lifetime_seconds must be >= 60");
  if (const std::string file = absl::GetFlag(FLAGS_page_token_key_file); !file.empty()) {
    auto text = ReadFile(file);
    if (!text.ok()) return absl::InvalidArgumentError("--page_token_key_file must name a readable file");
    for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipWhitespace())) {
      line = absl::StripAsciiWhitespace(line);
      if (line.size() < 32) {
        return absl::InvalidArgumentError("--page_token_key_file: every key must be at least 32 bytes");
      }
      o.page_token_keys.emplace_back(line);
    }
    if (o.page_token_keys.empty()) return absl::InvalidArgumentError("--page_token_key_file holds no key");
  }
  o.refusal_limits.per_second = absl::GetFlag(FLAGS_refused_calls_per_second);
  o.refusal_limits.burst = absl::GetFlag(FLAGS_refused_calls_burst);
  o.refusal_limits.summary_interval = absl::Seconds(absl::GetFlag(FLAGS_refused_calls_summary_seconds));
  if (o.refusal_limits.per_second <= 0 || o.refusal_limits.burst < 1 ||
      o.refusal_limits.summary_interval < absl::Seconds(1)) {
    return absl::InvalidArgumentError(
        "--refused_calls_per_second must be > 0, --refused_calls_burst >= 1, --refused_calls_summary_seconds "
        ">= 1");
  }
  o.call_limits.per_server = absl::GetFlag(FLAGS_max_calls_in_progress);
  o.call_limits.per_caller = absl::GetFlag(FLAGS_max_calls_in_progress_per_caller);
  o.call_limits.open_streams = absl::GetFlag(FLAGS_max_open_streams);
  if (o.call_limits.per_server < 1 || o.call_limits.per_caller < 1 || o.call_limits.open_streams < 1) {
    return absl::InvalidArgumentError(
        "--max_calls_in_progress, --max_calls_in_progress_per_caller and --max_open_streams must be >= 1");
  }
  if (!publishes_events) {
    // Only the publishers may link pseudonyms back to citizen ids.
    if (!absl::GetFlag(FLAGS_pseudonym_key_file).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(service_name, " publishes no events and must not be given --pseudonym_key_file"));
    }
    o.pseudonym_key = RandomBytes(32);
  } else {
    auto key = ReadFile(absl::GetFlag(FLAGS_pseudonym_key_file));
    if (!key.ok()) return absl::InvalidArgumentError("--pseudonym_key_file must name a readable file");
    o.pseudonym_key = *key;
    if (o.pseudonym_key.size() < 32)
      return absl::InvalidArgumentError("the pseudonym key must be >= 32 bytes");
  }
  o.policy_json = default_policy_json;
  if (!absl::GetFlag(FLAGS_policy_file).empty()) {
    auto policy = ReadFile(absl::GetFlag(FLAGS_policy_file));
    if (!policy.ok()) return policy.status();
    o.policy_json = *policy;
  }
  o.drain_timeout = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  o.log_level = absl::GetFlag(FLAGS_log_level);
  o.port_file = absl::GetFlag(FLAGS_port_file);
  o.retention_days = absl::GetFlag(FLAGS_retention_days);
  if (o.retention_days < 1 || o.retention_days > 36500) {
    return absl::InvalidArgumentError("--retention_days must be 1..36500");
  }
  const int sweep = absl::GetFlag(FLAGS_retention_sweep_seconds);
  if (sweep < 0) return absl::InvalidArgumentError("--retention_sweep_seconds must be >= 0");
  o.retention_sweep_interval = absl::Seconds(sweep);
  return o;
}

}  // namespace ips
