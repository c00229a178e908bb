#include "services/common/idempotency.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "services/common/crypto.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/prepared.h"

namespace ips {
namespace {

constexpr size_t kMaxRequestId = 100;

// The request's `request_id`; every create request has one (a create
// without it is a programming error the tests of each service catch).
absl::StatusOr<std::string> RequestIdOf(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("request_id");
  if (!field || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING || field->is_repeated()) {
    return absl::InternalError(absl::StrCat(request.GetDescriptor()->full_name(), " has no request_id"));
  }
  return request.GetReflection()->GetString(request, field);
}

}  // namespace

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.size() > kMaxRequestId) {
    return errors::InvalidArgument("request_id",
                                   absl::StrCat("must be at most ", kMaxRequestId, " characters"));
  }
  return absl::OkStatus();
}

std::string RequestIdOwner(const Caller& caller) {
  return absl::StrCat(caller.agency.size(), ":", caller.agency, "/", caller.subject);
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return Sha256Hex(bytes);
}

absl::StatusOr<std::string> CreateOnce(soci::session& s, const Caller& caller, const CallRecord& record,
                                       const google::protobuf::Message& request,
                                       const std::function<absl::StatusOr<std::string>()>& create) {
  auto request_id = RequestIdOf(request);
  if (!request_id.ok()) return request_id.status();
  if (request_id->empty()) return create();
  if (auto valid = ValidateRequestId(*request_id); !valid.ok()) return valid;
  const std::string owner = RequestIdOwner(caller);
  const std::string fingerprint = RequestFingerprint(request);
  std::string stored_method, stored_fingerprint, resource;
  if (RunKept(
          s,
          "SELECT method, fingerprint, resource_name FROM request_ids WHERE owner = :o AND request_id = :r",
          soci::use(owner), soci::use(*request_id), soci::into(stored_method), soci::into(stored_fingerprint),
          soci::into(resource))) {
    if (stored_method != record.method) {
      return errors::InvalidArgument(
          "request_id",
          "you already used this request id for a different method; use a new one for a new request");
    }
    if (stored_fingerprint != fingerprint) {
      return errors::InvalidArgument("request_id",
                                     "you already used this request id for a different request; a retry must "
                                     "repeat the request unchanged, "
                                     "a new request needs a new id");
    }
    return resource;
  }
  auto name = create();
  if (!name.ok()) return name;
  long long now = NowMicros();
  RunKept(s,
          "INSERT INTO request_ids (owner, request_id, method, fingerprint, resource_name, create_micros) "
          "VALUES (:o, :r, :m, :f, :n, :t)",
          soci::use(owner), soci::use(*request_id), soci::use(record.method), soci::use(fingerprint),
          soci::use(*name), soci::use(now));
  return name;
}

}  // namespace ips
