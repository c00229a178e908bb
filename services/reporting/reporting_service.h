#pragma once

#include <optional>
#include <vector>

#include "ips/reporting/v1/reporting_service.grpc.pb.h"
#include "services/common/common_rpcs.h"
#include "services/reporting/domain/fidelity_scale.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/report_builder.h"

namespace ips::reporting {

// ReportingService implements ips.reporting.v1.Reporting over the facts
// the feed followers keep (committed_facts.h). Reports are computed on each
// call from every fact, as of the cursors shown with them.
class ReportingService final : public AuditedService<v1::Reporting::Service> {
 public:
  // `scale` is the fidelity scale the reviews score on; unset, the built-in
  // one (fidelity_scale.json).
  ReportingService(ServiceCore& core, const CommittedFacts& facts, ReportConfig config,
                   std::vector<const FeedFollower*> feeds, std::optional<FidelityScale> scale = std::nullopt);

  grpc::Status GetProgrammeReport(grpc::ServerContext*, const v1::GetProgrammeReportRequest*,
                                  v1::ProgrammeReport*) override;
  grpc::Status ExportProgrammeReport(grpc::ServerContext*, const v1::ExportProgrammeReportRequest*,
                                     v1::ExportedReport*) override;
  grpc::Status GetFidelityReview(grpc::ServerContext*, const v1::GetFidelityReviewRequest*,
                                 v1::FidelityReview*) override;
  grpc::Status ExportFidelityReview(grpc::ServerContext*, const v1::ExportFidelityReviewRequest*,
                                    v1::ExportedReport*) override;
  grpc::Status GetFeedStatus(grpc::ServerContext*, const v1::GetFeedStatusRequest*,
                             v1::GetFeedStatusResponse*) override;

 private:
  // The report for the requested days (unset: today, and the year before),
  // or INVALID_ARGUMENT naming the date.
  absl::Status Build(const google::type::Date& as_of, const google::type::Date& period_start,
                     v1::ProgrammeReport* out);
  // The fidelity review for the requested days (unset: today, and the year
  // before) with the reviewers' scores, or INVALID_ARGUMENT naming the
  // date or score.
  absl::Status Review(const google::type::Date& period_end, const google::type::Date& period_start,
                      const google::protobuf::Map<int32_t, int32_t>& reviewer_scores,
                      v1::FidelityReview* out);
  // Each feed's applied cursor, and whether its follower is connected.
  std::vector<v1::FeedPosition> Positions(const std::map<std::string, long long>& cursors) const;

  const CommittedFacts& facts_;
  ReportConfig config_;
  FidelityScale scale_;
  std::vector<const FeedFollower*> feeds_;
};

}  // namespace ips::reporting
