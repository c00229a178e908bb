// The programme's KPI formulas against hand-computed cases.
#include "services/reporting/domain/kpi_formulas.h"

#include <gtest/gtest.h>

namespace ips::reporting {
namespace {

using D = absl::CivilDay;

CourseFact Course(D start, std::string consultant = "anna") {
  CourseFact c;
  c.pseudonym = "p" + absl::FormatCivilTime(start);
  c.consultant_id = std::move(consultant);
  c.start = start;
  return c;
}

PlacementFact Placement(D start, Attainment a, std::optional<D> end = std::nullopt) {
  PlacementFact p;
  p.start = start;
  p.attains = a;
  p.end = end;
  return p;
}

TEST(KpiFormulasTest, ShareText) {
  EXPECT_EQ((Share{16, 73}).Text(), "16 of 73 = 22%");
  EXPECT_EQ((Share{1, 8}).Text(), "1 of 8 = 13%");  // 12.5 rounds half up
  EXPECT_EQ((Share{0, 0}).Text(), "0 of 0");
  EXPECT_FALSE((Share{0, 0}).percent().has_value());
}

TEST(KpiFormulasTest, JobOrEducationWithinAYearCountsOnlyPassedWindows) {
  const D as_of(2026, 6, 30);
  std::vector<CourseFact> courses;
  // 1: job placement after 11 months -> counts.
  courses.push_back(Course(D(2025, 1, 15)));
  courses.back().placements.push_back(Placement(D(2025, 12, 10), Attainment::kJob));
  // 2: an internship only (not a job) -> does not count.
  courses.push_back(Course(D(2025, 2, 1)));
  courses.back().placements.push_back(Placement(D(2025, 3, 1), Attainment::kNone));
  // 3: ended in education after 13 months -> too late for 12 months.
  courses.push_back(Course(D(2025, 3, 1)));
  courses.back().end = D(2026, 4, 2);
  courses.back().outcome = Attainment::kEducation;
  // 4: exactly 12 months later, to the day -> counts.
  courses.push_back(Course(D(2025, 6, 30)));
  courses.back().placements.push_back(Placement(D(2026, 6, 30), Attainment::kEducation));
  // 5: started 2025-07-01: its year has not passed on 2026-06-30 -> left out.
  courses.push_back(Course(D(2025, 7, 1)));
  courses.back().placements.push_back(Placement(D(2025, 8, 1), Attainment::kJob));
  auto s = JobOrEducationWithin(courses, 12, as_of);
  EXPECT_EQ(s.numerator, 2);
  EXPECT_EQ(s.denominator, 4);
  EXPECT_EQ(s.Text(), "2 of 4 = 50%");
  // Within two years none has passed its window yet.
  EXPECT_EQ(JobOrEducationWithin(courses, 24, as_of).denominator, 0);
  // 31 January + 1 month ends on the last day of February.
  std::vector<CourseFact> jan = {Course(D(2025, 1, 31))};
  EXPECT_EQ(JobOrEducationWithin(jan, 1, D(2025, 2, 27)).denominator, 0);
  EXPECT_EQ(JobOrEducationWithin(jan, 1, D(2025, 2, 28)).denominator, 1);

  auto cohorts = JobOrEducationWithinByCohort(courses, 12, as_of);
  EXPECT_EQ(cohorts["2025-Q1"].Text(), "1 of 3 = 33%");
  EXPECT_EQ(cohorts["2025-Q2"].Text(), "1 of 1 = 100%");
  EXPECT_EQ(cohorts["2025-Q3"].Text(), "0 of 0");
}

TEST(KpiFormulasTest, PointInTimeShareCountsRunningCoursesInAJobThatDay) {
  const D day(2021, 3, 15);
  std::vector<CourseFact> courses;
  for (int i = 0; i < 5; ++i) courses.push_back(Course(D(2020, 6, 1 + i)));
  courses[0].placements.push_back(Placement(D(2021, 1, 1), Attainment::kJob));                 // in a job
  courses[1].placements.push_back(Placement(D(2021, 1, 1), Attainment::kJob, D(2021, 3, 1)));  // ended
  courses[2].placements.push_back(Placement(D(2021, 3, 16), Attainment::kEducation));          // not yet
  courses[3].end = D(2021, 2, 1);            // course over: not counted at all
  courses.push_back(Course(D(2021, 4, 1)));  // not started
  EXPECT_EQ(InJobOrEducationOn(courses, day).Text(), "1 of 4 = 25%");
}

TEST(KpiFormulasTest, PlacementOrSocialProgression) {
  const D day(2026, 1, 1);
  std::vector<CourseFact> courses = {Course(D(2025, 1, 1)), Course(D(2025, 2, 1)), Course(D(2025, 3, 1)),
                                     Course(D(2026, 2, 1))};
  courses[0].placements.push_back(Placement(D(2025, 2, 1), Attainment::kNone));
  courses[1].social_progression = true;
  EXPECT_EQ(PlacementOrSocialProgression(courses, day).Text(), "2 of 3 = 67%");
}

TEST(KpiFormulasTest, DaysToFirstPlacementAndItsMedian) {
  std::vector<CourseFact> courses = {Course(D(2025, 1, 1)), Course(D(2025, 1, 1)), Course(D(2025, 1, 1)),
                                     Course(D(2025, 1, 1))};
  courses[0].placements = {Placement(D(2025, 2, 15), Attainment::kNone),
                           Placement(D(2025, 1, 21), Attainment::kJob)};
  courses[1].placements = {Placement(D(2025, 1, 31), Attainment::kNone)};
  courses[2].placements = {Placement(D(2025, 3, 2), Attainment::kNone)};
  auto days = DaysToFirstPlacement(courses);
  EXPECT_EQ(days, (std::vector<int>{20, 30, 60}));
  EXPECT_EQ(*Median(days), 30);
  EXPECT_EQ(*Median({20, 30, 60, 90}), 45);
  EXPECT_FALSE(Median({}).has_value());
  EXPECT_EQ(Within(days, 30).Text(), "2 of 3 = 67%");
}

TEST(KpiFormulasTest, TimelinessAttendanceCaseloadContactsOutcomesCost) {
  std::vector<CourseFact> courses = {Course(D(2025, 1, 1), "anna"), Course(D(2025, 2, 1), "anna"),
                                     Course(D(2025, 3, 1), "bo")};
  courses[0].conversations_due = 4;
  courses[0].conversations_met_on_time = 3;
  courses[0].conversations_held = 5;
  courses[0].conversations_no_show = 1;
  courses[1].conversations_due = 2;
  courses[1].conversations_met_on_time = 2;
  courses[1].conversations_held = 2;
  courses[1].conversations_no_show = 2;
  courses[2].end = D(2025, 12, 1);
  courses[2].outcome = Attainment::kJob;
  EXPECT_EQ(Timeliness(courses).Text(), "5 of 6 = 83%");
  EXPECT_EQ(Attendance(courses).Text(), "7 of 10 = 70%");
  auto load = CaseloadOn(courses, D(2026, 1, 1));
  EXPECT_EQ(load["anna"], 2);
  EXPECT_EQ(load.count("bo"), 0u);  // ended
  EXPECT_EQ(BandOf(20), CaseloadBand::kWithinFidelity);
  EXPECT_EQ(BandOf(25), CaseloadBand::kWithinBudget);
  EXPECT_EQ(BandOf(26), CaseloadBand::kOver);
  EXPECT_DOUBLE_EQ(ContactsPerWeek(12, 28), 3.0);
  auto outcomes = OutcomeDistribution(courses);
  EXPECT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[Attainment::kJob], 1);
  // The 2022-2025 budget, 2,504 t.kr. a year, over a year with 75 citizens,
  // 15 of whom reached a job or education.
  auto cost = CostOf(2'504'000, 365, 75, 15);
  EXPECT_NEAR(*cost.per_citizen, 33'386.67, 0.01);
  EXPECT_NEAR(*cost.per_outcome, 166'933.33, 0.01);
  EXPECT_FALSE(CostOf(1000, 365, 0, 0).per_citizen.has_value());
}

}  // namespace
}  // namespace ips::reporting
