#pragma once

#include <soci/soci.h>

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace ips {

// Create methods accept a request_id (AIP-155). Inside the create's write
// transaction, FindRequest returns the resource the first call with that id
// created; RecordRequest stores it together with the new resource.

// INVALID_ARGUMENT when the id is too long or was used for another method.
absl::Status ValidateRequestId(const std::string& request_id);
absl::StatusOr<std::optional<std::string>> FindRequest(soci::session& s, const std::string& request_id,
                                                       const std::string& method);
void RecordRequest(soci::session& s, const std::string& request_id, const std::string& method,
                   const std::string& resource_name);

// Both in one: returns the resource name the first call with `request_id`
// created, or runs `create` (which returns the new resource's name) and
// records it.
absl::StatusOr<std::string> CreateOnce(soci::session& s, const std::string& request_id,
                                       const std::string& method,
                                       const std::function<absl::StatusOr<std::string>()>& create);

}  // namespace ips
