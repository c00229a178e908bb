#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/server_builder.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/tls.h"

namespace ips {

// How one service of the suite reaches another: the address, this
// service's client certificate (the callee's policy names callers by it)
// and the CA.
struct PeerAddress {
  std::string address;  // host:port
  TlsFiles tls;
  bool insecure_plaintext = false;
};

// A channel to `service` (e.g. "ips.registry.v1.CitizenRegistry") on which
// gRPC itself retries UNAVAILABLE for `retried_methods` (3 attempts, 0.1 to
// 0.5 s backoff); list only methods that are safe to repeat. Refuses a
// configuration without a client certificate, which every call would fail
// at the handshake; `flag_prefix` names the flags in that error.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakePeerChannel(
    const PeerAddress& peer, const std::string& service, const std::vector<std::string>& retried_methods,
    const std::string& flag_prefix);

// True when `status` carries a google.rpc.ErrorInfo with `reason`.
bool HasErrorReason(const grpc::Status& status, absl::string_view reason);

// A peer that was restarted (a rollout, a crash) is back within seconds:
// reconnect every 0.2 s growing to `max_backoff_ms`, rather than gRPC's
// default backoff of up to two minutes.
void ReconnectQuickly(grpc::ChannelArguments& args, int max_backoff_ms);

// The channel settings docs/api-conventions.md asks of every client that
// keeps a channel (the suite's peers, ipsctl, the simulator): reconnect
// within a second of a restart (0.2 s backoff growing to 1 s) and
// keepalive pings every 10 s (5 s to answer, also without calls), so a
// connection that died without a reset (a node gone, a NAT dropped it) is
// noticed in seconds rather than when the kernel gives up.
void SetRecommendedChannelArgs(grpc::ChannelArguments& args);

// What the server side of SetRecommendedChannelArgs needs: it accepts the
// clients' keepalive pings (every 10 s, also without calls) instead of
// answering them with GOAWAY "too_many_pings", and pings idle clients
// itself every 30 s.
void SetServerKeepalive(grpc::ServerBuilder& builder);

}  // namespace ips
