#pragma once

#include <grpcpp/support/status.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace ips::errors {

// The suite's errors are absl::Status values whose payloads carry the
// google.rpc error details (BadRequest, PreconditionFailure, ErrorInfo), so
// code below the gRPC layer can say which field or rule failed without
// depending on gRPC. ToGrpcStatus turns them into a gRPC status with the
// details in `grpc-status-details-bin`.

struct FieldViolation {
  std::string field;
  std::string description;
};

struct PreconditionViolation {
  std::string type;     // e.g. "ELIGIBILITY", "CASELOAD", "STATE"
  std::string subject;  // e.g. the rule or resource name
  std::string description;
};

// Domain of ErrorInfo details.
inline constexpr char kErrorDomain[] = "ips.sydhavnen.kk.dk";

absl::Status InvalidArgument(std::string field, std::string description);
absl::Status InvalidArguments(std::vector<FieldViolation> violations);
absl::Status FailedPrecondition(std::string message, std::vector<PreconditionViolation> violations);
absl::Status NotFound(std::string resource_name);
absl::Status AlreadyExists(std::string message);
absl::Status StaleEtag(std::string resource_name);
// `reason` is an UPPER_SNAKE_CASE ErrorInfo reason, e.g. "ROLE_NOT_ALLOWED".
absl::Status PermissionDenied(std::string reason, std::string message);
// With ErrorInfo metadata, e.g. {"consent": "expired"}.
absl::Status PermissionDenied(std::string reason, std::string message,
                              const std::map<std::string, std::string>& metadata);
absl::Status Unauthenticated(std::string reason, std::string message);

// The field violations carried by `status`, if any (used by tests and logs).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

grpc::Status ToGrpcStatus(const absl::Status& status);

// Name of a gRPC status code, e.g. "INVALID_ARGUMENT".
std::string CodeName(grpc::StatusCode code);

}  // namespace ips::errors
