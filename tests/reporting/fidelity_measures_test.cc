// The fidelity items the data answer, each against a programme computed by
// hand in the comments.
#include "services/reporting/domain/fidelity_measures.h"

#include <gtest/gtest.h>

namespace ips::reporting {
namespace {

using D = absl::CivilDay;
using Course = FidelityFacts::Course;
using Job = FidelityFacts::Job;

// 2026-01-01 .. 2026-03-31: 31 + 28 + 31 = 90 days.
const FidelityPeriod kQ1{D(2026, 1, 1), D(2026, 3, 31)};

Course MakeCourse(const std::string& pseudonym, D start, const std::string& consultant,
                  std::optional<D> end = std::nullopt) {
  Course c;
  c.pseudonym = pseudonym;
  c.start = start;
  c.end = end;
  c.spells.push_back({consultant, start});
  return c;
}

Job MakeJob(size_t course, const std::string& consultant, D start, bool competitive = true) {
  Job j;
  j.course = course;
  j.consultant_id = consultant;
  j.employer_id = "employer-" + consultant;
  j.job_type = "care/helper";
  j.competitive = competitive;
  j.start = start;
  return j;
}

// X: anna all along; Y: anna, then ben from 15 February; Z: ben, 1-10 March;
// W: ended before the period.
FidelityFacts ThreeCourses() {
  FidelityFacts f;
  f.courses.push_back(MakeCourse("x", D(2025, 6, 1), "anna"));
  f.courses.push_back(MakeCourse("y", D(2026, 1, 1), "anna"));
  f.courses.back().spells.push_back({"ben", D(2026, 2, 15)});
  f.courses.push_back(MakeCourse("z", D(2026, 3, 1), "ben", D(2026, 3, 10)));
  f.courses.push_back(MakeCourse("w", D(2025, 1, 1), "anna", D(2025, 12, 31)));
  return f;
}

TEST(FidelityMeasuresTest, CaseloadIsTheMeanOverTheDaysAConsultantCarriedAny) {
  const FidelityFacts f = ThreeCourses();
  // anna: X 90 days + Y 1 Jan..14 Feb 45 days = 135 course-days over 90 days.
  const Measured anna = MeasureItem(1, f, kQ1, "anna");
  ASSERT_TRUE(anna.value);
  EXPECT_DOUBLE_EQ(*anna.value, 1.5);
  EXPECT_EQ(anna.citizens, 2);
  // ben: Y 15 Feb..31 Mar 45 days + Z 10 days = 55 over the 45 days he carried any.
  const Measured ben = MeasureItem(1, f, kQ1, "ben");
  EXPECT_DOUBLE_EQ(*ben.value, 55.0 / 45.0);
  // The programme: course-days over consultant-days, (135 + 55) / (90 + 45);
  // W is not in it.
  const Measured all = MeasureItem(1, f, kQ1);
  EXPECT_DOUBLE_EQ(*all.value, 190.0 / 135.0);
  EXPECT_EQ(all.citizens, 3);
  EXPECT_FALSE(MeasureItem(1, f, kQ1, "nobody").value);
}

TEST(FidelityMeasuresTest, GeneralistCountsCoursesWithoutReassignmentByThePeriodsEnd) {
  FidelityFacts f = ThreeCourses();
  // A reassignment after the period does not count against it.
  f.courses.push_back(MakeCourse("v", D(2026, 1, 5), "anna"));
  f.courses.back().spells.push_back({"ben", D(2026, 4, 10)});
  const Measured all = MeasureItem(3, f, kQ1);
  EXPECT_EQ(all.share->Text(), "3 of 4 = 75%");  // X, Z, V one consultant; Y two
  // Y is ben's (he carried it at the period's end), Z too (at its end).
  EXPECT_EQ(MeasureItem(3, f, kQ1, "ben").share->Text(), "1 of 2 = 50%");
  EXPECT_EQ(MeasureItem(3, f, kQ1, "anna").share->Text(), "2 of 2 = 100%");
}

TEST(FidelityMeasuresTest, IntegrationCountsCoordinationInThePeriod) {
  FidelityFacts f = ThreeCourses();
  f.courses[0].coordination = {D(2025, 12, 20), D(2026, 2, 2)};  // one in the period
  f.courses[2].coordination = {D(2026, 3, 5)};
  f.courses[3].coordination = {D(2025, 6, 1)};  // W: not running
  EXPECT_EQ(MeasureItem(4, f, kQ1).share->Text(), "2 of 3 = 67%");
  EXPECT_EQ(MeasureItem(4, f, kQ1, "anna").share->Text(), "1 of 1 = 100%");
}

TEST(FidelityMeasuresTest, ZeroExclusionIsTheProgrammesShareExcluded) {
  FidelityFacts f;
  f.entries = {{D(2025, 12, 31), true},
               {D(2026, 1, 5), true},
               {D(2026, 1, 6), false},
               {D(2026, 2, 1), false},
               {D(2026, 4, 1), true}};
  const Measured m = MeasureItem(9, f, kQ1);
  EXPECT_EQ(m.share->Text(), "1 of 3 = 33%");
  EXPECT_EQ(m.citizens, 3);
  EXPECT_FALSE(MeasureItem(9, f, kQ1, "anna").value);
  EXPECT_FALSE(MeasuredPerConsultant(9));
}

TEST(FidelityMeasuresTest, BenefitsAndDisclosureCountOnOrBeforeTheJobsStartWithinTheCourse) {
  FidelityFacts f = ThreeCourses();
  f.jobs.push_back(MakeJob(0, "anna", D(2026, 2, 10)));
  f.jobs.push_back(MakeJob(1, "ben", D(2026, 3, 1)));
  f.jobs.push_back(MakeJob(2, "ben", D(2026, 3, 5)));
  f.jobs.back().education = true;                        // education: left out
  f.jobs.push_back(MakeJob(0, "anna", D(2025, 12, 1)));  // before the period
  f.courses[0].benefits_counselling = {D(2026, 2, 10)};  // the start day counts
  f.courses[1].benefits_counselling = {D(2026, 3, 2)};   // after the start: not
  f.courses[0].disclosure = {D(2025, 5, 1)};             // before the course: not
  f.courses[1].disclosure = {D(2026, 1, 20)};
  EXPECT_EQ(MeasureItem(12, f, kQ1).share->Text(), "1 of 2 = 50%");
  EXPECT_EQ(MeasureItem(13, f, kQ1).share->Text(), "1 of 2 = 50%");
  EXPECT_EQ(MeasureItem(12, f, kQ1, "anna").share->Text(), "1 of 1 = 100%");
  EXPECT_EQ(MeasureItem(13, f, kQ1, "anna").share->Text(), "0 of 1 = 0%");
}

TEST(FidelityMeasuresTest, RapidJobSearchCountsCoursesWithoutAContactOnceTheyAreLate) {
  FidelityFacts f;
  f.courses.push_back(MakeCourse("y", D(2026, 1, 1), "anna"));
  f.courses.back().employer_contacts_face_to_face = {D(2026, 2, 1), D(2026, 1, 21)};  // first: 20 days
  f.courses.push_back(MakeCourse("u", D(2026, 1, 10), "anna"));                // none: 80 days by 31 March
  f.courses.push_back(MakeCourse("z", D(2026, 3, 1), "ben", D(2026, 3, 10)));  // none, 9 days: not yet late
  f.courses.push_back(MakeCourse("t", D(2026, 3, 20), "ben"));                 // 11 days: not yet late
  f.courses.push_back(MakeCourse("x", D(2025, 6, 1), "ben"));                  // started before the period
  const Measured m = MeasureItem(15, f, kQ1);
  EXPECT_DOUBLE_EQ(*m.value, 50.0);  // (20 + 80) / 2
  EXPECT_EQ(m.citizens, 2);
  EXPECT_FALSE(MeasureItem(15, f, kQ1, "ben").value);
}

TEST(FidelityMeasuresTest, JobDevelopmentIsFaceToFaceContactsOnACitizensBehalfPerWeek) {
  const FidelityPeriod feb{D(2026, 2, 1), D(2026, 2, 28)};  // 4 weeks
  FidelityFacts f;
  f.courses.push_back(MakeCourse("c1", D(2026, 1, 1), "carl"));  // carl made none
  auto contact = [&](const std::string& who, bool f2f, bool behalf, D day = D(2026, 2, 10)) {
    f.employer_contacts.push_back({who, behalf ? "p-" + who : "", day, f2f, behalf});
  };
  for (int i = 0; i < 24; ++i) contact("anna", true, true);
  for (int i = 0; i < 8; ++i) contact("ben", true, true);
  for (int i = 0; i < 5; ++i) contact("ben", false, true);  // by phone
  for (int i = 0; i < 3; ++i) contact("ben", true, false);  // not for a citizen
  contact("ben", true, true, D(2026, 3, 1));                // after the period
  EXPECT_DOUBLE_EQ(*MeasureItem(17, f, feb, "anna").value, 6.0);
  EXPECT_DOUBLE_EQ(*MeasureItem(17, f, feb, "ben").value, 2.0);
  EXPECT_DOUBLE_EQ(*MeasureItem(17, f, feb, "carl").value, 0.0);
  EXPECT_DOUBLE_EQ(*MeasureItem(17, f, feb).value, 8.0 / 3);  // (6 + 2 + 0) / 3
}

TEST(FidelityMeasuresTest, DiversityAndCompetitiveCountTheJobsStartedInThePeriod) {
  FidelityFacts f = ThreeCourses();
  const char* types[] = {"care/helper", "care/helper", "retail/cashier", "warehouse/packer"};
  const char* employers[] = {"e1", "e1", "e1", "e2"};
  const bool competitive[] = {true, true, false, true};
  for (int i = 0; i < 4; ++i) {
    f.jobs.push_back(MakeJob(i % 3, "anna", D(2026, 2, 1 + i), competitive[i]));
    f.jobs.back().job_type = types[i];
    f.jobs.back().employer_id = employers[i];
  }
  f.jobs.push_back(MakeJob(0, "anna", D(2026, 2, 20), false));
  f.jobs.back().education = true;
  f.jobs.back().job_type = "school";
  EXPECT_EQ(MeasureItem(19, f, kQ1).share->Text(), "3 of 4 = 75%");
  EXPECT_EQ(MeasureItem(20, f, kQ1).share->Text(), "2 of 4 = 50%");
  EXPECT_EQ(MeasureItem(21, f, kQ1).share->Text(), "3 of 4 = 75%");
  EXPECT_EQ(MeasureItem(21, f, kQ1).citizens, 3);
  EXPECT_FALSE(MeasureItem(21, f, kQ1, "ben").value);
}

TEST(FidelityMeasuresTest, FollowAlongNeedsAContactInEveryFullThirtyDayWindow) {
  const FidelityPeriod half{D(2026, 1, 1), D(2026, 6, 30)};
  FidelityFacts f = ThreeCourses();
  // A: windows 1 Jan, 31 Jan, 2 Mar, 1 Apr each with a contact: followed.
  f.jobs.push_back(MakeJob(0, "anna", D(2026, 1, 1)));
  f.jobs.back().follow_along = {D(2026, 1, 5), D(2026, 2, 10), D(2026, 3, 3), D(2026, 4, 15)};
  // B: nothing in 31 Jan..1 Mar: not followed.
  f.jobs.push_back(MakeJob(1, "anna", D(2026, 1, 1)));
  f.jobs.back().follow_along = {D(2026, 1, 5), D(2026, 3, 3), D(2026, 4, 15)};
  // C: its first window ends 14 July, after the period: not counted.
  f.jobs.push_back(MakeJob(1, "ben", D(2026, 6, 15)));
  // D: ended after 19 days, before a full window: not counted.
  f.jobs.push_back(MakeJob(2, "ben", D(2026, 2, 1)));
  f.jobs.back().end = D(2026, 2, 20);
  // E: two full windows by 30 June (1-30 May, 31 May-29 June), both kept.
  f.jobs.push_back(MakeJob(2, "ben", D(2026, 5, 1)));
  f.jobs.back().follow_along = {D(2026, 5, 2), D(2026, 6, 29)};
  const Measured m = MeasureItem(23, f, half);
  EXPECT_EQ(m.share->Text(), "2 of 3 = 67%");
  EXPECT_EQ(m.citizens, 3);
  EXPECT_EQ(MeasureItem(23, f, half, "ben").share->Text(), "1 of 1 = 100%");
}

TEST(FidelityMeasuresTest, CommunityBasedIsTheShareOfContactsOutOfTheOffice) {
  FidelityFacts f;
  for (bool out : {true, true, true, false}) f.contacts.push_back({"anna", "p1", D(2026, 2, 1), out});
  f.contacts.push_back({"ben", "p2", D(2026, 2, 1), false});
  f.contacts.push_back({"ben", "p3", D(2026, 2, 2), false});
  f.contacts.push_back({"ben", "p3", D(2026, 4, 2), true});  // after the period
  const Measured m = MeasureItem(24, f, kQ1);
  EXPECT_EQ(m.share->Text(), "3 of 6 = 50%");
  EXPECT_EQ(m.citizens, 3);
  EXPECT_EQ(MeasureItem(24, f, kQ1, "anna").share->Text(), "3 of 4 = 75%");
  EXPECT_EQ(MeasureItem(24, f, kQ1, "ben").share->Text(), "0 of 2 = 0%");
}

TEST(FidelityMeasuresTest, AssertiveEngagementIsTheLesserOfTheTwoShares) {
  FidelityFacts f;
  for (int i = 0; i < 4; ++i)
    f.courses.push_back(MakeCourse("e" + std::to_string(i), D(2025, 6, 1), "anna", D(2026, 2, 1 + i)));
  f.courses[3].closed_for_no_shows = true;  // 3 of 4 ended courses kept = 75%
  Course open = MakeCourse("o", D(2025, 9, 1), "anna");
  open.no_shows = {D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10), D(2025, 12, 1)};
  open.outreach = {D(2026, 1, 24), D(2026, 2, 25), D(2026, 3, 10)};  // +14 yes, +15 no, same day yes
  f.courses.push_back(open);
  const Measured m = MeasureItem(25, f, kQ1);
  EXPECT_EQ(m.share->Text(), "2 of 3 = 67%");  // below 75%
  EXPECT_EQ(m.citizens, 5);
  // Without no-shows the ended courses' share stands alone.
  f.courses.pop_back();
  EXPECT_EQ(MeasureItem(25, f, kQ1).share->Text(), "3 of 4 = 75%");
}

TEST(FidelityMeasuresTest, ItemsTheReviewersRateAndEmptyPeriodsHaveNoValue) {
  const FidelityFacts f = ThreeCourses();
  EXPECT_FALSE(MeasureItem(2, f, kQ1).value);
  EXPECT_FALSE(MeasureItem(18, f, kQ1).value);
  EXPECT_FALSE(MeasureItem(1, f, FidelityPeriod{D(2026, 2, 1), D(2026, 1, 1)}).value);
  EXPECT_EQ(ConsultantsOf(f), (std::vector<std::string>{"anna", "ben"}));
}

// A scale whose measured items all score 5 at 0 or more (higher) or at
// 1000 or less (lower), so the test controls each score.
FidelityScale Scale() {
  FidelityScale s;
  for (int n = 1; n <= kFidelityItems; ++n) {
    FidelityItem item;
    item.number = n;
    item.title = "item";
    if (MeasuredFromData(n)) {
      item.measure = "m";
      item.reference = "r";
      item.anchors = n == 1 || n == 15 || n == 9 ? FidelityAnchors{false, {4000, 3000, 2000, 1000}}
                                                 : FidelityAnchors{true, {-3, -2, -1, 0}};
    }
    s.items.push_back(item);
  }
  return s;
}

TEST(FidelityMeasuresTest, ReviewTotalsOnlyWhenEveryItemIsScored) {
  const FidelityScale scale = Scale();
  ASSERT_TRUE(ValidateScale(scale).ok()) << ValidateScale(scale);
  FidelityFacts f = ThreeCourses();
  auto partial = ReviewFidelity(scale, f, kQ1, {{2, 4}});
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->items.size(), 25u);
  EXPECT_EQ(partial->items[1].score, 4);  // the reviewers'
  EXPECT_EQ(partial->items[0].score, 5);  // caseload from the data
  EXPECT_EQ(partial->items[0].consultants.size(), 2u);
  EXPECT_FALSE(partial->items[8].score);  // no entry decisions
  EXPECT_TRUE(partial->items[8].consultants.empty());
  EXPECT_FALSE(partial->total);

