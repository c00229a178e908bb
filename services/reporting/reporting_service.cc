#include "services/reporting/reporting_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/violations.h"
#include "services/reporting/export_parts.h"
#include "services/reporting/fidelity_export.h"
#include "services/reporting/fidelity_review_builder.h"
#include "services/reporting/fidelity_scale_json.h"
#include "services/reporting/report_export.h"
#include "services/reporting/reporting_config.h"
#include "services/reporting/reporting_schema.h"

namespace ips::reporting {
namespace {

// A rendered export: `stem`.csv or `stem`.html with its content type.
v1::ExportedReport Exported(bool csv, const std::string& stem, std::string content) {
  v1::ExportedReport out;
  out.set_content_type(csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8");
  out.set_filename(stem + (csv ? ".csv" : ".html"));
  out.set_content(std::move(content));
  return out;
}

}  // namespace

ReportingService::ReportingService(ServiceCore& core, const CommittedFacts& facts, ReportConfig config,
                                   std::vector<const FeedFollower*> feeds, std::optional<FidelityScale> scale)
    : AuditedService(core, ReportingSubjectData()),
      facts_(facts),
      config_(config),
      // The built-in scale is checked by its test; value() cannot throw.
      scale_(scale ? std::move(*scale) : ParseFidelityScale(DefaultFidelityScaleJson()).value()),
      feeds_(std::move(feeds)) {}

std::vector<v1::FeedPosition> ReportingService::Positions(
    const std::map<std::string, long long>& cursors) const {
  std::vector<v1::FeedPosition> out;
  for (const char* source : {"registry", "matching", "treatment"}) {
    v1::FeedPosition p;
    p.set_source(source);
    p.set_applied_sequence(cursors.count(source) ? cursors.at(source) : 0);
    for (const auto* f : feeds_) {
      if (f->source() == source) p.set_connected(f->connected());
    }
    out.push_back(p);
  }
  return out;
}

absl::Status ReportingService::Build(const google::type::Date& as_of, const google::type::Date& period_start,
                                     v1::ProgrammeReport* out) {
  Violations v;
  // Reports may look a year ahead (a planning view of running courses).
  auto day = v.BusinessDate(as_of, "as_of", false, 366);
  auto start = v.BusinessDate(period_start, "period_start", false, 366);
  if (!v.empty()) return v.status();
  const absl::CivilDay to = day.value_or(TodayInCopenhagen());
  const absl::CivilDay from = start.value_or(to - 364);
  if (from > to) return errors::InvalidArgument("period_start", "must be on or before as_of");
  auto judged = facts_.CoursesAsOf(to, from);
  if (!judged.ok()) return judged.status();
  *out = BuildReport(judged->facts, to, from, config_);
  for (auto& p : Positions(judged->cursors)) *out->add_feeds() = p;
  return absl::OkStatus();
}

grpc::Status ReportingService::GetProgrammeReport(grpc::ServerContext* ctx,
                                                  const v1::GetProgrammeReportRequest* req,
                                                  v1::ProgrammeReport* resp) {
  return core_.guard().Run(ctx, "GetProgrammeReport", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "programmeReport";
    return Build(req->as_of(), req->period_start(), resp);
  });
}

grpc::Status ReportingService::ExportProgrammeReport(grpc::ServerContext* ctx,
                                                     const v1::ExportProgrammeReportRequest* req,
                                                     v1::ExportedReport* resp) {
  return core_.guard().Run(ctx, "ExportProgrammeReport", [&](const Caller&, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Enum(req->format(), v1::ExportFormat_IsValid, "format", true);
    if (!v.empty()) return v.status();
    rec.resource = "programmeReport:export";
    v1::ProgrammeReport report;
    if (auto s = Build(req->as_of(), req->period_start(), &report); !s.ok()) return s;
    const bool csv = req->format() == v1::EXPORT_FORMAT_CSV;
    *resp = Exported(csv, absl::StrCat("ips-report-", Day(report.as_of())),
                     csv ? ReportCsv(report) : ReportHtml(report));
    return absl::OkStatus();
  });
}

absl::Status ReportingService::Review(const google::type::Date& period_end,
                                      const google::type::Date& period_start,
                                      const google::protobuf::Map<int32_t, int32_t>& reviewer_scores,
                                      v1::FidelityReview* out) {
  Violations v;
  auto end = v.BusinessDate(period_end, "period_end", false, 366);
  auto start = v.BusinessDate(period_start, "period_start", false, 366);
  // In item order: a proto map's order is unspecified.
  const std::map<int, int> reviewers(reviewer_scores.begin(), reviewer_scores.end());
  for (const auto& [number, score] : reviewers) {
    if (auto problem = ReviewerScoreProblem(number, score)) {
      v.Add(absl::StrCat("reviewer_scores[", number, "]"), *problem);
    }
  }
  if (!v.empty()) return v.status();
  FidelityPeriod period;
  period.last = end.value_or(TodayInCopenhagen());
  period.first = start.value_or(period.last - 364);
  if (period.first > period.last)
    return errors::InvalidArgument("period_start", "must be on or before period_end");
  auto snapshot = facts_.FidelityFactsOf(period);
  if (!snapshot.ok()) return snapshot.status();
  auto review = ReviewFidelity(scale_, snapshot->input.facts, period, reviewers);
  if (!review.ok()) return review.status();
  *out = PublishFidelityReview(scale_, *review, snapshot->input.fed_items, period,
                               config_.suppression_threshold);
  for (auto& p : Positions(snapshot->cursors)) *out->add_feeds() = p;
  return absl::OkStatus();
}

grpc::Status ReportingService::GetFidelityReview(grpc::ServerContext* ctx,
                                                 const v1::GetFidelityReviewRequest* req,
                                                 v1::FidelityReview* resp) {
  return core_.guard().Run(ctx, "GetFidelityReview", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "fidelityReview";
    return Review(req->period_end(), req->period_start(), req->reviewer_scores(), resp);
  });
}

grpc::Status ReportingService::ExportFidelityReview(grpc::ServerContext* ctx,
                                                    const v1::ExportFidelityReviewRequest* req,
                                                    v1::ExportedReport* resp) {
  return core_.guard().Run(ctx, "ExportFidelityReview", [&](const Caller&, CallRecord& rec) -> absl::Status {
    Violations v;
    v.Enum(req->format(), v1::ExportFormat_IsValid, "format", true);
    if (!v.empty()) return v.status();
    rec.resource = "fidelityReview:export";
    v1::FidelityReview review;
    if (auto s = Review(req->period_end(), req->period_start(), req->reviewer_scores(), &review); !s.ok())
      return s;
    const bool csv = req->format() == v1::EXPORT_FORMAT_CSV;
    *resp = Exported(csv, absl::StrCat("ips-fidelity-", Day(review.period_end())),
                     csv ? FidelityCsv(review) : FidelityHtml(review));
    return absl::OkStatus();
  });
}

grpc::Status ReportingService::GetFeedStatus(grpc::ServerContext* ctx, const v1::GetFeedStatusRequest*,
                                             v1::GetFeedStatusResponse* resp) {
  return core_.guard().Run(ctx, "GetFeedStatus", [&](const Caller&, CallRecord& rec) -> absl::Status {
    rec.resource = "feeds";
    for (auto& p : Positions(facts_.Cursors())) *resp->add_feeds() = p;
    return absl::OkStatus();
  });
}

}  // namespace ips::reporting
