#pragma once

#include <google/protobuf/message.h>
#include <soci/soci.h>

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/call_guard.h"
#include "services/common/caller.h"

namespace ips {

// Create methods accept a request_id (AIP-155): a retry with the same id
// returns what the first call created and creates nothing twice.
//
// A request id belongs to its caller (the token's agency and subject) and
// is bound to the method and to a fingerprint of the whole request. The
// same id from another caller is simply another id: request ids are often
// predictable, and the first result must never reach anyone but the caller
// who made it. The same caller reusing an id for another method or with a
// different body is refused (INVALID_ARGUMENT on `request_id`), never
// answered with the first result.

// INVALID_ARGUMENT when the id is too long.
absl::Status ValidateRequestId(const std::string& request_id);

// Runs `create` (which returns the new resource's name) once per request
// id, inside the caller's write transaction, and records the id with the
// name; a retry returns the name the first call returned. `request` is the
// whole request message, whose `request_id` field is read from it; the
// method is the guard's (`record.method`). An empty request id creates
// every time.
//
// A replay answers with a resource name only: the handler reads the
// resource back through the same access checks as its Get (checked on the
// request before `create`, which addresses the same records, since the
// body is the same), so a replay answers no more than the caller may read
// now.
absl::StatusOr<std::string> CreateOnce(soci::session& s, const Caller& caller, const CallRecord& record,
                                       const google::protobuf::Message& request,
                                       const std::function<absl::StatusOr<std::string>()>& create);

// The key a caller's request ids are stored under: agency and subject,
// length-prefixed so no pair of values reads as another.
std::string RequestIdOwner(const Caller& caller);

// SHA-256 (hex) of the deterministic serialization of `request`.
std::string RequestFingerprint(const google::protobuf::Message& request);

}  // namespace ips
