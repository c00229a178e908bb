// audit verify: a service's audit chain checked here, not by the server.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "ips/common/v1/audit.pb.h"
#include "services/common/audit_log.h"
#include "tools/ipsctl/cli.h"

namespace ipsctl {

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
  auto session = OpenSession(a);
  if (!session.ok()) return Fail(session.status());
  const std::string method = absl::StrCat("/", FullServiceName(service), "/ListAuditRecords");
  std::string page_token;
  ips::AuditChainCheck chain;
  do {
    ips::common::v1::ListAuditRecordsRequest req;
    req.set_page_size(1000);
    req.set_page_token(page_token);
    std::string bytes;
    const grpc::Status status =
        CallUnary(session->channel, session->token, method, req.SerializeAsString(), &bytes, 30);
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

}  // namespace ipsctl
