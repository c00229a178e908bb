#include "services/common/subject_erasure.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/audit_log.h"
#include "services/common/dates.h"
#include "services/common/errors.h"
#include "services/common/json_log.h"
#include "services/common/prepared.h"
#include "services/common/resource_name.h"

namespace ips {
namespace {

constexpr char kNotErased[] =
    " WHERE NOT EXISTS (SELECT 1 FROM erasures x WHERE x.citizen_id = h.citizen_id)";

SubjectHistory HistoryOf(long long open, const std::string& last_date, long long last_micros) {
  SubjectHistory h;
  h.open = open > 0;
  // The retention period runs from the business date things ended (a
  // course's end, recorded perhaps days later); only with no such date (a
  // citizen registered but never enrolled) from the day of the last change.
  const auto recorded = ParseDay(last_date);
  h.last_day = recorded ? *recorded : DayInCopenhagen(absl::FromUnixMicros(last_micros));
  return h;
}

// The retention history of one citizen not yet erased, or nullopt when the
// service holds nothing about them.
std::optional<SubjectHistory> HistoryFor(soci::session& s, const ErasurePlan& plan,
                                         const std::string& citizen_id) {
  soci::indicator known = soci::i_null;
  std::string id, last_date;
  long long open = 0, last_micros = 0;
  s << "SELECT h.citizen_id, h.open, h.last_date, h.last_micros FROM (" << plan.history_sql << ") h"
    << kNotErased << " AND h.citizen_id = :c",
      soci::use(citizen_id), soci::into(id, known), soci::into(open), soci::into(last_date),
      soci::into(last_micros);
  if (known != soci::i_ok) return std::nullopt;
  return HistoryOf(open, last_date, last_micros);
}

void FillTime(int64_t micros, common::v1::SubjectErasure& e) {
  e.mutable_erase_time()->set_seconds(micros / 1000000);
  e.mutable_erase_time()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
}

}  // namespace

bool IsErased(soci::session& s, const std::string& citizen_id) {
  int n = 0;
  RunKept(s, "SELECT COUNT(*) FROM erasures WHERE citizen_id = :c", soci::use(citizen_id), soci::into(n));
  return n > 0;
}

std::vector<std::pair<std::string, SubjectHistory>> RetentionHistories(soci::session& s,
                                                                       const ErasurePlan& plan) {
  std::string id, last_date;
  long long open = 0, last_micros = 0;
  soci::statement st = (s.prepare << "SELECT h.citizen_id, h.open, h.last_date, h.last_micros FROM ("
                                  << plan.history_sql << ") h" << kNotErased << " ORDER BY h.citizen_id",
                        soci::into(id), soci::into(open), soci::into(last_date), soci::into(last_micros));
  st.execute();
  std::vector<std::pair<std::string, SubjectHistory>> out;
  while (st.fetch()) out.emplace_back(id, HistoryOf(open, last_date, last_micros));
  return out;
}

absl::StatusOr<common::v1::SubjectErasure> EraseInTransaction(soci::session& s, const ErasurePlan& plan,
                                                              const std::string& citizen_id,
                                                              common::v1::ErasureReason reason,
                                                              bool validate_only) {
  common::v1::SubjectErasure erasure;
  erasure.set_citizen(absl::StrCat("citizens/", citizen_id));
  {
    long long micros = 0;
    int stored_reason = 0, rows = 0;
    soci::indicator found = soci::i_null;
    s << "SELECT erase_micros, reason, row_count FROM erasures WHERE citizen_id = :c", soci::use(citizen_id),
        soci::into(micros, found), soci::into(stored_reason), soci::into(rows);
    if (found == soci::i_ok) {
      FillTime(micros, erasure);
      erasure.set_reason(static_cast<common::v1::ErasureReason>(stored_reason));
      erasure.set_row_count(rows);
      erasure.set_already_erased(true);
      return erasure;
    }
  }
  const auto history = HistoryFor(s, plan, citizen_id);
  if (!history && plan.registers_citizens) return errors::NotFound(erasure.citizen());
  if (history && !ErasureAllowed(*history)) {
    return errors::FailedPrecondition(
        "the citizen's data is still needed for something running",
        {{plan.open_rule, erasure.citizen(), "erasure is possible once it has ended"}});
  }
  if (validate_only) {
    erasure.set_reason(reason);
    return erasure;
  }
  int rows = 0;
  for (const auto& sql : plan.statements) {
    soci::statement st = (s.prepare << sql, soci::use(citizen_id, "subject"));
    st.execute(true);
    rows += static_cast<int>(st.get_affected_rows());
  }
  const long long now = NowMicros();
  const int stored_reason = reason;
  s << "INSERT INTO erasures (citizen_id, erase_micros, reason, row_count) VALUES (:c, :t, :r, :n)",
      soci::use(citizen_id), soci::use(now), soci::use(stored_reason), soci::use(rows);
  FillTime(now, erasure);
  erasure.set_reason(reason);
  erasure.set_row_count(rows);
  return erasure;
}

grpc::Status EraseSubjectData(ServiceCore& core, const std::string& service_name, grpc::ServerContext* ctx,
                              const common::v1::EraseSubjectDataRequest* req,
                              common::v1::SubjectErasure* resp, const ErasurePlan& plan) {
  return core.guard().Run(
      ctx, "EraseSubjectData", [&](const Caller& caller, CallRecord& rec) -> absl::Status {
        auto id = ParseTopLevelName(req->citizen(), "citizens", "citizen");
        if (!id.ok()) return id.status();
        rec.citizen_id = *id;
        rec.resource = req->citizen();
        absl::Status status = core.db().Write([&](soci::session& s) -> absl::Status {
          auto erasure =
              EraseInTransaction(s, plan, *id, common::v1::ERASURE_REASON_REQUEST, req->validate_only());
          if (!erasure.ok()) return erasure.status();
          *resp = *std::move(erasure);
          resp->set_service(service_name);
          if (resp->already_erased()) {
            rec.note = "already erased";
          } else if (req->validate_only()) {
            rec.note = "erasure allowed (validated only)";
          } else {
            rec.note = absl::StrCat("erased on request: ", resp->row_count(), " rows");
          }
          AuditLog::AppendInTransaction(s, {caller.subject, caller.agency, caller.service, rec.method,
                                            rec.resource, rec.citizen_id, "OK", rec.note});
          return absl::OkStatus();
        });
        if (status.ok()) rec.audited = true;
        return status;
      });
}

RetentionSweeper::RetentionSweeper(ServiceCore& core, std::string service_name, ErasurePlan plan,
                                   int retention_days)
    : core_(core),
      service_name_(std::move(service_name)),
      plan_(std::move(plan)),
      retention_days_(retention_days) {}

RetentionSweeper::~RetentionSweeper() { Stop(); }

void RetentionSweeper::Start(absl::Duration interval) {
  if (interval <= absl::ZeroDuration() || thread_.joinable()) return;
  thread_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto erased = SweepOnce(TodayInCopenhagen());
      if (!erased.ok()) {
        LogWarn("retention_sweep_failed", {{"error", std::string(erased.status().message())}});
      } else if (*erased > 0) {
        LogInfo("retention_sweep", {{"erased", *erased}, {"retention_days", retention_days_}});
      }
      lock.lock();
      cv_.wait_for(lock, absl::ToChronoSeconds(interval), [this] { return stopping_; });
    }
  });
}

void RetentionSweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> RetentionSweeper::SweepOnce(absl::CivilDay today) {
  std::vector<std::string> due;
  absl::Status read = core_.db().Read([&](soci::session& s) {
    for (const auto& [id, history] : RetentionHistories(s, plan_)) {
      if (PastRetention(history, today, retention_days_)) due.push_back(id);
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  int erased = 0;
  absl::Status last_error = absl::OkStatus();
  for (const auto& id : due) {
    // Judged again inside the write: a course may have started since.
    absl::Status status = core_.db().Write([&](soci::session& s) -> absl::Status {
      const auto history = HistoryFor(s, plan_, id);
      if (!history || !PastRetention(*history, today, retention_days_)) return absl::OkStatus();
      auto erasure = EraseInTransaction(s, plan_, id, common::v1::ERASURE_REASON_RETENTION);
      if (!erasure.ok()) return erasure.status();
      AuditLog::AppendInTransaction(
          s, {"retention-sweep", "", "", absl::StrCat("/", service_name_, "/RetentionSweep"),
              erasure->citizen(), id, "OK",
              absl::StrCat("erased after ", retention_days_, " days of retention: ", erasure->row_count(),
                           " rows")});
      ++erased;
      return absl::OkStatus();
    });
    if (!status.ok()) {
      LogWarn("retention_erasure_failed", {{"error", std::string(status.message())}});
      last_error = status;
    }
  }
  if (!last_error.ok() && erased == 0) return last_error;
  return erased;
}

}  // namespace ips
