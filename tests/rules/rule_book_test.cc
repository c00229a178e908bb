// The rules versions as data: the shipped file, outcomes before and after
// 1 February 2026, and every kind of inconsistency refused with a message
// that names the line and the rule.
#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "ips/registry/v1/enrollment.pb.h"
#include "services/common/jwt_verifier.h"
#include "services/rules/rule_book_json.h"
#include "tests/support/test_env.h"

namespace ips::rules {
namespace {

using D = absl::CivilDay;
namespace rv1 = registry::v1;

// Two versions, as an operator would write them; each test breaks one thing.
const char kRules[] = R"({
  "versions": [
    {
      "id": "A",
      "effective_from": "2019-01-01",
      "source": "law A",
      "entry": {"minimum_age": 30, "unemployment_limit_months": 60, "match_groups": ["ACTIVITY_READY"],
                "benefits": ["BENEFIT_TYPE_CASH_BENEFIT"], "programme_districts": ["DISTRICT_SYDHAVNEN"]},
      "conversation_plans": {
        "ACTIVITY_READY": {"period": "6 months", "due": ["1 week", "6 months"], "basis": "law A"}
      },
      "outcomes": ["COURSE_OUTCOME_ORDINARY_JOB", "COURSE_OUTCOME_RESOURCE_COURSE"]
    },
    {
      "id": "B",
      "effective_from": "2026-02-01",
      "source": "law B",
      "outcomes": ["COURSE_OUTCOME_ORDINARY_JOB"]
    }
  ],
  "not_yet_known": [{"expected_from": "2027-01-01", "change": "C", "source": "agreement"}]
})";

std::string Broken(const std::string& from, const std::string& to) {
  const std::string text = absl::StrReplaceAll(kRules, {{from, to}});
  EXPECT_NE(text, kRules) << "the test did not break anything: " << from;
  return text;
}

std::string Error(const std::string& text) {
  auto book = ParseRuleBook(text);
  EXPECT_FALSE(book.ok()) << text;
  return book.ok() ? "" : std::string(book.status().message());
}

TEST(RuleBookTest, ALaterVersionInheritsWhatItDoesNotChange) {
  auto book = ParseRuleBook(kRules);
  ASSERT_TRUE(book.ok()) << book.status();
  ASSERT_EQ(book->versions.size(), 2u);
  const RuleVersion& b = book->versions[1];
  EXPECT_EQ(b.entry.minimum_age, 30);
  EXPECT_EQ(b.plans.at(MatchGroup::kActivityReady).due.size(), 2u);
  EXPECT_EQ(b.outcomes, std::set<int>{rv1::COURSE_OUTCOME_ORDINARY_JOB});
  ASSERT_EQ(book->pending.size(), 1u);
  EXPECT_EQ(book->pending[0].expected_from, D(2027, 1, 1));
}

// Outcomes by the version in force on the course's start date: a course
// started before 1 February 2026 may still end in a resource course, also
// when it ends after that day; one started on or after it may not.
TEST(RuleBookTest, EachOutcomeBeforeAndAfterTheFirstOfFebruary2026) {
  auto shipped = ParseRuleBook(*ReadFile(testing::SourceDir() + "/services/registry/rules.json"));
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  const auto& before = *VersionOn(*shipped, D(2026, 1, 31)).version;
  const auto& after = *VersionOn(*shipped, D(2026, 2, 1)).version;
  const auto& later = *VersionOn(*shipped, D(2026, 7, 1)).version;
  for (int o = rv1::CourseOutcome_MIN + 1; o <= rv1::CourseOutcome_MAX; ++o) {
    SCOPED_TRACE(rv1::CourseOutcome_Name(o));
    EXPECT_TRUE(before.outcomes.count(o));
    const bool abolished = o == rv1::COURSE_OUTCOME_RESOURCE_COURSE;
    EXPECT_EQ(after.outcomes.count(o) == 0, abolished);
    EXPECT_EQ(later.outcomes.count(o) == 0, abolished);
  }
  // Every version says what it rests on.
  for (const auto& v : shipped->versions) EXPECT_FALSE(v.source.empty()) << v.id;
}

