#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>
#include <vector>

#include "services/common/service_core.h"
#include "services/common/subject_access.h"
#include "services/common/subject_erasure.h"

namespace ips {

// What one service keeps about a citizen: where the subject-access export
// reads and what erasure clears. Each service writes its own next to its
// schema; the RPCs below and the retention sweep use it.
struct SubjectData {
  std::string service_name;  // the full gRPC name, e.g. "ips.registry.v1.CitizenRegistry"
  SubjectKey key = SubjectKey::kCitizen;
  // The export's parts, in order. A part without SQL is its table's rows
  // whose key column (citizen_id, or pseudonym at reporting) is the
  // subject; the audit of calls about a citizen is added after them.
  std::vector<SubjectQuery> parts;
  bool with_pseudonym = false;  // the registry: its export to the joint DPO names the event pseudonym
  ErasurePlan erasure;          // empty where the service has no EraseSubjectData (reporting)

  // The queries the export runs.
  std::vector<SubjectQuery> Queries() const;
};

// The audit and subject-access RPCs, the same in every service and written
// once here: a service's class derives from AuditedService<its generated
// Service> and keeps only its own handlers.
template <typename GeneratedService>
class AuditedService : public GeneratedService {
 public:
  const SubjectData& subject_data() const { return subject_; }

  grpc::Status ListAuditRecords(grpc::ServerContext* ctx, const common::v1::ListAuditRecordsRequest* req,
                                common::v1::ListAuditRecordsResponse* resp) override {
    return core_.ListAuditRecords(ctx, req, resp);
  }
  grpc::Status ExportSubjectData(grpc::ServerContext* ctx, const common::v1::ExportSubjectDataRequest* req,
                                 common::v1::SubjectDataExport* resp) override {
    return ips::ExportSubjectData(core_, subject_.service_name, ctx, req, resp, queries_, subject_.key,
                                  subject_.with_pseudonym);
  }

 protected:
  AuditedService(ServiceCore& core, SubjectData subject)
      : core_(core), subject_(std::move(subject)), queries_(subject_.Queries()) {}

  ServiceCore& core_;

 private:
  const SubjectData subject_;
  const std::vector<SubjectQuery> queries_;
};

// The services that publish an event feed and hold citizens' data (the
// registry, matching, treatment) also share StreamEvents and
// EraseSubjectData. `Generated` is the generated class of the service (not
// its nested Service): StreamEvents is marked a callback method, so an open
// stream holds no thread of the server.
template <typename Generated>
class PublishingService
    : public AuditedService<
          typename Generated::template WithCallbackMethod_StreamEvents<typename Generated::Service>> {
  using Base = AuditedService<
      typename Generated::template WithCallbackMethod_StreamEvents<typename Generated::Service>>;

 public:
  grpc::ServerWriteReactor<common::v1::Event>* StreamEvents(
      grpc::CallbackServerContext* ctx, const common::v1::StreamEventsRequest* req) override {
    return this->core_.StreamEvents(ctx, req);
  }
  grpc::Status EraseSubjectData(grpc::ServerContext* ctx, const common::v1::EraseSubjectDataRequest* req,
                                common::v1::SubjectErasure* resp) override {
    return ips::EraseSubjectData(this->core_, this->subject_data().service_name, ctx, req, resp,
                                 this->subject_data().erasure);
  }

 protected:
  using Base::Base;
};

}  // namespace ips
