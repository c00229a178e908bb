#include "services/registry/domain/eligibility.h"

#include <gtest/gtest.h>

#include "services/registry/domain/caseload_scope.h"

namespace ips::registry {
namespace {

constexpr int kCashBenefit = 1, kSicknessBenefit = 4, kSydhavnen = 1, kElsewhere = 99;

// The entry criteria of LAB-2019 (services/registry/rules.json).
rules::EntryCriteria Criteria() {
  rules::EntryCriteria c;
  c.minimum_age = 30;
  c.unemployment_limit_months = 60;
  c.match_groups = {rules::MatchGroup::kActivityReady};
  c.benefits = {kCashBenefit};
  c.districts = {kSydhavnen, 2};
  return c;
}

EligibilityFacts Eligible() {
  EligibilityFacts f;
  f.birth_date = absl::CivilDay(1980, 6, 15);
  f.start_date = absl::CivilDay(2026, 3, 1);
  f.match_group = rules::MatchGroup::kActivityReady;
  f.benefit = kCashBenefit;
  f.substance_use_problem = true;
  f.unemployment_months = 24;
  f.district = kSydhavnen;
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
  auto out = EvaluateEligibility(Eligible(), Criteria());
  EXPECT_EQ(out.size(), 7u);
  EXPECT_TRUE(AllMet(out));
}

TEST(EligibilityTest, AgeIsCountedOnTheStartDate) {
  auto f = Eligible();
  f.birth_date = absl::CivilDay(1996, 3, 2);  // 30 on 2026-03-02, one day after start
  EXPECT_FALSE(Met(EvaluateEligibility(f, Criteria()), EligibilityRuleId::kAge30OrOver));
  f.birth_date = absl::CivilDay(1996, 3, 1);  // 30th birthday on the start date
  EXPECT_TRUE(Met(EvaluateEligibility(f, Criteria()), EligibilityRuleId::kAge30OrOver));
  auto older = Criteria();
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
      {EligibilityRuleId::kActivityReady,
       [](EligibilityFacts& f) { f.match_group = rules::MatchGroup::kJobReady; }},
      {EligibilityRuleId::kCashBenefit, [](EligibilityFacts& f) { f.benefit = kSicknessBenefit; }},
      {EligibilityRuleId::kSubstanceUseProblem, [](EligibilityFacts& f) { f.substance_use_problem = false; }},
      {EligibilityRuleId::kUnemploymentUnder5Years, [](EligibilityFacts& f) { f.unemployment_months = 60; }},
      {EligibilityRuleId::kResidesInProgrammeDistrict, [](EligibilityFacts& f) { f.district = kElsewhere; }},
      {EligibilityRuleId::kNotInSubstanceTreatment,
       [](EligibilityFacts& f) { f.in_substance_treatment = true; }},
      {EligibilityRuleId::kAge30OrOver,
       [](EligibilityFacts& f) { f.birth_date = absl::CivilDay(2000, 1, 1); }},
  };
  for (const auto& c : cases) {
    auto f = Eligible();
    c.breaks(f);
    auto out = EvaluateEligibility(f, Criteria());
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
  EXPECT_TRUE(Met(EvaluateEligibility(f, Criteria()), EligibilityRuleId::kUnemploymentUnder5Years));
  f.unemployment_months = 60;
  EXPECT_FALSE(Met(EvaluateEligibility(f, Criteria()), EligibilityRuleId::kUnemploymentUnder5Years));
}

TEST(EligibilityTest, AllUnmetRulesAreReported) {
  EligibilityFacts f;
  f.birth_date = absl::CivilDay(2001, 1, 1);
  f.start_date = absl::CivilDay(2026, 1, 1);
  f.unemployment_months = 100;
  f.in_substance_treatment = true;
  int unmet = 0;
  for (const auto& o : EvaluateEligibility(f, Criteria())) unmet += o.met ? 0 : 1;
  EXPECT_EQ(unmet, 7);
}

TEST(EligibilityTest, DetailsCarryNoCpr) {
  for (const auto& o : EvaluateEligibility(Eligible(), Criteria())) {
    EXPECT_EQ(o.detail.find("1506"), std::string::npos);
  }
}

// The criteria are data of a rules version: a version that admits job-ready
// citizens on sickness benefit (as 2027's may) needs no code.
TEST(EligibilityTest, TheCriteriaAreDataOfTheRulesVersion) {
  auto f = Eligible();
  f.match_group = rules::MatchGroup::kJobReady;
  f.benefit = kSicknessBenefit;
  auto out = EvaluateEligibility(f, Criteria());
  EXPECT_FALSE(Met(out, EligibilityRuleId::kActivityReady));
  EXPECT_FALSE(Met(out, EligibilityRuleId::kCashBenefit));
  EXPECT_EQ(out[1].detail, "assessed job-ready (jobparat); must be activity-ready (aktivitetsparat)");
  EXPECT_EQ(out[2].detail, "receives sickness benefit; must receive cash benefit");
  auto wider = Criteria();
  wider.match_groups.insert(rules::MatchGroup::kJobReady);
  wider.benefits.insert(kSicknessBenefit);
  EXPECT_TRUE(AllMet(EvaluateEligibility(f, wider)));
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
