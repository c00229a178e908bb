// libFuzzer target: each service's request validation. The registry,
// treatment and matching (asking that registry) run in this process on
// SQLite behind real mTLS and token checks, as the tests run them; an input
// is one call: its first byte picks a unary RPC of the three, the second a
// caller allowed there, the rest is the request as sent on the wire.
// Coverage guides the fuzzer through the handlers' validation and into
// their stores. Beyond "no crash" (the sanitizers watch the servers too):
// no call answers UNKNOWN, UNIMPLEMENTED or DATA_LOSS, and INTERNAL only for
// bytes that are not the request message (a handler that fails on a
// well-formed request is a bug, whatever the request says).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "tests/support/matching_server.h"
#include "tests/support/raw_call.h"
#include "tests/support/registry_server.h"
#include "tests/support/treatment_server.h"

namespace {

using namespace ips::testing;

struct Target {
  std::string path;  // "/pkg.Service/Method"
  const google::protobuf::Descriptor* input;
  grpc::GenericStub* stub;
  const std::vector<std::string>* tokens;
};

struct Suite {
  std::unique_ptr<TreatmentServer> treatment;
  std::unique_ptr<RegistryServer> registry;
  std::unique_ptr<MatchingServer> matching;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  std::vector<std::string> bif, sof;
  std::vector<Target> targets;

  void Add(const google::protobuf::ServiceDescriptor* service, int port,
           const std::vector<std::string>* tokens) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(Channel(port)));
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* m = service->method(i);
      if (m->client_streaming() || m->server_streaming()) continue;
      targets.push_back(
          {"/" + service->full_name() + "/" + m->name(), m->input_type(), stubs.back().get(), tokens});
    }
  }
};

Suite* suite = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  suite = new Suite();
  const std::string dir = TempDir("ips-fuzz-services");
  suite->treatment = std::make_unique<TreatmentServer>("sqlite://" + dir + "/treatment.db");
  suite->registry = std::make_unique<RegistryServer>("sqlite://" + dir + "/registry.db");
  suite->matching = std::make_unique<MatchingServer>("sqlite://" + dir + "/matching.db",
                                                     RegistryClientFor(suite->registry->port()));
  suite->bif = {ConsultantToken(), TeamLeadToken(), DpoToken()};
  suite->sof = {SofOutreachToken(), SofTreatmentToken(), SofDpoToken()};
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  suite->Add(pool->FindServiceByName(ips::registry::v1::CitizenRegistry::service_full_name()),
             suite->registry->port(), &suite->bif);
  suite->Add(pool->FindServiceByName(ips::treatment::v1::TreatmentCoordination::service_full_name()),
             suite->treatment->port(), &suite->sof);
  suite->Add(pool->FindServiceByName(ips::matching::v1::EmployerMatching::service_full_name()),
             suite->matching->port(), &suite->bif);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Target& t = suite->targets[data[0] % suite->targets.size()];
  const std::string& token = (*t.tokens)[data[1] % t.tokens->size()];
  const std::string request(reinterpret_cast<const char*>(data + 2), size - 2);
  const grpc::Status status = CallRaw(*t.stub, t.path, token, request);
  switch (status.error_code()) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::DATA_LOSS:
      __builtin_trap();
    case grpc::StatusCode::INTERNAL: {
      std::unique_ptr<google::protobuf::Message> parsed(
          google::protobuf::MessageFactory::generated_factory()->GetPrototype(t.input)->New());
      if (parsed->ParseFromString(request)) __builtin_trap();
      break;
    }
    default:
      break;
  }
  return 0;
}
