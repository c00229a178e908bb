// subject-access export and erase: a citizen's data across the suite, for
// the DPO.
#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "ips/common/v1/subject_access.pb.h"
#include "tools/ipsctl/cli.h"
#include "tools/ipsctl/subject_bundle.h"

namespace ipsctl {
namespace {

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

}  // namespace

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
  if (!token.ok()) return Fail(token.status());
  auto channels = ServiceChannels(a, {"registry", "treatment", "matching", "reporting"});
  if (!channels.ok()) return Fail(channels.status());
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
  if (!token.ok()) return Fail(token.status());
  const std::vector<std::string> order = {"treatment", "matching", "registry"};
  auto channels = ServiceChannels(a, order);
  if (!channels.ok()) return Fail(channels.status());
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

}  // namespace ipsctl
