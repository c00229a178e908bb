#include "services/reporting/reporting_service.h"

#include "services/common/business_date.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/violations.h"

namespace ips::reporting {

ReportingService::ReportingService(ServiceCore& core, ReportConfig config,
                                   std::vector<const FeedFollower*> feeds)
    : core_(core), config_(config), feeds_(std::move(feeds)) {}

std::vector<v1::FeedPosition> ReportingService::Positions(soci::session& s) const {
  std::vector<v1::FeedPosition> out;
  for (const char* source : {"registry", "matching", "treatment"}) {
    v1::FeedPosition p;
    p.set_source(source);
    p.set_applied_sequence(StoredCursor(s, source));
    for (const auto* f : feeds_) {
      if (f->source() == source) p.set_connected(f->connected());
    }
    out.push_back(p);
  }
  return out;
}

grpc::Status ReportingService::GetProgrammeReport(grpc::ServerContext* ctx,
                                                  const v1::GetProgrammeReportRequest* req,
                                                  v1::ProgrammeReport* resp) {
  return core_.guard().Run(ctx, "GetProgrammeReport", [&](const Caller&, CallRecord& rec) -> absl::Status {
    Violations v;
    // Reports may look a year ahead (a planning view of running courses).
    auto as_of = BusinessDate(req->as_of(), "as_of", v, false, 366);
    auto start = BusinessDate(req->period_start(), "period_start", v, false, 366);
    if (!v.empty()) return v.status();
    const absl::CivilDay day = as_of.value_or(TodayInCopenhagen());
    const absl::CivilDay from = start.value_or(day - 364);
    if (from > day) return errors::InvalidArgument("period_start", "must be on or before as_of");
    rec.resource = "programmeReport";
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      *resp = BuildReport(LoadFacts(s, day, from), day, from, config_);
      for (auto& p : Positions(s)) *resp->add_feeds() = p;
      return absl::OkStatus();
    });
  });
}

grpc::Status ReportingService::GetFeedStatus(grpc::ServerContext* ctx, const v1::GetFeedStatusRequest*,
                                             v1::GetFeedStatusResponse* resp) {
  return core_.guard().Run(ctx, "GetFeedStatus", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "feeds";
    return core_.db().Read([&](soci::session& s) -> absl::Status {
      for (auto& p : Positions(s)) *resp->add_feeds() = p;
      return absl::OkStatus();
    });
  });
}

grpc::Status ReportingService::ListAuditRecords(grpc::ServerContext* ctx,
                                                const common::v1::ListAuditRecordsRequest* req,
                                                common::v1::ListAuditRecordsResponse* resp) {
  return core_.ListAuditRecords(ctx, req, resp);
}

}  // namespace ips::reporting
