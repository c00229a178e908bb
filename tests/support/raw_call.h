#pragma once

#include <grpcpp/generic/generic_stub.h>

#include <chrono>
#include <future>
#include <string>

namespace ips::testing {

// Calls unary `method` ("/pkg.Service/Method") with serialized `request`
// and the given bearer token (none when empty); the serialized response
// goes to `response` when given. For tests that walk every RPC of a
// service from its descriptor.
inline grpc::Status CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& token,
                            const std::string& request = "", std::string* response = nullptr) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1), resp;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &req, &resp, [&](grpc::Status s) { done.set_value(s); });
  grpc::Status status = done.get_future().get();
  if (response) {
    response->clear();
    grpc::Slice out;
    if (status.ok() && resp.TrySingleSlice(&out).ok()) {
      response->assign(reinterpret_cast<const char*>(out.begin()), out.size());
    } else if (status.ok()) {
      std::vector<grpc::Slice> slices;
      (void)resp.Dump(&slices);
      for (const auto& sl : slices) response->append(reinterpret_cast<const char*>(sl.begin()), sl.size());
    }
  }
  return status;
}

}  // namespace ips::testing
