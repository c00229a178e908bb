#include "services/reporting/fidelity_export.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/reporting/export_parts.h"

namespace ips::reporting {
namespace {

std::string RatingText(v1::FidelityRating r) {
  switch (r) {
    case v1::FIDELITY_RATING_FROM_DATA:
      return "from the data";
    case v1::FIDELITY_RATING_BY_REVIEWERS:
      return "rated by the reviewers";
    case v1::FIDELITY_RATING_NOT_YET_FED:
      return "not yet in the feeds";
    default:
      return "";
  }
}

std::string ScoreText(int score) { return score > 0 ? std::to_string(score) : ""; }

// "5 = ≤ 20, 4 = ≤ 25, ..." from the bounds for the scores 2..5.
std::string AnchorsText(const v1::FidelityAnchors& a) {
  if (a.bounds_size() == 0) return "";
  std::vector<std::string> parts;
  for (int k = a.bounds_size() - 1; k >= 0; --k) {
    parts.push_back(absl::StrFormat("%d: %s %g", k + 2, a.higher_is_better() ? "≥" : "≤", a.bounds(k)));
  }
  return absl::StrJoin(parts, ", ");
}

// What the chart says of an unscored item.
std::string Unscored(const v1::FidelityItemReview& item) {
  if (item.rating() == v1::FIDELITY_RATING_NOT_YET_FED) return "not yet in the feeds";
  if (item.rating() == v1::FIDELITY_RATING_BY_REVIEWERS) return "awaiting the reviewers";
  if (item.suppressed()) return "withheld (few citizens)";
  return "no data in the period";
}

}  // namespace

std::string FidelityCsv(const v1::FidelityReview& r) {
  std::string out = CsvRow({"section", "item", "title", "rating", "score", "value", "anchor source"});
  for (const auto& item : r.items()) {
    out += CsvRow({"item", std::to_string(item.number()), item.title(), RatingText(item.rating()),
                   ScoreText(item.score()), item.value(), item.anchors().source()});
    for (const auto& c : item.consultants()) {
      out += CsvRow({"consultant", std::to_string(item.number()), c.consultant_id(), "", ScoreText(c.score()),
                     c.value(), ""});
    }
  }
  out += CsvRow({"total", "", "scored items", "", std::to_string(r.scored_total()),
                 absl::StrCat(r.items_scored(), " of 25 items scored"), r.band()});
  return out;
}

std::string FidelityHtml(const v1::FidelityReview& r) {
  std::vector<Bar> bars;
  for (const auto& item : r.items()) {
    Bar b{absl::StrCat(item.number(), " ", item.title()), std::nullopt, Unscored(item)};
    if (item.score() > 0) {
      b.value = item.score();
      b.text = std::to_string(item.score());
    }
    bars.push_back(b);
  }
  std::string body =
      BarChart("Score per item (1 to 5); the line marks 4, good practice", bars, 5, {{4, "4"}});

  absl::StrAppend(&body,
                  "<table>\n<thead><tr><th>Item</th><th>Scored</th><th>Score</th><th>Figure</th>"
                  "<th>Anchors</th><th>Source</th></tr></thead>\n<tbody>\n");
  for (const auto& item : r.items()) {
    absl::StrAppend(
        &body,
        absl::StrFormat("<tr><td>%d %s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                        item.number(), Html(item.title()), Html(RatingText(item.rating())),
                        ScoreText(item.score()), Html(item.value()), Html(AnchorsText(item.anchors())),
                        Html(item.anchors().source())));
  }
  absl::StrAppend(&body, "</tbody>\n</table>\n");

  absl::StrAppend(&body,
                  "<table>\n<thead><tr><th>Item</th><th>Consultant</th><th>Figure</th><th>Score</th></tr>"
                  "</thead>\n<tbody>\n");
  for (const auto& item : r.items()) {
    for (const auto& c : item.consultants()) {
      absl::StrAppend(
          &body, absl::StrFormat("<tr><td>%d %s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", item.number(),
                                 Html(item.title()), Html(c.consultant_id().substr(0, 8)), Html(c.value()),
                                 ScoreText(c.score())));
    }
  }
  absl::StrAppend(&body, "</tbody>\n</table>\n");

  const std::string total = r.total() > 0
                                ? absl::StrCat("Total ", r.total(), " of 125: ", Html(r.band()), ". ")
                                : absl::StrCat(r.items_scored(), " of 25 items scored, ", r.scored_total(),
                                               " points; the total needs all 25. ");
  return HtmlPage(
      absl::StrCat("IPS Sydhavnen fidelity review ", Day(r.period_start()), " to ", Day(r.period_end())),
      "IPS Sydhavnen: fidelity review",
      absl::StrCat("The IPS Supported Employment Fidelity Scale over ", Day(r.period_start()), " to ",
                   Day(r.period_end()), ". ", total, "Figures resting on fewer than ",
                   r.suppression_threshold(),
                   " citizens are withheld with their score. Scale: ", Html(r.scale_edition()), "."),
      body);
}

}  // namespace ips::reporting
