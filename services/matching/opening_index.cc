#include "services/matching/opening_index.h"

#include "services/matching/match_conversion.h"
#include "services/matching/resource_names.h"

namespace ips::matching {

absl::StatusOr<std::shared_ptr<const OpeningIndex::Snapshot>> OpeningIndex::Current(Database& db) {
  std::lock_guard lock(mu_);
  auto fresh = std::make_shared<Snapshot>();
  bool reload = false;
  auto status = db.Read([&](soci::session& s) -> absl::Status {
    // The counter first: rows read after it are at least as new.
    fresh->generation = OpeningsGeneration(s);
    reload = !snapshot_ || snapshot_->generation != fresh->generation;
    if (!reload) return absl::OkStatus();
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
  if (reload) {
    fresh->openings.reserve(fresh->rows.size());
    for (const auto& r : fresh->rows) fresh->openings.push_back(ToDomain(r));
    snapshot_ = std::move(fresh);
  }
  return snapshot_;
}

}  // namespace ips::matching
