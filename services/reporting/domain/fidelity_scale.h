#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace ips::reporting {

// The IPS Supported Employment Fidelity Scale (IPS Employment Center; the
// Fidelity Review Manual, 4th ed., 2019): 25 items, each scored 1 to 5.
// The scale itself is data (fidelity_scale.json, replaceable by
// --fidelity_scale): the items, each measured item's anchors and where the
// anchors come from. The code holds only what each measured item measures
// (fidelity_measures.h); which items those are is fixed here.
inline constexpr int kFidelityItems = 25;

// Where an item's anchors come from, as the review shows it.
enum class AnchorSource {
  // The scale's own anchors, checked against a published text of the scale.
  kScaleChecked,
  // The scale's anchors as the team read them; not yet checked against the
  // manual's text (the review says so until someone has).
  kScaleUnchecked,
  // The scale's anchors are not numbers for what the suite can measure (they
  // describe practice); these thresholds are the programme's configuration.
  kConfigured,
};

// An item's anchors as bounds on its measure, for the scores 2, 3, 4 and 5
// in that order. Higher is better: the score is 1 plus the number of bounds
// the value reaches (value >= bound). Lower is better: 1 plus the number of
// bounds the value does not exceed (value <= bound). So the caseload item,
// lower is better with bounds {40, 30, 25, 20}, scores 20 as 5, 21 as 4 and
// 41 as 1.
struct FidelityAnchors {
  bool higher_is_better = true;
  std::array<double, 4> bounds{};
};

struct FidelityItem {
  int number = 0;       // 1..25, as the scale numbers them
  std::string title;    // "Caseload size"
  std::string measure;  // what the suite measures for it, with the unit
  // Set for the items the data answer, unset for those the reviewers rate
  // on site (agency focus, supervision, team meetings and the like).
  std::optional<FidelityAnchors> anchors;
  AnchorSource source = AnchorSource::kConfigured;
  std::string reference;  // where the anchors come from, for the reader
};

// The whole scale, in item order, and the total's bands.
struct FidelityScale {
  std::vector<FidelityItem> items;
  // The least total for "exemplary", "good" and "fair" fidelity; below the
  // last the programme is not IPS.
  int exemplary_from = 115, good_from = 100, fair_from = 74;
  std::string reference;  // the scale's edition
};

// The score of `value` on `anchors`: 1 to 5.
int ScoreOn(const FidelityAnchors& anchors, double value);

// Whether the data answer item `number` (fidelity_measures.h measures it).
bool MeasuredFromData(int number);

// A scale the review can use: items 1..25 once each, in order, with a
// title; anchors exactly on the items the data answer, with bounds that
// rise (higher is better) or fall (lower is better) and a reference; bands
// that fall from exemplary to fair within 25..125. The error names the
// item and the rule.
absl::Status ValidateScale(const FidelityScale& scale);

// The band of a complete total: "exemplary", "good", "fair" or "not IPS".
std::string BandOfTotal(const FidelityScale& scale, int total);

}  // namespace ips::reporting
