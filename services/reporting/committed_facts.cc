#include "services/reporting/committed_facts.h"

#include <mutex>

#include "services/reporting/fact_store.h"

namespace ips::reporting {

absl::Status CommittedFacts::Load() {
  std::unique_lock lock(mu_);
  return ReloadLocked();
}

absl::Status CommittedFacts::ReloadLocked() {
  FactsInMemory loaded;
  auto read = db_.Read([&](soci::session& s) {
    LoadFactsInMemory(s, loaded);
    return absl::OkStatus();
  });
  if (!read.ok()) {
    reload_needed_ = true;
    return read;
  }
  facts_ = std::move(loaded);
  reload_needed_ = false;
  return absl::OkStatus();
}

absl::StatusOr<long long> CommittedFacts::ApplyBatch(const std::string& source,
                                                     const std::vector<common::v1::Event>& events) {
  std::unique_lock lock(mu_);
  if (reload_needed_) {
    if (auto s = ReloadLocked(); !s.ok()) return s;
  }
  for (const auto& e : events) facts_.Apply(source, e);
  const FactsInMemory::Changes changes = facts_.TakeChanges();
  auto written = db_.Write([&](soci::session& s) {
    SaveChanges(s, facts_, changes);
    return absl::OkStatus();
  });
  if (!written.ok()) {
    // Memory is ahead of what was committed: read it back.
    (void)ReloadLocked();
    return written;
  }
  return facts_.Applied(source);
}

absl::StatusOr<CommittedFacts::Snapshot> CommittedFacts::CoursesAsOf(absl::CivilDay as_of,
                                                                     absl::CivilDay period_start) const {
  std::shared_lock lock(mu_);
  if (reload_needed_) {
    return absl::UnavailableError("reporting is reading its facts back after a failed write; try again");
  }
  Snapshot out;
  out.facts = facts_.CoursesAsOf(as_of, period_start);
  out.cursors = facts_.cursors();
  return out;
}

absl::StatusOr<CommittedFacts::FidelitySnapshot> CommittedFacts::FidelityFactsOf(
    const FidelityPeriod& period) const {
  std::shared_lock lock(mu_);
  if (reload_needed_) {
    return absl::UnavailableError("reporting is reading its facts back after a failed write; try again");
  }
  FidelitySnapshot out;
  out.input = facts_.FidelityFactsOf(period);
  out.cursors = facts_.cursors();
  return out;
}

std::map<std::string, long long> CommittedFacts::Cursors() const {
  std::shared_lock lock(mu_);
  return facts_.cursors();
}

long long CommittedFacts::Applied(const std::string& source) const {
  std::shared_lock lock(mu_);
  return facts_.Applied(source);
}

}  // namespace ips::reporting
