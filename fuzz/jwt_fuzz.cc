// libFuzzer target: bearer tokens are the first thing an attacker sends.
// Verifying any input answers without crashing, and nothing the fuzzer
// makes verifies: it has no private key (tokens signed with "none" or an
// HMAC with the public key as secret included).
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/common/jwt_verifier.h"

namespace {

// A fresh RSA key made at start; its private half is thrown away, so no
// input can carry a valid signature.
std::string ThrowawayPublicKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* pem = nullptr;
  const long n = BIO_get_mem_data(bio, &pem);
  std::string out(pem, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ips::JwtVerifier verifier({"https://login.test", "ips-sydhavnen", {ThrowawayPublicKey()}});
  const std::string token(reinterpret_cast<const char*>(data), size);
  if (verifier.Verify(token).ok()) std::abort();
  return 0;
}
