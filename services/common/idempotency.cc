#include "services/common/idempotency.h"

#include "services/common/dates.h"
#include "services/common/errors.h"

namespace ips {

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.size() > 100) return errors::InvalidArgument("request_id", "must be at most 100 characters");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> FindRequest(soci::session& s, const std::string& request_id,
                                                       const std::string& method) {
  if (request_id.empty()) return std::optional<std::string>();
  std::string stored_method, resource;
  soci::indicator ind = soci::i_null;
  s << "SELECT method, resource_name FROM idempotency WHERE request_id = :r", soci::use(request_id),
      soci::into(stored_method, ind), soci::into(resource);
  if (!s.got_data()) return std::optional<std::string>();
  if (stored_method != method) {
    return errors::InvalidArgument("request_id", "was already used for a different method");
  }
  return std::optional<std::string>(resource);
}

void RecordRequest(soci::session& s, const std::string& request_id, const std::string& method,
                   const std::string& resource_name) {
  if (request_id.empty()) return;
  long long now = NowMicros();
  s << "INSERT INTO idempotency (request_id, method, resource_name, create_micros) "
       "VALUES (:r, :m, :n, :t)",
      soci::use(request_id), soci::use(method), soci::use(resource_name), soci::use(now);
}

absl::StatusOr<std::string> CreateOnce(soci::session& s, const std::string& request_id,
                                       const std::string& method,
                                       const std::function<absl::StatusOr<std::string>()>& create) {
  auto earlier = FindRequest(s, request_id, method);
  if (!earlier.ok()) return earlier.status();
  if (*earlier) return **earlier;
  auto name = create();
  if (name.ok()) RecordRequest(s, request_id, method, *name);
  return name;
}

}  // namespace ips
