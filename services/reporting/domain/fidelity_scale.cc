#include "services/reporting/domain/fidelity_scale.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ips::reporting {
namespace {

// The items whose questions are about data the suite holds: caseload,
// vocational generalist, integration with treatment, zero exclusion,
// benefits counselling, disclosure, rapid job search, job development,
// diversity of job types and of employers, competitive jobs, follow-along,
// community-based services, assertive engagement.
constexpr std::array<int, 14> kMeasured = {1, 3, 4, 9, 12, 13, 15, 17, 19, 20, 21, 23, 24, 25};

absl::Status Bad(int item, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat("fidelity scale item ", item, ": ", rule));
}

}  // namespace

int ScoreOn(const FidelityAnchors& anchors, double value) {
  int score = 1;
  for (double bound : anchors.bounds) {
    if (anchors.higher_is_better ? value >= bound : value <= bound) ++score;
  }
  return score;
}

bool MeasuredFromData(int number) {
  return std::find(kMeasured.begin(), kMeasured.end(), number) != kMeasured.end();
}

absl::Status ValidateScale(const FidelityScale& scale) {
  if (scale.items.size() != static_cast<size_t>(kFidelityItems)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fidelity scale: has ", scale.items.size(), " items; the scale has ", kFidelityItems));
  }
  for (size_t i = 0; i < scale.items.size(); ++i) {
    const FidelityItem& item = scale.items[i];
    const int want = static_cast<int>(i) + 1;
    if (item.number != want)
      return Bad(want, absl::StrCat("found item ", item.number, " in its place (items go 1 to 25 in order)"));
    if (item.title.empty()) return Bad(want, "title must not be empty");
    if (MeasuredFromData(want) != item.anchors.has_value()) {
      return Bad(want, MeasuredFromData(want) ? "the data answer this item: it needs anchors"
                                              : "the reviewers rate this item: it takes no anchors");
    }
    if (!item.anchors) continue;
    if (item.measure.empty()) return Bad(want, "measure must say what is measured");
    if (item.reference.empty()) return Bad(want, "reference must say where the anchors come from");
    const auto& b = item.anchors->bounds;
    for (size_t k = 1; k < b.size(); ++k) {
      const bool ordered = item.anchors->higher_is_better ? b[k] > b[k - 1] : b[k] < b[k - 1];
      if (!ordered) {
        return Bad(want, item.anchors->higher_is_better
                             ? "bounds must rise from score 2 to score 5 (higher is better)"
                             : "bounds must fall from score 2 to score 5 (lower is better)");
      }
    }
  }
  const int lo = kFidelityItems, hi = 5 * kFidelityItems;
  if (!(hi >= scale.exemplary_from && scale.exemplary_from > scale.good_from &&
        scale.good_from > scale.fair_from && scale.fair_from > lo)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fidelity scale: bands must fall from exemplary to fair within ", lo + 1, "..", hi));
  }
  return absl::OkStatus();
}

std::string BandOfTotal(const FidelityScale& scale, int total) {
  if (total >= scale.exemplary_from) return "exemplary";
  if (total >= scale.good_from) return "good";
  if (total >= scale.fair_from) return "fair";
  return "not IPS";
}

}  // namespace ips::reporting
