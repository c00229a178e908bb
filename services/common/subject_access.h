#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "ips/common/v1/subject_access.pb.h"
#include "services/common/service_core.h"

namespace ips {

// Subject access (GDPR art. 15): a service's part of everything the suite
// holds about one citizen. Each service names where its rows about a
// subject are; the export runs those queries and returns the rows as JSON,
// so a table added later is exported by adding its query, next to the
// migration that made it.
struct SubjectQuery {
  std::string part;      // the name in the export, usually the table
  std::string sql = "";  // SELECT ... with the subject's key bound to `:subject`; "" in SubjectData::parts:
                         // its table by key
};

// How the service knows the subject: by citizen id (the registry, matching,
// treatment) or only by event pseudonym (reporting).
enum class SubjectKey { kCitizen, kPseudonym };

// ExportSubjectData for `core`'s service: validates the request, runs
// `queries` in one read, and fills `resp`; audited by the guard with the
// citizen. With `with_pseudonym` (the registry) the export to the joint DPO
// (agency JOINT) also carries the citizen's event pseudonym, to ask
// reporting for its part.
grpc::Status ExportSubjectData(ServiceCore& core, const std::string& service_name, grpc::ServerContext* ctx,
                               const common::v1::ExportSubjectDataRequest* req,
                               common::v1::SubjectDataExport* resp, const std::vector<SubjectQuery>& queries,
                               SubjectKey key, bool with_pseudonym = false);

}  // namespace ips
