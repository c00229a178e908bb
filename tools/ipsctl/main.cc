// ipsctl: the command-line client for staff and operators. Every RPC of the
// four services is a command (command_table.cc); output is a table for
// people or JSON (--json) for scripts. Run `ipsctl help` for the commands.
// The commands beside the table live in one file per group: events
// (event_commands.cc), audit, subject-access, health and token.
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/ipsctl/cli.h"
#include "tools/ipsctl/command_table.h"

namespace ipsctl {
namespace {

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
