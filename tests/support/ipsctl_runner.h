#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "tests/support/test_env.h"

namespace ips::testing {

struct CliResult {
  int code;
  std::string out;  // stdout and stderr
};

// Runs a shell command, collecting its stdout (and stderr, if the command
// redirects it) and exit code.
inline CliResult RunShell(const std::string& cmd) {
  CliResult r{0, ""};
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs the ipsctl binary against localhost:port with the test PKI and a
// development token for `agency` and `roles`, as staff would; `out` holds
// its stderr followed by its stdout. `client` names the client certificate
// (the event feeds open only to a configured feed reader's, "reporting").
inline CliResult RunIpsctl(int port, const std::string& args, const std::string& roles,
                           const std::string& agency = "BIF", const std::string& client = "ipsctl") {
  const auto& pki = Pki();
  std::string cmd = "IPS_ADDR=localhost:" + std::to_string(port) + " IPS_CA=" + pki.ca +
                    " IPS_CERT=" + pki.ClientCert(client) + " IPS_KEY=" + pki.ClientKey(client) +
                    " IPS_DEV_KEY=" + pki.jwt_private + " IPS_JWT_ISSUER=" + kIssuer +
                    " IPS_JWT_AUDIENCE=" + kAudience + " IPS_AS_ROLES=" + roles + " IPS_AS_AGENCY=" + agency +
                    " " + BinaryDir() + "/tools/ipsctl/ipsctl " + args;
  // stderr first, then stdout: a message gRPC logs from another thread
  // while a large answer is written cannot land inside the answer.
  return RunShell("err=$(mktemp); out=$(mktemp); " + cmd +
                  " 2>\"$err\" >\"$out\"; rc=$?; cat \"$err\" \"$out\"; rm -f \"$err\" \"$out\"; exit $rc");
}

}  // namespace ips::testing
