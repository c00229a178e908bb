#pragma once

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ips/common/v1/events.pb.h"
#include "tests/support/raw_call.h"
#include "tests/support/status_details.h"
#include "tests/support/test_env.h"

namespace ips::testing {

// Walks every unary RPC of `service_full_name` at localhost:port: no token
// is UNAUTHENTICATED (TOKEN_MISSING), `expired` and a malformed token are
// UNAUTHENTICATED, each of `refused` is PERMISSION_DENIED
// (ROLE_NOT_ALLOWED); then `more` runs the service's own checks on the
// method. Returns how many RPCs were walked (all but StreamEvents).
inline int WalkUnaryRpcs(int port, const std::string& service_full_name, const std::string& expired,
                         const std::vector<std::string>& refused,
                         const std::function<void(const google::protobuf::MethodDescriptor&,
                                                  const std::string& path, grpc::GenericStub&)>& more = {}) {
  grpc::GenericStub stub(Channel(port));
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_full_name);
  EXPECT_NE(service, nullptr) << service_full_name;
  if (!service) return 0;
  int walked = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* m = service->method(i);
    if (m->server_streaming()) continue;
    const std::string path = "/" + service->full_name() + "/" + m->name();
    auto none = CallRaw(stub, path, "");
    EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(ErrorReason(none), "TOKEN_MISSING") << path;
    EXPECT_EQ(CallRaw(stub, path, expired).error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    EXPECT_EQ(CallRaw(stub, path, "not-a-token").error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
    for (const auto& token : refused) {
      auto denied = CallRaw(stub, path, token);
      EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << path;
      EXPECT_EQ(ErrorReason(denied), "ROLE_NOT_ALLOWED") << path;
    }
    if (more) more(*m, path, stub);
    ++walked;
  }
  return walked;
}

// StreamEvents refuses each token with its code, before sending anything.
template <typename Stub>
void ExpectStreamRefused(Stub& stub, const std::vector<std::pair<std::string, grpc::StatusCode>>& cases) {
  for (const auto& [token, code] : cases) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    auto reader = stub.StreamEvents(&ctx, common::v1::StreamEventsRequest());
    common::v1::Event e;
    EXPECT_FALSE(reader->Read(&e)) << token;
    EXPECT_EQ(reader->Finish().error_code(), code) << token;
  }
}

}  // namespace ips::testing
