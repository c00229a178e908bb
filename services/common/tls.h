#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace ips {

// PEM file paths. With `ca` set a server requires and verifies client
// certificates (mTLS) and a client verifies the server against it.
struct TlsFiles {
  std::string cert;
  std::string key;
  std::string ca;
};

// TLS (mTLS when files.ca is set) server credentials. Plaintext only when
// `insecure_plaintext` is true, which the caller must log loudly.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(const TlsFiles& files,
                                                                               bool insecure_plaintext);

// TLS client credentials: verifies the server with files.ca and presents
// files.cert/key as client certificate when given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(const TlsFiles& files,
                                                                                 bool insecure_plaintext);

}  // namespace ips
