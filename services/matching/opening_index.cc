#include "services/matching/opening_index.h"

#include "services/matching/match_conversion.h"
#include "services/matching/resource_names.h"

namespace ips::matching {

std::shared_ptr<const OpeningIndex::Snapshot> OpeningIndex::IfAt(long long generation) {
  std::lock_guard lock(snapshot_mu_);
  if (snapshot_ && snapshot_->generation == generation) return snapshot_;
  return nullptr;
}

absl::StatusOr<std::shared_ptr<const OpeningIndex::Snapshot>> OpeningIndex::Current(Database& db) {
  long long generation = 0;
  auto read = db.Read([&](soci::session& s) -> absl::Status {
    generation = OpeningsGeneration(s);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (auto current = IfAt(generation)) return current;

  std::lock_guard reload(reload_mu_);
  // Another call may have reloaded while this one waited.
  if (auto current = IfAt(generation)) return current;
  auto fresh = std::make_shared<Snapshot>();
  auto status = db.Read([&](soci::session& s) -> absl::Status {
    // The counter again, first: rows read after it are at least as new.
    fresh->generation = OpeningsGeneration(s);
    OpeningFilter open;
    open.state = v1::OPENING_STATE_OPEN;
    std::string after;
    constexpr int kPage = 5000;
    while (true) {
      auto page = SelectOpenings(s, open, after, kPage);
      for (auto& r : page) fresh->rows.push_back(std::move(r));
      if (static_cast<int>(page.size()) < kPage) break;
      after = LastSegment(fresh->rows.back().opening.name());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  fresh->openings.reserve(fresh->rows.size());
  for (const auto& r : fresh->rows) fresh->openings.push_back(ToDomain(r));
  std::lock_guard lock(snapshot_mu_);
  snapshot_ = fresh;
  return snapshot_;
}

}  // namespace ips::matching
