#include "services/common/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace ips::errors {
namespace {

constexpr char kTypePrefix[] = "type.googleapis.com/";

template <typename Msg>
void Attach(absl::Status& status, const Msg& detail) {
  status.SetPayload(absl::StrCat(kTypePrefix, Msg::descriptor()->full_name()),
                    absl::Cord(detail.SerializeAsString()));
}

absl::Status WithInfo(absl::StatusCode code, std::string reason, std::string message,
                      const std::map<std::string, std::string>& metadata = {}) {
  absl::Status status(code, message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::move(reason));
  info.set_domain(kErrorDomain);
  for (const auto& [k, v] : metadata) (*info.mutable_metadata())[k] = v;
  Attach(status, info);
  return status;
}

}  // namespace

absl::Status InvalidArguments(std::vector<FieldViolation> violations) {
  std::vector<std::string> parts;
  google::rpc::BadRequest detail;
  for (auto& v : violations) {
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
    auto* fv = detail.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, absl::StrJoin(parts, "; "));
  Attach(status, detail);
  return status;
}

absl::Status InvalidArgument(std::string field, std::string description) {
  return InvalidArguments({{std::move(field), std::move(description)}});
}

absl::Status FailedPrecondition(std::string message, std::vector<PreconditionViolation> violations) {
  google::rpc::PreconditionFailure detail;
  std::vector<std::string> parts;
  for (auto& v : violations) {
    parts.push_back(v.description);
    auto* pv = detail.add_violations();
    pv->set_type(v.type);
    pv->set_subject(v.subject);
    pv->set_description(v.description);
  }
  if (!parts.empty()) absl::StrAppend(&message, ": ", absl::StrJoin(parts, "; "));
  absl::Status status(absl::StatusCode::kFailedPrecondition, message);
  Attach(status, detail);
  return status;
}

absl::Status NotFound(std::string resource_name) {
  google::rpc::ResourceInfo info;
  info.set_resource_name(resource_name);
  absl::Status status(absl::StatusCode::kNotFound, absl::StrCat(resource_name, " does not exist"));
  Attach(status, info);
  return status;
}

absl::Status AlreadyExists(std::string message) {
  return absl::Status(absl::StatusCode::kAlreadyExists, message);
}

absl::Status StaleEtag(std::string resource_name) {
  return WithInfo(absl::StatusCode::kAborted, "STALE_ETAG",
                  absl::StrCat(resource_name, " was changed by someone else; read it again and retry"));
}

absl::Status PermissionDenied(std::string reason, std::string message) {
  return WithInfo(absl::StatusCode::kPermissionDenied, std::move(reason), std::move(message));
}

absl::Status PermissionDenied(std::string reason, std::string message,
                              const std::map<std::string, std::string>& metadata) {
  return WithInfo(absl::StatusCode::kPermissionDenied, std::move(reason), std::move(message), metadata);
}

absl::Status Unauthenticated(std::string reason, std::string message) {
  return WithInfo(absl::StatusCode::kUnauthenticated, std::move(reason), std::move(message));
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload =
      status.GetPayload(absl::StrCat(kTypePrefix, google::rpc::BadRequest::descriptor()->full_name()));
  google::rpc::BadRequest detail;
  if (payload && detail.ParseFromString(std::string(*payload))) {
    for (const auto& fv : detail.field_violations()) out.push_back({fv.field(), fv.description()});
  }
  return out;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    auto* any = rpc.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      rpc.SerializeAsString());
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace ips::errors
