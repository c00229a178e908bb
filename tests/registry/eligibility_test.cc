#include "services/registry/domain/eligibility.h"

#include <gtest/gtest.h>

#include "services/registry/domain/caseload_scope.h"

namespace ips::registry {
namespace {

EligibilityFacts Eligible() {
  EligibilityFacts f;
  f.birth_date = absl::CivilDay(1980, 6, 15);
  f.start_date = absl::CivilDay(2026, 3, 1);
  f.activity_ready = true;
  f.receives_cash_benefit = true;
  f.substance_use_problem = true;
  f.unemployment_months = 24;
  f.resides_in_programme_district = true;
  f.in_substance_treatment = false;
  return f;
}

bool Met(const std::vector<EligibilityRuleOutcome>& out, EligibilityRuleId rule) {
  for (const auto& o : out) {
    if (o.rule == rule) return o.met;
  }
  ADD_FAILURE() << "rule missing";
  return false;
}

TEST(EligibilityTest, EligibleCitizenMeetsEveryRule) {
  auto out = EvaluateEligibility(Eligible(), {});
  EXPECT_EQ(out.size(), 7u);
  EXPECT_TRUE(AllMet(out));
}

TEST(EligibilityTest, AgeIsCountedOnTheStartDate) {
  auto f = Eligible();
  f.birth_date = absl::CivilDay(1996, 3, 2);  // 30 on 2026-03-02, one day after start
  EXPECT_FALSE(Met(EvaluateEligibility(f, {}), EligibilityRuleId::kAge30OrOver));
  f.birth_date = absl::CivilDay(1996, 3, 1);  // 30th birthday on the start date
  EXPECT_TRUE(Met(EvaluateEligibility(f, {}), EligibilityRuleId::kAge30OrOver));
  EligibilityConfig older;
  older.minimum_age = 31;
  EXPECT_FALSE(Met(EvaluateEligibility(f, older), EligibilityRuleId::kAge30OrOver));
}

TEST(EligibilityTest, LeapDayBirthday) {
  EXPECT_EQ(AgeOn(absl::CivilDay(1996, 2, 29), absl::CivilDay(2026, 2, 28)), 29);
  EXPECT_EQ(AgeOn(absl::CivilDay(1996, 2, 29), absl::CivilDay(2026, 3, 1)), 30);
}

TEST(EligibilityTest, EachRuleFailsAlone) {
  struct Case {
    EligibilityRuleId rule;
    void (*breaks)(EligibilityFacts&);
  };
  const Case cases[] = {
      {EligibilityRuleId::kActivityReady, [](EligibilityFacts& f) { f.activity_ready = false; }},
      {EligibilityRuleId::kCashBenefit, [](EligibilityFacts& f) { f.receives_cash_benefit = false; }},
      {EligibilityRuleId::kSubstanceUseProblem, [](EligibilityFacts& f) { f.substance_use_problem = false; }},
      {EligibilityRuleId::kUnemploymentUnder5Years, [](EligibilityFacts& f) { f.unemployment_months = 60; }},
      {EligibilityRuleId::kResidesInProgrammeDistrict,
       [](EligibilityFacts& f) { f.resides_in_programme_district = false; }},
      {EligibilityRuleId::kNotInSubstanceTreatment,
       [](EligibilityFacts& f) { f.in_substance_treatment = true; }},
      {EligibilityRuleId::kAge30OrOver,
       [](EligibilityFacts& f) { f.birth_date = absl::CivilDay(2000, 1, 1); }},
  };
  for (const auto& c : cases) {
    auto f = Eligible();
    c.breaks(f);
    auto out = EvaluateEligibility(f, {});
    EXPECT_FALSE(AllMet(out));
    int unmet = 0;
    for (const auto& o : out) unmet += o.met ? 0 : 1;
    EXPECT_EQ(unmet, 1);
    EXPECT_FALSE(Met(out, c.rule)) << static_cast<int>(c.rule);
  }
}

TEST(EligibilityTest, UnemploymentBoundaryIsStrict) {
  auto f = Eligible();
  f.unemployment_months = 59;
  EXPECT_TRUE(Met(EvaluateEligibility(f, {}), EligibilityRuleId::kUnemploymentUnder5Years));
  f.unemployment_months = 60;
  EXPECT_FALSE(Met(EvaluateEligibility(f, {}), EligibilityRuleId::kUnemploymentUnder5Years));
}

TEST(EligibilityTest, AllUnmetRulesAreReported) {
  EligibilityFacts f;
  f.birth_date = absl::CivilDay(2001, 1, 1);
  f.start_date = absl::CivilDay(2026, 1, 1);
  f.unemployment_months = 100;
  f.in_substance_treatment = true;
  int unmet = 0;
  for (const auto& o : EvaluateEligibility(f, {})) unmet += o.met ? 0 : 1;
  EXPECT_EQ(unmet, 7);
}

TEST(EligibilityTest, DetailsCarryNoCpr) {
  for (const auto& o : EvaluateEligibility(Eligible(), {})) {
    EXPECT_EQ(o.detail.find("1506"), std::string::npos);
  }
}

TEST(EligibilityTest, AgeBands) {
  EXPECT_EQ(AgeBand(29), "<30");
  EXPECT_EQ(AgeBand(30), "30-39");
  EXPECT_EQ(AgeBand(49), "40-49");
  EXPECT_EQ(AgeBand(60), "60+");
}

TEST(CaseloadScopeTest, ConsultantsSeeTheirCaseloadAndUnenrolledCitizens) {
  const CaseloadScope kim{false, "kim"}, nobody{false, ""}, lead{true, ""};
  EXPECT_TRUE(MayAccessCitizen(kim, ""));      // not enrolled: can be found and enrolled
  EXPECT_TRUE(MayAccessCitizen(kim, "kim"));   // own caseload
  EXPECT_FALSE(MayAccessCitizen(kim, "lis"));  // someone else's
  EXPECT_TRUE(MayAccessCitizen(nobody, ""));
  EXPECT_FALSE(MayAccessCitizen(nobody, "lis"));
  EXPECT_TRUE(MayAccessCitizen(lead, "lis"));  // team lead: whole register
}

// The treatment rule never silently passes: every answer from SOF, and the
// lack of one, maps to what the enrolment records.
TEST(TreatmentEvidenceTest, EveryAnswerIsWeighed) {
  using A = TreatmentAnswer;
  using S = TreatmentSource;
  struct Row {
    A answer;
    bool declared, proceed;
    std::optional<std::pair<bool, S>> want;
  };
  const std::vector<Row> rows = {
      {A::kNotConfigured, false, false, {{false, S::kSelfDeclared}}},
      {A::kNotConfigured, true, false, {{true, S::kSelfDeclared}}},
      {A::kInTreatment, false, false, {{true, S::kVerified}}},
      {A::kNotInTreatment, false, false, {{false, S::kVerified}}},
      // Treatment elsewhere: the citizen's word counts even if SOF knows none.
      {A::kNotInTreatment, true, false, {{true, S::kVerified}}},
      {A::kNoConsent, false, false, {{false, S::kUnverifiedNoConsent}}},
      {A::kNoConsent, true, true, {{true, S::kUnverifiedNoConsent}}},
      {A::kUnavailable, false, false, std::nullopt},
      {A::kUnavailable, true, false, std::nullopt},
      {A::kUnavailable, false, true, {{false, S::kUnverifiedUnavailable}}},
  };
  for (const auto& r : rows) {
    auto got = WeighTreatmentEvidence(r.answer, r.declared, r.proceed);
    ASSERT_EQ(got.has_value(), r.want.has_value()) << static_cast<int>(r.answer);
    if (!got) continue;
    EXPECT_EQ(got->in_treatment, r.want->first) << static_cast<int>(r.answer);
    EXPECT_EQ(got->source, r.want->second) << static_cast<int>(r.answer);
  }
}

}  // namespace
}  // namespace ips::registry
