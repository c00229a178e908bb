#include "tests/support/test_env.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/crypto.h"
#include "services/common/database.h"
#include "services/common/dev_token.h"
#include "services/common/jwt_verifier.h"

namespace ips::testing {

std::string SourceDir() { return IPS_SOURCE_DIR; }
std::string BinaryDir() { return IPS_BINARY_DIR; }

std::string TempDir(const std::string& prefix) {
  std::string tmpl = absl::StrCat("/tmp/", prefix, "-XXXXXX");
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

const TestPki& Pki() {
  static const TestPki pki = [] {
    TestPki p;
    p.dir = TempDir("ips-pki");
    std::string cmd = absl::StrCat(SourceDir(), "/scripts/dev-certs.sh ", p.dir,
                                   " ipsctl reporting registry matching treatment");
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("dev-certs.sh failed");
    p.ca = p.dir + "/ca.pem";
    p.server_cert = p.dir + "/server.pem";
    p.server_key = p.dir + "/server.key";
    p.jwt_private = p.dir + "/jwt.key";
    p.jwt_public = p.dir + "/jwt.pub";
    p.pseudonym_key = p.dir + "/pseudonym.key";
    return p;
  }();
  return pki;
}

std::string Token(const std::string& subject, const std::string& agency,
                  const std::vector<std::string>& roles, int ttl_seconds) {
  static const std::string key = *ReadFile(Pki().jwt_private);
  auto token = MintDevToken(key, {subject, agency, roles, kIssuer, kAudience, ttl_seconds});
  if (!token.ok()) throw std::runtime_error(std::string(token.status().message()));
  return *token;
}

std::string RawToken(const std::string& payload_json, const std::string& header_json) {
  static const std::string key = *ReadFile(Pki().jwt_private);
  const auto b64 = [](const std::string& s) { return absl::WebSafeBase64Escape(s); };
  const std::string signing_input = b64(header_json) + "." + b64(payload_json);
  BIO* bio = BIO_new_mem_buf(key.data(), static_cast<int>(key.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!pkey) throw std::runtime_error("cannot read the development signing key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t length = 0;
  std::string signature;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
            EVP_DigestSignUpdate(ctx, signing_input.data(), signing_input.size()) == 1 &&
            EVP_DigestSignFinal(ctx, nullptr, &length) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSignFinal(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length) == 1;
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  if (!ok) throw std::runtime_error("cannot sign the token");
  return signing_input + "." + b64(signature);
}

std::string ClaimsJson(const std::string& subject, const std::string& agency, const std::string& roles_json,
                       long long exp_offset_seconds, const std::string& extra) {
  const long long now = absl::ToUnixSeconds(absl::Now());
  return absl::StrCat(R"({"sub":")", subject, R"(","agency":")", agency, R"(","roles":)", roles_json,
                      R"(,"iss":")", kIssuer, R"(","aud":")", kAudience, R"(","iat":)", now, R"(,"exp":)",
                      now + exp_offset_seconds, extra, "}");
}

RuntimeOptions ServiceOptions(const std::string& service_name, const std::string& db_url,
                              const std::string& policy_json) {
  const auto& pki = Pki();
  RuntimeOptions o;
  o.service_name = service_name;
  o.listen = "127.0.0.1:0";
  o.db_url = db_url;
  // Tests walk every RPC with bad tokens on purpose; those about the limit
  // of refused calls set their own.
  o.refusal_limits.burst = 1000000;
  o.tls = {pki.server_cert, pki.server_key, pki.ca};
  o.jwt.issuer = kIssuer;
  o.jwt.audience = kAudience;
  o.jwt.public_keys_pem = {*ReadFile(pki.jwt_public)};
  o.pseudonym_key = *ReadFile(pki.pseudonym_key);
  o.policy_json = policy_json;
  o.drain_timeout = absl::Seconds(5);
  o.event_poll_interval = absl::Milliseconds(50);
  return o;
}

std::shared_ptr<grpc::Channel> Channel(int port, const std::string& client, grpc::ChannelArguments args) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = *ReadFile(Pki().ca);
  ssl.pem_cert_chain = *ReadFile(Pki().ClientCert(client));
  ssl.pem_private_key = *ReadFile(Pki().ClientKey(client));
  // A fresh connection per channel, so tests do not share subchannels.
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  return grpc::CreateCustomChannel(absl::StrCat("localhost:", port), grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "SQLite" : "PostgreSQL"; }

std::string FreshDatabase(Backend backend) {
  static std::atomic<int> counter{0};
  if (backend == Backend::kSqlite) {
    return absl::StrCat("sqlite://", TempDir("ips-db"), "/test.db");
  }
  const char* admin_url = std::getenv("IPS_TEST_PG_URL");
  if (!admin_url || !*admin_url) return "";
  std::string name = absl::StrCat("ips_test_", getpid(), "_", counter++, "_", RandomId().substr(0, 6));
  soci::session admin(soci::postgresql, *PostgresConnInfo(admin_url));
  admin << "CREATE DATABASE " + name;
  std::string url = admin_url;
  // Replace the database path of the admin URL with the new database.
  auto slash = url.find('/', url.find("://") + 3);
  auto query = url.find('?');
  std::string suffix = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash) + "/" + name + suffix;
}

}  // namespace ips::testing
