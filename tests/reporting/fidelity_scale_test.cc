// The fidelity scale as shipped: each measured item scored at each of its
// anchor boundaries and just past it, and the scale file's rules.
#include "services/reporting/domain/fidelity_scale.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/reporting/fidelity_scale_json.h"
#include "services/reporting/reporting_config.h"

namespace ips::reporting {
namespace {

FidelityScale Shipped() {
  auto scale = ParseFidelityScale(DefaultFidelityScaleJson());
  EXPECT_TRUE(scale.ok()) << scale.status();
  return scale.ok() ? *scale : FidelityScale{};
}

int Score(const FidelityScale& s, int item, double value) {
  return ScoreOn(*s.items[item - 1].anchors, value);
}

TEST(FidelityScaleTest, TheShippedScaleHasAllTwentyFiveItemsAndTheDataAnswerFourteen) {
  const FidelityScale s = Shipped();
  ASSERT_EQ(s.items.size(), 25u);
  int measured = 0;
  for (const auto& item : s.items) measured += item.anchors ? 1 : 0;
  EXPECT_EQ(measured, 14);
  EXPECT_EQ(s.items[0].title, "Caseload size");
  EXPECT_EQ(s.items[0].source, AnchorSource::kScaleChecked);
  EXPECT_EQ(s.items[16].source, AnchorSource::kScaleUnchecked);
  EXPECT_EQ(s.items[2].source, AnchorSource::kConfigured);
  EXPECT_FALSE(s.items[1].anchors);  // employment services staff: the reviewers'
}

TEST(FidelityScaleTest, CaseloadScoresFiveAtTwentyAndOneFromFortyOne) {
  const FidelityScale s = Shipped();
  // 5 = 20 or fewer, 4 = 21-25, 3 = 26-30, 2 = 31-40, 1 = 41 or more.
  EXPECT_EQ(Score(s, 1, 12), 5);
  EXPECT_EQ(Score(s, 1, 20), 5);
  EXPECT_EQ(Score(s, 1, 20.5), 4);
  EXPECT_EQ(Score(s, 1, 25), 4);
  EXPECT_EQ(Score(s, 1, 26), 3);
  EXPECT_EQ(Score(s, 1, 30), 3);
  EXPECT_EQ(Score(s, 1, 31), 2);
  EXPECT_EQ(Score(s, 1, 40), 2);
  EXPECT_EQ(Score(s, 1, 41), 1);
}

TEST(FidelityScaleTest, RapidJobSearchScoresFiveWithinThirtyDays) {
  const FidelityScale s = Shipped();
  EXPECT_EQ(Score(s, 15, 30), 5);
  EXPECT_EQ(Score(s, 15, 31), 4);
  EXPECT_EQ(Score(s, 15, 60), 4);
  EXPECT_EQ(Score(s, 15, 61), 3);
  EXPECT_EQ(Score(s, 15, 150), 3);
  EXPECT_EQ(Score(s, 15, 151), 2);
  EXPECT_EQ(Score(s, 15, 270), 2);
  EXPECT_EQ(Score(s, 15, 271), 1);
}

TEST(FidelityScaleTest, JobDevelopmentScoresFiveFromSixContactsAWeek) {
  const FidelityScale s = Shipped();
  EXPECT_EQ(Score(s, 17, 6), 5);
  EXPECT_EQ(Score(s, 17, 5.9), 4);
  EXPECT_EQ(Score(s, 17, 5), 4);
  EXPECT_EQ(Score(s, 17, 4.9), 3);
  EXPECT_EQ(Score(s, 17, 4), 3);
  EXPECT_EQ(Score(s, 17, 3), 2);
  EXPECT_EQ(Score(s, 17, 2), 2);
  EXPECT_EQ(Score(s, 17, 1.9), 1);
}

// Every measured item: at each bound the score it opens, a hair on the
// wrong side the one below.
TEST(FidelityScaleTest, EveryMeasuredItemAtEachBoundAndJustPastIt) {
  const FidelityScale s = Shipped();
  for (const auto& item : s.items) {
    if (!item.anchors) continue;
    const auto& a = *item.anchors;
    for (int k = 0; k < 4; ++k) {
      const double worse = a.higher_is_better ? a.bounds[k] - 0.01 : a.bounds[k] + 0.01;
      EXPECT_EQ(ScoreOn(a, a.bounds[k]), k + 2) << "item " << item.number << " at " << a.bounds[k];
      EXPECT_EQ(ScoreOn(a, worse), k + 1) << "item " << item.number << " just past " << a.bounds[k];
    }
  }
  // And by hand, the percent items as the scale reads them.
  EXPECT_EQ(Score(s, 19, 85), 5);
  EXPECT_EQ(Score(s, 19, 84), 4);
  EXPECT_EQ(Score(s, 19, 49), 1);
  EXPECT_EQ(Score(s, 21, 95), 5);
  EXPECT_EQ(Score(s, 21, 64), 1);
  EXPECT_EQ(Score(s, 24, 10), 1);
  EXPECT_EQ(Score(s, 24, 11), 2);
  EXPECT_EQ(Score(s, 24, 65), 5);
  EXPECT_EQ(Score(s, 9, 0), 5);    // no one excluded
  EXPECT_EQ(Score(s, 9, 0.5), 4);  // anyone excluded costs the 5
  EXPECT_EQ(Score(s, 9, 31), 1);
}

TEST(FidelityScaleTest, TheTotalsBands) {
  const FidelityScale s = Shipped();
  EXPECT_EQ(BandOfTotal(s, 125), "exemplary");
  EXPECT_EQ(BandOfTotal(s, 115), "exemplary");
  EXPECT_EQ(BandOfTotal(s, 114), "good");
  EXPECT_EQ(BandOfTotal(s, 100), "good");
  EXPECT_EQ(BandOfTotal(s, 99), "fair");
  EXPECT_EQ(BandOfTotal(s, 74), "fair");
  EXPECT_EQ(BandOfTotal(s, 73), "not IPS");
}

TEST(FidelityScaleTest, ValidateNamesTheItemAndTheRule) {
  FidelityScale s = Shipped();
  FidelityScale bad = s;
  bad.items[0].anchors->bounds = {40, 30, 30, 20};
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale item 1: bounds must fall from score 2 to score 5 (lower is better)");
  bad = s;
  bad.items[18].anchors->bounds = {50, 70, 60, 85};
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale item 19: bounds must rise from score 2 to score 5 (higher is better)");
  bad = s;
  bad.items[1].anchors = FidelityAnchors{};
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale item 2: the reviewers rate this item: it takes no anchors");
  bad = s;
  bad.items[2].anchors.reset();
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale item 3: the data answer this item: it needs anchors");
  bad = s;
  std::swap(bad.items[3], bad.items[4]);
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale item 4: found item 5 in its place (items go 1 to 25 in order)");
  bad = s;
  bad.items.pop_back();
  EXPECT_EQ(ValidateScale(bad).message(), "fidelity scale: has 24 items; the scale has 25");
  bad = s;
  bad.good_from = 120;
  EXPECT_EQ(ValidateScale(bad).message(),
            "fidelity scale: bands must fall from exemplary to fair within 26..125");
}

TEST(FidelityScaleTest, TheFileIsRefusedWithTheItemAndTheRule) {
  using nlohmann::json;
  const json shipped = json::parse(DefaultFidelityScaleJson());
  auto with = [&](auto change) {
    json j = shipped;
    change(j);
    return std::string(ParseFidelityScale(j.dump()).status().message());
  };
  EXPECT_EQ(ParseFidelityScale("{").status().message(), "fidelity scale text: is not JSON");
  EXPECT_EQ(
      with([](json& j) { j["items"][0]["colour"] = "red"; }),
      "fidelity scale item 1: unknown key \"colour\" (allowed: better, bounds, measure, number, reference, "
      "source, title)");
  EXPECT_EQ(
      with([](json& j) { j["items"][0]["source"] = "folklore"; }),
      "fidelity scale item 1: source \"folklore\" is none of \"scale, checked\", \"scale, not yet checked\", "
      "\"configured\"");
  EXPECT_EQ(with([](json& j) {
              j["items"][0]["bounds"] = json::array({40, 30, 25});
            }),
            "fidelity scale item 1: bounds must be a list of four numbers, for the scores 2, 3, 4 and 5");
  EXPECT_EQ(with([](json& j) { j["items"][0]["better"] = "more"; }),
            "fidelity scale item 1: better must be \"higher\" or \"lower\"");
  EXPECT_EQ(with([](json& j) { j["items"][1]["measure"] = "time"; }),
            "fidelity scale item 2: measure belongs with bounds: an item without bounds takes none");
  EXPECT_EQ(with([](json& j) { j["items"][2].erase("reference"); }),
            "fidelity scale item 3: reference must be a non-empty string");
  EXPECT_EQ(with([](json& j) { j["items"][2]["number"] = "three"; }),
            "fidelity scale item at place 3: number must be a whole number");
  EXPECT_EQ(with([](json& j) { j["bands"]["fair_from"] = 130; }),
            "fidelity scale: bands must fall from exemplary to fair within 26..125");
}

}  // namespace
}  // namespace ips::reporting
