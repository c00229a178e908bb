#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace ips::testing {

// Decodes the google.rpc details a service put into a gRPC status.
inline google::rpc::Status DetailsOf(const grpc::Status& s) {
  google::rpc::Status rpc;
  rpc.ParseFromString(s.error_details());
  return rpc;
}

// Fields named by the BadRequest detail.
inline std::vector<std::string> BadFields(const grpc::Status& s) {
  std::vector<std::string> out;
  const google::rpc::Status rpc = DetailsOf(s);  // keep alive for the loop
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest br;
    if (any.UnpackTo(&br)) {
      for (const auto& v : br.field_violations()) out.push_back(v.field());
    }
  }
  return out;
}

// Subjects of the PreconditionFailure detail.
inline std::vector<std::string> PreconditionSubjects(const grpc::Status& s) {
  std::vector<std::string> out;
  const google::rpc::Status rpc = DetailsOf(s);  // keep alive for the loop
  for (const auto& any : rpc.details()) {
    google::rpc::PreconditionFailure pf;
    if (any.UnpackTo(&pf)) {
      for (const auto& v : pf.violations()) out.push_back(v.subject());
    }
  }
  return out;
}

// Types (the rules' names) of the PreconditionFailure detail.
inline std::vector<std::string> PreconditionTypes(const grpc::Status& s) {
  std::vector<std::string> out;
  const google::rpc::Status rpc = DetailsOf(s);
  for (const auto& any : rpc.details()) {
    google::rpc::PreconditionFailure pf;
    if (any.UnpackTo(&pf)) {
      for (const auto& v : pf.violations()) out.push_back(v.type());
    }
  }
  return out;
}

// Reason of the ErrorInfo detail, or "".
inline std::string ErrorReason(const grpc::Status& s) {
  const google::rpc::Status rpc = DetailsOf(s);  // keep alive for the loop
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

// The ErrorInfo metadata value under `key`, or "".
inline std::string ErrorMetadata(const grpc::Status& s, const std::string& key) {
  const google::rpc::Status rpc = DetailsOf(s);
  for (const auto& any : rpc.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) {
      auto it = info.metadata().find(key);
      return it == info.metadata().end() ? "" : it->second;
    }
  }
  return "";
}

}  // namespace ips::testing
