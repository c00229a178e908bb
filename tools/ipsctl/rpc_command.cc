// One row of the command table run as a call: the request built from
// --request, the positional name and the flags (with the update mask they
// imply), the answer printed as a table, a description, JSON or a file.
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ips/reporting/v1/reporting_service.pb.h"
#include "tools/ipsctl/cli.h"
#include "tools/ipsctl/command_table.h"
#include "tools/ipsctl/proto_fields.h"

namespace ipsctl {
namespace {

using google::protobuf::Message;

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

}  // namespace

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

  auto session = OpenSession(a);
  if (!session.ok()) return Fail(session.status());
  std::string bytes;
  const grpc::Status status =
      CallUnary(session->channel, session->token, absl::StrCat("/", c.service, "/", c.method),
                req->SerializeAsString(), &bytes, std::atoi(Flag(a, "timeout", nullptr, "15").c_str()));
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

}  // namespace ipsctl
