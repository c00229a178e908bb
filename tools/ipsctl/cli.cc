#include "tools/ipsctl/cli.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>

#include <cstdlib>
#include <future>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/dev_token.h"
#include "services/common/errors.h"
#include "services/common/jwt_verifier.h"
#include "services/common/peer_channel.h"
#include "services/common/tls.h"

namespace ipsctl {

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (absl::StartsWith(s, "--")) {
      auto eq = s.find('=');
      std::string key = s.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      std::string value = eq == std::string::npos ? "true" : s.substr(eq + 1);
      if (eq == std::string::npos && i + 1 < argc && !absl::StartsWith(argv[i + 1], "--") && key != "json" &&
          key != "insecure-plaintext" && key != "follow") {
        value = argv[++i];
      }
      a.flags[key] = value;
      a.order.push_back(key);
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

std::string Flag(const Args& a, const std::string& key, const char* env, const std::string& fallback) {
  auto it = a.flags.find(key);
  if (it != a.flags.end()) return it->second;
  if (env) {
    if (const char* v = std::getenv(env)) return v;
  }
  return fallback;
}

absl::StatusOr<std::string> BearerToken(const Args& a) {
  std::string token = Flag(a, "token", "IPS_TOKEN");
  if (!token.empty()) return token;
  std::string file = Flag(a, "token-file", "IPS_TOKEN_FILE");
  if (!file.empty()) {
    auto text = ips::ReadFile(file);
    if (!text.ok()) return text.status();
    return std::string(absl::StripAsciiWhitespace(*text));
  }
  std::string dev_key = Flag(a, "dev-key", "IPS_DEV_KEY");
  if (dev_key.empty()) return std::string();
  auto key = ips::ReadFile(dev_key);
  if (!key.ok()) return key.status();
  std::cerr << "ipsctl: using a DEVELOPMENT token minted from " << dev_key << "\n";
  ips::DevTokenClaims claims{
      Flag(a, "as-subject", "IPS_AS_SUBJECT", "dev-user"),
      Flag(a, "as-agency", "IPS_AS_AGENCY", "BIF"),
      absl::StrSplit(Flag(a, "as-roles", "IPS_AS_ROLES", "ips_consultant"), ',', absl::SkipEmpty()),
      Flag(a, "issuer", "IPS_JWT_ISSUER", "https://login.dev.ips.local"),
      Flag(a, "audience", "IPS_JWT_AUDIENCE", "ips-sydhavnen"),
      600};
  return ips::MintDevToken(*key, claims);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectTo(const Args& a, const std::string& address) {
  ips::TlsFiles files{Flag(a, "cert", "IPS_CERT"), Flag(a, "key", "IPS_KEY"), Flag(a, "ca", "IPS_CA")};
  auto creds = ips::MakeChannelCredentials(files, a.flags.count("insecure-plaintext") > 0);
  if (!creds.ok()) return creds.status();
  grpc::ChannelArguments args;
  ips::SetRecommendedChannelArgs(args);
  // An audit page holds at least one record, and records stored before
  // fields were bounded can be as large as a request (4 MiB).
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, *creds, args);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const Args& a) {
  return ConnectTo(a, Flag(a, "addr", "IPS_ADDR", "localhost:50051"));
}

grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                       const std::string& method, const std::string& request, std::string* response,
                       int timeout_seconds) {
  grpc::ClientContext ctx;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds));
  grpc::GenericStub stub(channel);
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buf(&slice, 1), response_buf;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request_buf, &response_buf,
                 [&](grpc::Status st) { done.set_value(st); });
  grpc::Status status = done.get_future().get();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  (void)response_buf.Dump(&slices);
  response->clear();
  for (const auto& piece : slices)
    response->append(reinterpret_cast<const char*>(piece.begin()), piece.size());
  return status;
}

void PrintError(const grpc::Status& s) {
  std::cout.flush();  // what was printed before comes before the error
  std::cerr << "error: " << ips::errors::CodeName(s.error_code()) << ": " << s.error_message() << "\n";
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(s.error_details())) return;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest br;
    google::rpc::PreconditionFailure pf;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&br)) {
      for (const auto& v : br.field_violations())
        std::cerr << "  field " << v.field() << ": " << v.description() << "\n";
    } else if (any.UnpackTo(&pf)) {
      for (const auto& v : pf.violations())
        std::cerr << "  unmet " << v.type() << " (" << v.subject() << "): " << v.description() << "\n";
    } else if (any.UnpackTo(&info)) {
      std::cerr << "  reason " << info.reason() << "\n";
    }
  }
}

absl::StatusOr<Session> OpenSession(const Args& a) {
  auto token = BearerToken(a);
  if (!token.ok()) return token.status();
  auto channel = Connect(a);
  if (!channel.ok()) return channel.status();
  return Session{*token, *channel};
}

int Fail(const absl::Status& status) {
  std::cerr << "ipsctl: " << status.message() << "\n";
  return 2;
}

std::string Json(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

const std::vector<std::pair<std::string, std::string>> kServices = {
    {"registry", "ips.registry.v1.CitizenRegistry"},
    {"treatment", "ips.treatment.v1.TreatmentCoordination"},
    {"matching", "ips.matching.v1.EmployerMatching"},
    {"reporting", "ips.reporting.v1.Reporting"}};

std::string FullServiceName(const std::string& service) {
  for (const auto& [name, full] : kServices) {
    if (name == service) return full;
  }
  return "";
}

}  // namespace ipsctl
