#include "services/common/peer_channel.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace ips {
namespace {

// gRPC's own retry policy (gRFC A6) for the listed methods.
std::string RetryServiceConfig(const std::string& service, const std::vector<std::string>& methods) {
  std::vector<std::string> names;
  for (const auto& m : methods) {
    names.push_back(absl::StrCat(R"({"service": ")", service, R"(", "method": ")", m, R"("})"));
  }
  return absl::StrCat(R"({"methodConfig": [{"name": [)", absl::StrJoin(names, ", "), R"(],
    "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "0.5s",
                    "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}}]})");
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(
    const PeerAddress& peer, const std::string& service, const std::vector<std::string>& retried_methods,
    const std::string& flag_prefix) {
  if (!peer.insecure_plaintext && (peer.tls.cert.empty() || peer.tls.key.empty())) {
    return absl::InvalidArgumentError(absl::StrCat("--", flag_prefix, "_client_cert and --", flag_prefix,
                                                   "_client_key are required with --", flag_prefix,
                                                   "_address"));
  }
  auto creds = MakeChannelCredentials(peer.tls, peer.insecure_plaintext);
  if (!creds.ok()) return creds.status();
  grpc::ChannelArguments args;
  SetRecommendedChannelArgs(args);
  if (!retried_methods.empty()) args.SetServiceConfigJSON(RetryServiceConfig(service, retried_methods));
  return grpc::CreateCustomChannel(peer.address, *creds, args);
}

void ReconnectQuickly(grpc::ChannelArguments& args, int max_backoff_ms) {
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_backoff_ms);
}

void SetRecommendedChannelArgs(grpc::ChannelArguments& args) {
  ReconnectQuickly(args, 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
}

void SetServerKeepalive(grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Clients ping every 10 s; anything at least 5 s apart is welcome.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
}

bool HasErrorReason(const grpc::Status& status, absl::string_view reason) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) return false;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.reason() == reason) return true;
  }
  return false;
}

}  // namespace ips