TEST(RuleBookTest, EveryInconsistencyIsRefusedNamingTheLineAndTheRule) {
  struct Case {
    std::string name, text, message;
  };
  const std::vector<Case> cases = {
      {"overlapping dates", Broken("\"2026-02-01\"", "\"2019-01-01\""),
       "rules line 15, version B: takes effect on 2019-01-01, which overlaps version A (in force from "
       "2019-01-01)"},
      {"out of order", Broken("\"2026-02-01\"", "\"2018-06-01\""),
       "rules line 15, version B: takes effect on 2018-06-01, which overlaps version A"},
      {"unknown outcome", Broken("[\"COURSE_OUTCOME_ORDINARY_JOB\"]", "[\"COURSE_OUTCOME_REVALIDERING\"]"),
       "rules line 15, version B: outcomes: unknown outcome \"COURSE_OUTCOME_REVALIDERING\""},
      {"a plan outside its period", Broken("\"6 months\"]", "\"7 months\"]"),
       "rules line 4, version A: conversation_plans.ACTIVITY_READY.due: 7 months lies outside the plan's "
       "period of "
       "6 months"},
      {"due points out of order", Broken("[\"1 week\", \"6 months\"]", "[\"6 months\", \"1 week\"]"),
       "rules line 4, version A: conversation_plans.ACTIVITY_READY.due must be in order"},
      {"an admitted group without a plan",
       Broken("[\"ACTIVITY_READY\"]", "[\"ACTIVITY_READY\", \"JOB_READY\"]"),
       "rules line 4, version A: admits match group JOB_READY but has no conversation plan for it"},
      {"unknown match group", Broken("[\"ACTIVITY_READY\"]", "[\"READY\"]"),
       "rules line 4, version A: entry.match_groups: unknown match group \"READY\""},
      {"unknown benefit", Broken("BENEFIT_TYPE_CASH_BENEFIT", "BENEFIT_TYPE_LOTTERY"),
       "rules line 4, version A: entry.benefits: unknown benefit \"BENEFIT_TYPE_LOTTERY\""},
      {"unknown district", Broken("DISTRICT_SYDHAVNEN", "DISTRICT_ATLANTIS"),
       "rules line 4, version A: entry.programme_districts: unknown district \"DISTRICT_ATLANTIS\""},
      {"not a period", Broken("\"1 week\"", "\"a fortnight\""),
       "rules line 4, version A: conversation_plans.ACTIVITY_READY.due: `a fortnight` is not a period"},
      {"not a real date", Broken("2019-01-01", "2019-02-30"),
       "rules line 4, version A: effective_from must be a real date"},
      {"an unknown key", Broken("\"source\": \"law B\"", "\"source\": \"law B\", \"sources\": 1"),
       "rules line 15, version B: unknown key \"sources\""},
      {"a first version that is not complete",
       Broken(",\n      \"outcomes\": [\"COURSE_OUTCOME_ORDINARY_JOB\", \"COURSE_OUTCOME_RESOURCE_COURSE\"]",
              ""),
       "rules line 4, version A: the first version needs outcomes (later ones inherit it)"},
      {"the same id twice", Broken("\"id\": \"B\"", "\"id\": \"A\""),
       "rules line 15, version A: another version has the same id"},
      {"an announced change a version already covers", Broken("2027-01-01", "2026-01-01"),
       "rules line 21, not_yet_known 1: expected from 2026-01-01, but version B already covers that day"},
      {"no source", Broken("\"source\": \"law B\"", "\"source\": \"\""),
       "rules line 15, version B: source must be a non-empty string"},
      {"not JSON", Broken("\"versions\": [", "\"versions\" ["),
       "rules: not JSON: [json.exception.parse_error.101] parse error at line 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string error = Error(c.text);
    EXPECT_EQ(error.rfind(c.message, 0), 0u) << error;
  }
}

}  // namespace
}  // namespace ips::rules
