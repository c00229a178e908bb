// ipsctl: the command-line client for staff and operators. Every RPC of the
// registry and the treatment service is a command; output is a table for people or JSON (--json) for
// scripts. Run `ipsctl help` for the commands.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "ips/common/v1/subject_access.pb.h"
#include "ips/matching/v1/events.pb.h"
#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/reporting/v1/reporting_service.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "services/common/audit_log.h"
#include "services/common/dev_token.h"
#include "services/common/errors.h"
#include "services/common/jwt_verifier.h"
#include "services/common/peer_channel.h"
#include "services/common/tls.h"
#include "tools/ipsctl/command_table.h"
#include "tools/ipsctl/proto_fields.h"
#include "tools/ipsctl/subject_bundle.h"

namespace ipsctl {
namespace {

using google::protobuf::Message;

constexpr char kGlobalFlags[] = R"(Global flags (or environment variables):
  --addr=HOST:PORT        service address            IPS_ADDR (default localhost:50051)
  --ca=FILE               CA to verify the server    IPS_CA
  --cert=FILE --key=FILE  client certificate (mTLS)  IPS_CERT, IPS_KEY
  --token=JWT             bearer token               IPS_TOKEN (or --token-file=FILE)
  --dev-key=FILE          DEVELOPMENT ONLY: mint a token with this key, for
                          --as-subject, --as-agency, --as-roles=a,b,
                          --issuer and --audience    IPS_DEV_KEY, IPS_JWT_ISSUER, IPS_JWT_AUDIENCE
  --insecure-plaintext    no TLS (development only)
  --json                  JSON output for scripts
  --request=JSON          start from this request JSON; flags then override
  --timeout=SECONDS       deadline per call (default 15)
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  std::vector<std::string> order;  // flags in the order given
};

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

std::string Flag(const Args& a, const std::string& key, const char* env, const std::string& fallback = "") {
  auto it = a.flags.find(key);
  if (it != a.flags.end()) return it->second;
  if (env) {
    if (const char* v = std::getenv(env)) return v;
  }
  return fallback;
}

int Usage() {
  std::cerr << "usage: ipsctl GROUP VERB [NAME] [--flag=value ...]\n\nCommands:\n";
  for (const auto& c : Commands()) {
    std::string line = absl::StrCat("  ", c.group, " ", c.verb);
    if (!c.positional.empty()) absl::StrAppend(&line, " ", absl::AsciiStrToUpper(c.positional));
    std::cerr << line << std::string(line.size() < 36 ? 36 - line.size() : 1, ' ') << c.help << "\n";
    std::string flags;
    for (auto pair : absl::StrSplit(c.flags, ' ', absl::SkipEmpty())) {
      absl::StrAppend(&flags, " --", std::string(pair.substr(0, pair.find('='))));
    }
    if (!flags.empty()) std::cerr << "      " << flags << "\n";
  }
  std::cerr << "  events stream                     Follow the pseudonymised event feed\n"
               "       --after=N --limit=N --follow --timeout=SECONDS --service=registry|treatment|matching\n"
               "  audit verify                      Check a service's audit hash chain (role dpo)\n"
               "       --service=registry|treatment|matching|reporting\n"
               "  subject-access export CITIZEN     Everything the suite holds about a citizen (role dpo)\n"
               "       --registry-addr --treatment-addr --matching-addr --reporting-addr --out=DIR\n"
               "  subject-access erase CITIZEN      Erase a citizen's data where all three may (role dpo)\n"
               "       --registry-addr --treatment-addr --matching-addr\n"
               "  health check                      gRPC health of a server (exit 0 when SERVING)\n"
               "       --service=NAME (default: the whole server)\n"
               "  token mint                        Mint a DEVELOPMENT token (needs --dev-key)\n"
               "       --subject --agency --roles --issuer --audience --ttl\n\n"
            << kGlobalFlags;
  return 2;
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

// A channel to `address` with the TLS settings of the flags.
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

// One unary call by full method name with serialized messages: ipsctl
// builds requests from descriptors, so it needs no generated stubs.
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

std::string Json(const Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

void PrintTable(const Message& resp, const Command& c) {
  const auto* f = resp.GetDescriptor()->FindFieldByName(c.list_field);
  const auto* refl = resp.GetReflection();
  std::vector<std::string> cols = absl::StrSplit(c.columns, ',');
  std::vector<std::vector<std::string>> rows = {cols};
  for (int i = 0; i < refl->FieldSize(resp, f); ++i) {
    std::vector<std::string> row;
    for (const auto& col : cols) row.push_back(FieldText(refl->GetRepeatedMessage(resp, f, i), col));
    rows.push_back(row);
  }
  std::vector<size_t> width(cols.size(), 0);
  for (const auto& r : rows) {
    for (size_t j = 0; j < r.size(); ++j) width[j] = std::max(width[j], r[j].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t j = 0; j < r.size(); ++j) {
      absl::StrAppend(&line, r[j], std::string(width[j] - r[j].size() + 2, ' '));
    }
    std::cout << absl::StripTrailingAsciiWhitespace(line) << "\n";
  }
  std::string next = FieldText(resp, "next_page_token");
  std::cout << "(" << rows.size() - 1 << " shown"
            << (next.empty() ? ")" : "; more with --page-token=" + next + ")") << "\n";
}

int RunCommand(const Command& c, const Args& a) {
  // A generated service is known to the pool only when its code is linked
  // in; reporting has no stub call here, so name one of its messages.
  (void)ips::reporting::v1::GetProgrammeReportRequest::descriptor();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* service = pool->FindServiceByName(c.service);
  const auto* method = service ? service->FindMethodByName(c.method) : nullptr;
  if (!method) {
    std::cerr << "ipsctl: unknown method " << c.method << "\n";
    return 2;
  }
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> req(factory->GetPrototype(method->input_type())->New());
  std::unique_ptr<Message> resp(factory->GetPrototype(method->output_type())->New());
  if (auto raw = a.flags.find("request"); raw != a.flags.end()) {
    auto st = google::protobuf::util::JsonStringToMessage(raw->second, req.get());
    if (!st.ok()) {
      std::cerr << "ipsctl: --request: " << st.ToString() << "\n";
      return 2;
    }
  }
  std::map<std::string, std::string> flag_paths;
  for (auto pair : absl::StrSplit(c.flags, ' ', absl::SkipEmpty())) {
    auto eq = pair.find('=');
    flag_paths[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
  }
  if (!c.positional.empty()) {
    if (a.positional.size() < 3) {
      std::cerr << "ipsctl: " << c.group << " " << c.verb << " needs " << absl::AsciiStrToUpper(c.positional)
                << "\n";
      return 2;
    }
    if (auto s = SetField(*req, c.positional, a.positional[2]); !s.ok()) {
      std::cerr << "ipsctl: " << s.message() << "\n";
      return 2;
    }
  }
  static const std::set<std::string> kGlobal = {
      "addr",       "ca",        "cert",     "key",    "token",    "token-file",         "dev-key",
      "as-subject", "as-agency", "as-roles", "issuer", "audience", "insecure-plaintext", "json",
      "request",    "timeout",   "out"};
  std::vector<std::string> mask;
  for (const auto& key : a.order) {
    if (kGlobal.count(key)) continue;
    auto it = flag_paths.find(key);
    if (it == flag_paths.end()) {
      std::cerr << "ipsctl: unknown flag --" << key << " for " << c.group << " " << c.verb << "\n";
      return 2;
    }
    if (auto s = SetField(*req, it->second, a.flags.at(key)); !s.ok()) {
      std::cerr << "ipsctl: --" << key << ": " << s.message() << "\n";
      return 2;
    }
    if (!c.mask_of.empty() && absl::StartsWith(it->second, c.mask_of + ".") && key != "etag") {
      // The mask names top-level fields: --home-lat and --home-lng both
      // update `home`.
      std::string field = it->second.substr(c.mask_of.size() + 1);
      field = field.substr(0, field.find('.'));
      if (std::find(mask.begin(), mask.end(), field) == mask.end()) mask.push_back(field);
    }
  }
  if (!c.mask_of.empty() && !mask.empty()) (void)SetField(*req, "update_mask", absl::StrJoin(mask, ","));

  auto token = BearerToken(a);
  auto channel = Connect(a);
  if (!token.ok() || !channel.ok()) {
    std::cerr << "ipsctl: " << (!token.ok() ? token.status() : channel.status()).message() << "\n";
    return 2;
  }
  std::string bytes;
  const grpc::Status status =
      CallUnary(*channel, *token, absl::StrCat("/", c.service, "/", c.method), req->SerializeAsString(),
                &bytes, std::atoi(Flag(a, "timeout", nullptr, "15").c_str()));
  if (!status.ok()) {
    PrintError(status);
    return 1;
  }
  resp->ParseFromString(bytes);
  // A rendered file (an export) is written as it is: to --out, or stdout.
  if (const auto* content = resp->GetDescriptor()->FindFieldByName("content");
      content && content->type() == google::protobuf::FieldDescriptor::TYPE_BYTES && !a.flags.count("json")) {
    const std::string data = resp->GetReflection()->GetString(*resp, content);
    const std::string out = Flag(a, "out", nullptr, "");
    if (out.empty()) {
      std::cout << data;
    } else {
      std::ofstream file(out, std::ios::binary);
      file << data;
      if (!file) {
        std::cerr << "ipsctl: cannot write " << out << "\n";
        return 2;
      }
      std::cerr << "ipsctl: wrote " << data.size() << " bytes to " << out << "\n";
    }
    return 0;
  }
  if (a.flags.count("json")) {
    std::cout << Json(*resp) << "\n";
  } else if (!c.list_field.empty()) {
    PrintTable(*resp, c);
  } else {
    std::cout << Describe(*resp);
  }
  return 0;
}

int StreamEvents(const Args& a) {
  auto token = BearerToken(a);
  auto channel = Connect(a);
  if (!token.ok() || !channel.ok()) {
    std::cerr << "ipsctl: " << (!token.ok() ? token.status() : channel.status()).message() << "\n";
    return 2;
  }
  // Every service serves the same StreamEvents; --service picks whose.
  const std::string service = Flag(a, "service", nullptr, "registry");
  if (service != "registry" && service != "treatment" && service != "matching") {
    std::cerr << "ipsctl: --service must be registry, treatment or matching\n";
    return 2;
  }
  // The events' types, so that --json can print their payloads (a
  // generated type is known only when its code is linked in).
  (void)ips::registry::v1::EnrollmentStarted::descriptor();
  (void)ips::treatment::v1::ReferralCreated::descriptor();
  (void)ips::matching::v1::PlacementStarted::descriptor();
  grpc::ClientContext ctx;
  if (!token->empty()) ctx.AddMetadata("authorization", "Bearer " + *token);
  ips::common::v1::StreamEventsRequest req;
  req.set_after_sequence(std::atoll(Flag(a, "after", nullptr, "0").c_str()));
  const bool follow = a.flags.count("follow") > 0;
  // Without --follow the stored events are read for --timeout seconds
  // (default 3), which is plenty for the replay.
  if (!follow) {
    const double seconds = std::atof(Flag(a, "timeout", nullptr, "3").c_str());
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(static_cast<long long>(std::max(0.1, seconds) * 1000)));
  }
  long limit = std::atol(Flag(a, "limit", nullptr, "0").c_str());
  std::unique_ptr<grpc::ClientReader<ips::common::v1::Event>> reader;
  if (service == "registry") {
    reader = ips::registry::v1::CitizenRegistry::NewStub(*channel)->StreamEvents(&ctx, req);
  } else if (service == "matching") {
    reader = ips::matching::v1::EmployerMatching::NewStub(*channel)->StreamEvents(&ctx, req);
  } else {
    reader = ips::treatment::v1::TreatmentCoordination::NewStub(*channel)->StreamEvents(&ctx, req);
  }
  ips::common::v1::Event e;
  long n = 0;
  while (reader->Read(&e)) {
    // One whole line per event as it arrives: a reader of the pipe (a
    // script, `--follow | jq`) gets each at once, and nothing written to
    // stderr later can land inside one.
    if (a.flags.count("json")) {
      std::cout << Json(e) << std::endl;
    } else {
      std::cout << e.sequence() << "  " << e.type() << "  " << e.subject_pseudonym().substr(0, 12)
                << std::endl;
    }
    if (limit > 0 && ++n >= limit) {
      ctx.TryCancel();
      break;
    }
  }
  grpc::Status s = reader->Finish();
  // Without --follow the stream ends at the deadline once caught up.
  if (!s.ok() && s.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED &&
      s.error_code() != grpc::StatusCode::CANCELLED) {
    PrintError(s);
    return 1;
  }
  return 0;
}

// The four services by the short names the commands take, in the order a
// subject access export asks them (the registry first: it gives the
// pseudonym reporting needs).
const std::vector<std::pair<std::string, std::string>> kServices = {
    {"registry", "ips.registry.v1.CitizenRegistry"},
    {"treatment", "ips.treatment.v1.TreatmentCoordination"},
    {"matching", "ips.matching.v1.EmployerMatching"},
    {"reporting", "ips.reporting.v1.Reporting"}};

// The full gRPC service name of `service`, or "" when there is none.
std::string FullServiceName(const std::string& service) {
  for (const auto& [name, full] : kServices) {
    if (name == service) return full;
  }
  return "";
}

// Walks a service's whole audit chain through ListAuditRecords (role dpo)
// and checks it here, without trusting the server: sequences from 1 with no
// gap, each record linked to the previous one's hash, each hash recomputed
// from the record's fields. Prints the first broken link; exit 0 when the
// chain holds, 1 when it does not, 2 when it cannot be read.
int VerifyAudit(const Args& a) {
  const std::string service = Flag(a, "service", nullptr, "registry");
  if (FullServiceName(service).empty()) {
    std::cerr << "ipsctl: --service must be registry, treatment, matching or reporting\n";
    return 2;
  }
  auto token = BearerToken(a);
  auto channel = Connect(a);
  if (!token.ok() || !channel.ok()) {
    std::cerr << "ipsctl: " << (!token.ok() ? token.status() : channel.status()).message() << "\n";
    return 2;
  }
  const std::string method = absl::StrCat("/", FullServiceName(service), "/ListAuditRecords");
  std::string page_token;
  ips::AuditChainCheck chain;
  do {
    ips::common::v1::ListAuditRecordsRequest req;
    req.set_page_size(1000);
    req.set_page_token(page_token);
    std::string bytes;
    const grpc::Status status = CallUnary(*channel, *token, method, req.SerializeAsString(), &bytes, 30);
    if (!status.ok()) {
      PrintError(status);
      return 2;
    }
    ips::common::v1::ListAuditRecordsResponse resp;
    if (!resp.ParseFromString(bytes)) {
      std::cerr << "ipsctl: the answer is not an audit page\n";
      return 2;
    }
    for (const auto& r : resp.audit_records()) {
      if (const std::string broken = chain.Next(r); !broken.empty()) {
        std::cout << service << ": audit chain BROKEN at record " << chain.expected() << ": " << broken
                  << "\n";
        return 1;
      }
    }
    page_token = resp.next_page_token();
  } while (!page_token.empty());
  std::cout << service << ": audit chain holds, " << chain.expected() - 1 << " records\n";
  return 0;
}

// A channel to each of `services` at its --SERVICE-addr; an error naming
// the first one missing or unreachable.
absl::StatusOr<std::map<std::string, std::shared_ptr<grpc::Channel>>> ServiceChannels(
    const Args& a, const std::vector<std::string>& services) {
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const auto& service : services) {
    const std::string address = Flag(a, service + "-addr", nullptr);
    if (address.empty()) return absl::InvalidArgumentError("--" + service + "-addr is required");
    auto channel = ConnectTo(a, address);
    if (!channel.ok()) return channel.status();
    channels[service] = *channel;
  }
  return channels;
}

// Subject access: asks the registry, treatment, matching and reporting (by
// the pseudonym the registry gives) for what each holds about a citizen,
// and writes one bundle: subject-access.json and subject-access.html in
// --out (default "."). Every part is needed; a service that cannot be asked
// fails the whole command (exit 2) and nothing is written, since a partial
// answer would mislead.
int SubjectAccess(const Args& a) {
  if (a.positional.size() < 3) {
    std::cerr << "usage: ipsctl subject-access export citizens/ID --registry-addr --treatment-addr "
                 "--matching-addr --reporting-addr [--out DIR]\n";
    return 2;
  }
  const std::string citizen = a.positional[2];
  auto token = BearerToken(a);
  if (!token.ok()) {
    std::cerr << "ipsctl: " << token.status().message() << "\n";
    return 2;
  }
  auto channels = ServiceChannels(a, {"registry", "treatment", "matching", "reporting"});
  if (!channels.ok()) {
    std::cerr << "ipsctl: " << channels.status().message() << "\n";
    return 2;
  }
  std::vector<ips::common::v1::SubjectDataExport> parts;
  std::string pseudonym;
  for (const auto& [service, full] : kServices) {
    ips::common::v1::ExportSubjectDataRequest req;
    if (service == "reporting") {
      req.set_pseudonym(pseudonym);
    } else {
      req.set_citizen(citizen);
    }
    std::string bytes;
    const grpc::Status status =
        CallUnary((*channels)[service], *token, absl::StrCat("/", full, "/ExportSubjectData"),
                  req.SerializeAsString(), &bytes, 60);
    if (!status.ok()) {
      std::cerr << "ipsctl: the " << service << " part: ";
      PrintError(status);
      return 2;
    }
    ips::common::v1::SubjectDataExport part;
    part.ParseFromString(bytes);
    if (service == "registry") pseudonym = part.pseudonym();
    parts.push_back(std::move(part));
  }
  const nlohmann::json bundle = SubjectBundle(citizen, parts);
  const std::string dir = Flag(a, "out", nullptr, ".");
  std::ofstream json(dir + "/subject-access.json"), html(dir + "/subject-access.html");
  json << bundle.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  html << SubjectBundleHtml(bundle);
  if (!json || !html) {
    std::cerr << "ipsctl: cannot write in " << dir << "\n";
    return 2;
  }
  int rows = 0;
  for (const auto& p : parts) rows += p.row_count();
  std::cout << citizen << ": " << rows << " records from 4 services written to " << dir
            << "/subject-access.json and .html\n";
  return 0;
}

// Erasure on request (art. 17): asks the registry, treatment and matching
// whether each may erase (validate_only) and only when all three may,
// erases at treatment, matching and then the registry, which holds the CPR
// number and goes last so that a failure midway leaves the citizen
// findable for a retry (erasing again is harmless). Reporting holds only
// pseudonyms and is not asked.
int SubjectErasure(const Args& a) {
  if (a.positional.size() < 3) {
    std::cerr << "usage: ipsctl subject-access erase citizens/ID --registry-addr --treatment-addr "
                 "--matching-addr\n";
    return 2;
  }
  const std::string citizen = a.positional[2];
  auto token = BearerToken(a);
  if (!token.ok()) {
    std::cerr << "ipsctl: " << token.status().message() << "\n";
    return 2;
  }
  const std::vector<std::string> order = {"treatment", "matching", "registry"};
  auto channels = ServiceChannels(a, order);
  if (!channels.ok()) {
    std::cerr << "ipsctl: " << channels.status().message() << "\n";
    return 2;
  }
  // The registry judges the course and is asked first; it erases last.
  const std::vector<std::string> ask = {"registry", "treatment", "matching"};
  for (const bool validate_only : {true, false}) {
    for (const auto& service : validate_only ? ask : order) {
      ips::common::v1::EraseSubjectDataRequest req;
      req.set_citizen(citizen);
      req.set_validate_only(validate_only);
      std::string bytes;
      const grpc::Status status = CallUnary((*channels)[service], *token,
                                            absl::StrCat("/", FullServiceName(service), "/EraseSubjectData"),
                                            req.SerializeAsString(), &bytes, 60);
      if (!status.ok()) {
        std::cerr << "ipsctl: " << service << (validate_only ? " may not erase: " : " did not erase: ");
        PrintError(status);
        return 2;
      }
      if (validate_only) continue;
      ips::common::v1::SubjectErasure erasure;
      erasure.ParseFromString(bytes);
      std::cout << service << ": " << (erasure.already_erased() ? "already erased" : "erased") << ", "
                << erasure.row_count() << " rows\n";
    }
  }
  return 0;
}

// grpc.health.v1.Health/Check (the messages of grpc-proto's health.proto),
// for container health checks: exit 0 when the service (--service, default
// the whole server) is SERVING, 1 when not, 2 when it cannot be asked.
int HealthCheck(const Args& a) {
  auto channel = Connect(a);
  if (!channel.ok()) {
    std::cerr << "ipsctl: " << channel.status().message() << "\n";
    return 2;
  }
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(Flag(a, "service", nullptr, ""));
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   std::chrono::seconds(std::atoi(Flag(a, "timeout", nullptr, "3").c_str())));
  const grpc::Status status = grpc::health::v1::Health::NewStub(*channel)->Check(&ctx, request, &response);
  if (!status.ok()) {
    PrintError(status);
    return 2;
  }
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

int MintToken(const Args& a) {
  std::string dev_key = Flag(a, "dev-key", "IPS_DEV_KEY");
  if (dev_key.empty()) {
    std::cerr << "ipsctl: token mint needs --dev-key (development keys only)\n";
    return 2;
  }
  auto key = ips::ReadFile(dev_key);
  if (!key.ok()) {
    std::cerr << "ipsctl: " << key.status().message() << "\n";
    return 2;
  }
  ips::DevTokenClaims claims{
      Flag(a, "subject", nullptr, "dev-user"),
      Flag(a, "agency", nullptr, "BIF"),
      absl::StrSplit(Flag(a, "roles", nullptr, "ips_consultant"), ',', absl::SkipEmpty()),
      Flag(a, "issuer", "IPS_JWT_ISSUER", "https://login.dev.ips.local"),
      Flag(a, "audience", "IPS_JWT_AUDIENCE", "ips-sydhavnen"),
      std::atoi(Flag(a, "ttl", nullptr, "3600").c_str())};
  auto token = ips::MintDevToken(*key, claims);
  if (!token.ok()) {
    std::cerr << "ipsctl: " << token.status().message() << "\n";
    return 2;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace
}  // namespace ipsctl

int main(int argc, char** argv) {
  auto args = ipsctl::Parse(argc, argv);
  if (args.positional.size() < 2 || args.positional[0] == "help") return ipsctl::Usage();
  const std::string& group = args.positional[0];
  const std::string& verb = args.positional[1];
  if (group == "events" && verb == "stream") return ipsctl::StreamEvents(args);
  if (group == "token" && verb == "mint") return ipsctl::MintToken(args);
  if (group == "health" && verb == "check") return ipsctl::HealthCheck(args);
  if (group == "audit" && verb == "verify") return ipsctl::VerifyAudit(args);
  if (group == "subject-access" && verb == "export") return ipsctl::SubjectAccess(args);
  if (group == "subject-access" && verb == "erase") return ipsctl::SubjectErasure(args);
  for (const auto& c : ipsctl::Commands()) {
    if (c.group == group && c.verb == verb) return ipsctl::RunCommand(c, args);
  }
  std::cerr << "ipsctl: unknown command " << group << " " << verb << "\n";
  return ipsctl::Usage();
}
