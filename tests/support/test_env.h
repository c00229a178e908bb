#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "services/common/runtime_options.h"

namespace ips::testing {

// Development PKI, JWT keys and pseudonym key made once per test binary by
// scripts/dev-certs.sh in a temporary folder: tests run on real TLS with
// real token checks.
struct TestPki {
  std::string dir;
  std::string ca, server_cert, server_key, jwt_private, jwt_public, pseudonym_key;
  std::string ClientCert(const std::string& name) const { return dir + "/client-" + name + ".pem"; }
  std::string ClientKey(const std::string& name) const { return dir + "/client-" + name + ".key"; }
};
const TestPki& Pki();

inline constexpr char kIssuer[] = "https://login.test.ips.kk.dk";
inline constexpr char kAudience[] = "ips-sydhavnen";

// A signed bearer token for `subject` with the agency and roles given.
std::string Token(const std::string& subject, const std::string& agency,
                  const std::vector<std::string>& roles, int ttl_seconds = 3600);

// A token signed with the development key over exactly this JSON: for
// tokens an identity provider would not make (a claim twice, odd types).
std::string RawToken(const std::string& payload_json,
                     const std::string& header_json = R"({"alg":"RS256","typ":"JWT"})");
// The JSON of a valid token's claims, with `extra` (",\"k\":v") appended.
std::string ClaimsJson(const std::string& subject, const std::string& agency, const std::string& roles_json,
                       long long exp_offset_seconds = 600, const std::string& extra = "");

// Options for an in-process service on 127.0.0.1:0 with mTLS and `db_url`.
RuntimeOptions ServiceOptions(const std::string& service_name, const std::string& db_url,
                              const std::string& policy_json);

// An mTLS channel to localhost:port presenting client certificate `client`.
std::shared_ptr<grpc::Channel> Channel(int port, const std::string& client = "ipsctl",
                                       grpc::ChannelArguments args = {});

// A client context carrying `token` and a 10 s deadline.
std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token);

// A fresh temporary directory.
std::string TempDir(const std::string& prefix);

// Database backends the API tests run on.
enum class Backend { kSqlite, kPostgres };
std::string BackendName(Backend b);

// A fresh, empty database URL for `backend`: a new SQLite file, or a new
// PostgreSQL database on the server named by IPS_TEST_PG_URL. Returns ""
// when PostgreSQL is not configured; tests then skip, unless
// IPS_REQUIRE_PG=1 (the README's test command), when they fail.
std::string FreshDatabase(Backend backend);

#define IPS_ON_BOTH_DATABASES(Suite)                                                                      \
  INSTANTIATE_TEST_SUITE_P(                                                                               \
      Db, Suite, ::testing::Values(::ips::testing::Backend::kSqlite, ::ips::testing::Backend::kPostgres), \
      [](const auto& info) { return ::ips::testing::BackendName(info.param); })

// In a fixture's SetUp: a fresh database of `backend` into `url`, or skip
// the test when PostgreSQL is not configured (fail when IPS_REQUIRE_PG=1).
#define IPS_FRESH_DATABASE_OR_SKIP(url, backend)                                          \
  do {                                                                                    \
    url = ::ips::testing::FreshDatabase(backend);                                         \
    if (url.empty()) {                                                                    \
      const char* require = std::getenv("IPS_REQUIRE_PG");                                \
      if (require && std::string(require) == "1") FAIL() << "IPS_TEST_PG_URL is not set"; \
      GTEST_SKIP() << "PostgreSQL not configured (IPS_TEST_PG_URL)";                      \
    }                                                                                     \
  } while (0)

// Source tree root (for scripts and binaries the tests start).
std::string SourceDir();
std::string BinaryDir();

}  // namespace ips::testing