  // Every measured item given data, every other item a reviewer's 3.
  f.entries = {{D(2026, 1, 5), false}};
  f.courses[0].employer_contacts_face_to_face = {};
  f.jobs.push_back(MakeJob(1, "anna", D(2026, 1, 2)));
  f.jobs.back().follow_along = {D(2026, 1, 3), D(2026, 2, 3), D(2026, 3, 3)};
  f.employer_contacts.push_back({"anna", "y", D(2026, 1, 4), true, true});
  f.contacts.push_back({"anna", "y", D(2026, 1, 4), true});
  f.courses[2].no_shows = {D(2026, 3, 2)};
  std::map<int, int> reviewers;
  for (int n = 1; n <= kFidelityItems; ++n) {
    if (!MeasuredFromData(n)) reviewers[n] = 3;
  }
  auto full = ReviewFidelity(scale, f, kQ1, reviewers);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->items_scored, 25);
  // 14 measured items at 5, 11 rated at 3.
  EXPECT_EQ(full->total, 14 * 5 + 11 * 3);
  EXPECT_EQ(full->band, "good");  // 103: good from 100, exemplary from 115
}

TEST(FidelityMeasuresTest, ReviewerScoresAreCheckedByItem) {
  const FidelityScale scale = Scale();
  const FidelityFacts f;
  EXPECT_EQ(ReviewFidelity(scale, f, kQ1, {{1, 3}}).status().message(),
            "reviewer_scores: item 1 is scored from the data, not by the reviewers");
  EXPECT_EQ(ReviewFidelity(scale, f, kQ1, {{26, 3}}).status().message(),
            "reviewer_scores: item 26 is not on the scale (1..25)");
  EXPECT_EQ(ReviewFidelity(scale, f, kQ1, {{2, 6}}).status().message(),
            "reviewer_scores: item 2 score 6 is outside 1..5");
  EXPECT_EQ(ReviewFidelity(scale, f, kQ1, {{2, 0}}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ips::reporting
