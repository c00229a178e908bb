#pragma once

// What every ipsctl command shares: the parsed command line, the token and
// channel it asks for, the call by method name and how answers and errors
// are printed.
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace ipsctl {

struct Command;  // command_table.h

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  std::vector<std::string> order;  // flags in the order given
};

Args Parse(int argc, char** argv);

// The flag's value, else the environment variable `env` (when given), else `fallback`.
std::string Flag(const Args& a, const std::string& key, const char* env, const std::string& fallback = "");

// The bearer token: --token, --token-file, or a DEVELOPMENT token minted
// from --dev-key for --as-subject, --as-agency and --as-roles.
absl::StatusOr<std::string> BearerToken(const Args& a);

// A channel to `address` with the TLS settings of the flags; Connect: to --addr.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectTo(const Args& a, const std::string& address);
absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const Args& a);

// The token and the channel to --addr a command calls with.
struct Session {
  std::string token;
  std::shared_ptr<grpc::Channel> channel;
};
absl::StatusOr<Session> OpenSession(const Args& a);

// One unary call by full method name with serialized messages: ipsctl
// builds requests from descriptors, so it needs no generated stubs.
grpc::Status CallUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                       const std::string& method, const std::string& request, std::string* response,
                       int timeout_seconds);

// The status and its details (field violations, unmet preconditions, the
// reason) on stderr, after whatever stdout held.
void PrintError(const grpc::Status& s);

// "ipsctl: <message>" on stderr; returns 2, the exit code for a command
// that could not be made.
int Fail(const absl::Status& status);

// A message as JSON with the proto's field names.
std::string Json(const google::protobuf::Message& m);

// The four services by the short names the commands take, in the order a
// subject access export asks them (the registry first: it gives the
// pseudonym reporting needs).
extern const std::vector<std::pair<std::string, std::string>> kServices;

// The full gRPC service name of `service`, or "" when there is none.
std::string FullServiceName(const std::string& service);

// The commands (each returns the process's exit code).
int RunCommand(const Command& c, const Args& a);  // rpc_command.cc: a row of the command table
int StreamEvents(const Args& a);                  // event_commands.cc
int VerifyAudit(const Args& a);                   // audit_commands.cc
int SubjectAccess(const Args& a);                 // subject_commands.cc
int SubjectErasure(const Args& a);                // subject_commands.cc
int HealthCheck(const Args& a);                   // operator_commands.cc
int MintToken(const Args& a);                     // operator_commands.cc

}  // namespace ipsctl
