#include "services/reporting/fidelity_review_builder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/dates.h"
#include "services/reporting/domain/published.h"
#include "services/reporting/fidelity_scale_json.h"

namespace ips::reporting {
namespace {

// The unit a plain (not share) figure is shown in.
std::string Plain(int item, double value) {
  switch (item) {
    case 1:
      return absl::StrFormat("%.1f courses", value);
    case 15:
      return absl::StrFormat("%.0f days", value);
    case 17:
      return absl::StrFormat("%.1f a week", value);
    default:
      return absl::StrFormat("%g", value);
  }
}

// One figure as shown, with its score, for an item or a consultant's row.
struct Figure {
  std::string text;
  bool suppressed = false;
  std::optional<double> number;
  std::optional<int> score;
};

Figure Show(int item, const Measured& m, std::optional<int> score, long long threshold) {
  Figure f;
  if (!m.value) return f;
  if (m.citizens > 0 && m.citizens < threshold) {
    f.text = absl::StrCat(ShowPlain(m.citizens, threshold), " citizens");
    f.suppressed = true;
    return f;
  }
  f.score = score;
  if (m.share) {
    const Shown shown = ShowShare(*m.share, threshold);
    f.text = shown.text;
    f.suppressed = shown.suppressed;
    f.number = shown.percent;
    // A score narrows the share it is read from: with "suppressed of 6",
    // a 4 (80% or more, not 90%) would say 5 of 6.
    if (shown.suppressed) f.score.reset();
  } else {
    f.text = Plain(item, *m.value);
    f.number = m.value;
  }
  return f;
}

}  // namespace

v1::FidelityReview PublishFidelityReview(const FidelityScale& scale, const FidelityReview& review,
                                         const std::set<int>& fed_items, const FidelityPeriod& period,
                                         long long threshold) {
  v1::FidelityReview out;
  *out.mutable_period_start() = ToProtoDate(period.first);
  *out.mutable_period_end() = ToProtoDate(period.last);
  out.set_scale_edition(scale.reference);
  out.set_suppression_threshold(static_cast<int>(threshold));
  int scored = 0, total = 0;
  for (size_t i = 0; i < scale.items.size() && i < review.items.size(); ++i) {
    const FidelityItem& item = scale.items[i];
    const ReviewedItem& reviewed = review.items[i];
    v1::FidelityItemReview* r = out.add_items();
    r->set_number(item.number);
    r->set_title(item.title);
    if (!item.anchors) {
      r->set_rating(v1::FIDELITY_RATING_BY_REVIEWERS);
      if (reviewed.score) r->set_score(*reviewed.score);
    } else {
      r->set_measure(item.measure);
      auto* a = r->mutable_anchors();
      a->set_higher_is_better(item.anchors->higher_is_better);
      for (double b : item.anchors->bounds) a->add_bounds(b);
      a->set_source(SourceName(item.source));
      a->set_reference(item.reference);
      if (!fed_items.count(item.number)) {
        r->set_rating(v1::FIDELITY_RATING_NOT_YET_FED);
        continue;
      }
      r->set_rating(v1::FIDELITY_RATING_FROM_DATA);
      const Figure f = Show(item.number, reviewed.programme, reviewed.score, threshold);
      r->set_value(f.text);
      r->set_suppressed(f.suppressed);
      if (f.number) r->set_value_number(*f.number);
      if (f.score) r->set_score(*f.score);
      if (!f.suppressed) r->set_citizens(reviewed.programme.citizens);
      for (const auto& c : reviewed.consultants) {
        const Figure cf = Show(item.number, c.measured, c.score, threshold);
        auto* row = r->add_consultants();
        row->set_consultant_id(c.consultant_id);
        row->set_value(cf.text);
        row->set_suppressed(cf.suppressed);
        if (cf.number) row->set_value_number(*cf.number);
        if (cf.score) row->set_score(*cf.score);
      }
    }
    if (r->score() > 0) {
      ++scored;
      total += r->score();
    }
  }
  out.set_items_scored(scored);
  out.set_scored_total(total);
  if (scored == kFidelityItems) {
    out.set_total(total);
    out.set_band(BandOfTotal(scale, total));
  }
  return out;
}

}  // namespace ips::reporting
