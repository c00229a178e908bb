#include "services/reporting/domain/fidelity_measures.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"

namespace ips::reporting {
namespace {

using Course = FidelityFacts::Course;
using Job = FidelityFacts::Job;
using Who = std::optional<std::string>;

bool Mine(const Who& consultant, const std::string& id) { return !consultant || *consultant == id; }

bool RunningIn(const Course& c, const FidelityPeriod& p) {
  return c.start <= p.last && (!c.end || *c.end >= p.first);
}

// The day a course is judged on: the period's last, or its end if sooner.
absl::CivilDay JudgedOn(const Course& c, const FidelityPeriod& p) {
  return c.end ? std::min(*c.end, p.last) : p.last;
}

const std::string& CarrierOn(const Course& c, absl::CivilDay day) { return CarrierOn(c.spells, day); }

bool CoursesMine(const Course& c, const FidelityPeriod& p, const Who& consultant) {
  return !c.spells.empty() && Mine(consultant, CarrierOn(c, JudgedOn(c, p)));
}

Measured OfShare(long long numerator, long long denominator, long long citizens) {
  Measured m;
  if (denominator == 0) return m;
  m.share = Share{numerator, denominator};
  m.value = m.share->percent();
  m.citizens = citizens;
  return m;
}

// The courses each consultant carried on each day of the period: a count
// per consultant per day, from each spell's days within the course and the
// period (a running sum over +1/-1 marks, not a walk over every day of
// every course).
std::map<std::string, std::vector<int>> DailyCaseloads(const FidelityFacts& f, const FidelityPeriod& p,
                                                       std::map<std::string, std::set<size_t>>* courses_of) {
  std::map<std::string, std::vector<int>> marks;
  const long days = p.days();
  for (size_t i = 0; i < f.courses.size(); ++i) {
    const Course& c = f.courses[i];
    for (size_t k = 0; k < c.spells.size(); ++k) {
      absl::CivilDay lo = std::max({c.spells[k].from, c.start, p.first});
      absl::CivilDay hi = p.last;
      if (c.end) hi = std::min(hi, *c.end);
      if (k + 1 < c.spells.size()) hi = std::min(hi, c.spells[k + 1].from - 1);
      if (hi < lo) continue;
      auto& m = marks[c.spells[k].consultant_id];
      m.resize(days + 1);
      ++m[lo - p.first];
      --m[hi - p.first + 1];
      (*courses_of)[c.spells[k].consultant_id].insert(i);
    }
  }
  for (auto& [id, m] : marks) {
    int running = 0;
    for (int& v : m) v = running += v;
  }
  return marks;
}

Measured Caseload(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  std::map<std::string, std::set<size_t>> courses_of;
  const auto daily = DailyCaseloads(f, p, &courses_of);
  // Course-days over consultant-days: a consultant who carried courses
  // for only part of the period weighs for that part.
  long long course_days = 0, days_carrying = 0;
  std::set<size_t> courses;
  for (const auto& [id, counts] : daily) {
    if (!Mine(consultant, id)) continue;
    for (long d = 0; d < p.days(); ++d) {
      course_days += counts[d];
      if (counts[d] > 0) ++days_carrying;
    }
    courses.insert(courses_of[id].begin(), courses_of[id].end());
  }
  Measured m;
  if (days_carrying == 0) return m;
  m.value = static_cast<double>(course_days) / static_cast<double>(days_carrying);
  m.citizens = static_cast<long long>(courses.size());
  return m;
}

Measured Generalist(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long one = 0, all = 0;
  for (const Course& c : f.courses) {
    if (!RunningIn(c, p) || !CoursesMine(c, p, consultant)) continue;
    const absl::CivilDay day = JudgedOn(c, p);
    const auto spells =
        std::count_if(c.spells.begin(), c.spells.end(), [&](const auto& s) { return s.from <= day; });
    ++all;
    if (spells <= 1) ++one;
  }
  return OfShare(one, all, all);
}

bool AnyIn(const std::vector<absl::CivilDay>& days, absl::CivilDay lo, absl::CivilDay hi) {
  return std::any_of(days.begin(), days.end(), [&](absl::CivilDay d) { return lo <= d && d <= hi; });
}

Measured Integration(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long with = 0, all = 0;
  for (const Course& c : f.courses) {
    if (!RunningIn(c, p) || !CoursesMine(c, p, consultant)) continue;
    ++all;
    if (AnyIn(c.coordination, p.first, p.last)) ++with;
  }
  return OfShare(with, all, all);
}

Measured ZeroExclusion(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  if (consultant) return {};
  long long excluded = 0, all = 0;
  for (const auto& e : f.entries) {
    if (!p.Holds(e.day)) continue;
    ++all;
    if (e.excluded) ++excluded;
  }
  return OfShare(excluded, all, all);
}

// The jobs (not education) started in the period by the consultant.
std::vector<const Job*> JobsStartedIn(const FidelityFacts& f, const FidelityPeriod& p,
                                      const Who& consultant) {
  std::vector<const Job*> jobs;
  for (const Job& j : f.jobs) {
    if (!j.education && p.Holds(j.start) && Mine(consultant, j.consultant_id) &&
        j.course < f.courses.size()) {
      jobs.push_back(&j);
    }
  }
  return jobs;
}

long long DistinctCourses(const std::vector<const Job*>& jobs) {
  std::set<size_t> courses;
  for (const Job* j : jobs) courses.insert(j->course);
  return static_cast<long long>(courses.size());
}

Measured BeforeStart(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant,
                     std::vector<absl::CivilDay> Course::*conversations) {
  const auto jobs = JobsStartedIn(f, p, consultant);
  long long with = 0;
  for (const Job* j : jobs) {
    const Course& c = f.courses[j->course];
    if (AnyIn(c.*conversations, c.start, j->start)) ++with;
  }
  return OfShare(with, static_cast<long long>(jobs.size()), DistinctCourses(jobs));
}

// A course without a contact is not yet late until it has run this long.
constexpr int kRapidSearchDays = 30;

Measured RapidJobSearch(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long total = 0, counted = 0;
  for (const Course& c : f.courses) {
    if (!p.Holds(c.start) || !CoursesMine(c, p, consultant)) continue;
    const absl::CivilDay judged = JudgedOn(c, p);
    std::optional<absl::CivilDay> first;
    for (absl::CivilDay d : c.employer_contacts_face_to_face) {
      if (c.start <= d && d <= judged && (!first || d < *first)) first = d;
    }
    long days = 0;
    if (first) {
      days = static_cast<long>(*first - c.start);
    } else if (judged - c.start > kRapidSearchDays) {
      days = static_cast<long>(judged - c.start);
    } else {
      continue;
    }
    total += days;
    ++counted;
  }
  Measured m;
  if (counted == 0) return m;
  m.value = static_cast<double>(total) / static_cast<double>(counted);
  m.citizens = counted;
  return m;
}

Measured JobDevelopment(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  // The consultants: those who carried a course in the period or made a
  // contact in it, so one who made none counts with zero.
  std::map<std::string, std::set<size_t>> courses_of;
  DailyCaseloads(f, p, &courses_of);
  std::map<std::string, int> contacts;
  for (const auto& [id, courses] : courses_of) contacts[id] = 0;
  std::set<std::string> citizens;
  for (const auto& e : f.employer_contacts) {
    if (!p.Holds(e.day) || !e.face_to_face || !e.on_behalf_of_citizen) continue;
    ++contacts[e.consultant_id];
    if (Mine(consultant, e.consultant_id) && !e.pseudonym.empty()) citizens.insert(e.pseudonym);
  }
  double sum = 0;
  int n = 0;
  for (const auto& [id, count] : contacts) {
    if (!Mine(consultant, id)) continue;
    sum += ContactsPerWeek(count, static_cast<int>(p.days()));
    ++n;
  }
  Measured m;
  if (n == 0) return m;
  m.value = sum / n;
  m.citizens = static_cast<long long>(citizens.size());
  return m;
}

Measured Diversity(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant,
                   std::string Job::*what) {
  const auto jobs = JobsStartedIn(f, p, consultant);
  std::set<std::string> distinct;
  for (const Job* j : jobs) distinct.insert(j->*what);
  return OfShare(static_cast<long long>(distinct.size()), static_cast<long long>(jobs.size()),
                 DistinctCourses(jobs));
}

Measured Competitive(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  const auto jobs = JobsStartedIn(f, p, consultant);
  const auto competitive =
      std::count_if(jobs.begin(), jobs.end(), [](const Job* j) { return j->competitive; });
  return OfShare(competitive, static_cast<long long>(jobs.size()), DistinctCourses(jobs));
}

// Follow-along is judged over a job's first 120 days in windows of 30.
constexpr int kFollowWindow = 30, kFollowWindows = 4;

Measured FollowAlong(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long followed = 0, all = 0;
  std::set<size_t> courses;
  for (const Job& j : f.jobs) {
    if (j.education || !Mine(consultant, j.consultant_id)) continue;
    const absl::CivilDay last_window_day = j.start + kFollowWindow * kFollowWindows - 1;
    if (j.start > p.last || last_window_day < p.first) continue;
    absl::CivilDay horizon = std::min(p.last, last_window_day);
    if (j.end) horizon = std::min(horizon, *j.end);
    int windows = 0;
    bool every = true;
    for (int k = 0; k < kFollowWindows; ++k) {
      const absl::CivilDay lo = j.start + kFollowWindow * k, hi = lo + kFollowWindow - 1;
      if (hi > horizon) break;
      ++windows;
      if (!AnyIn(j.follow_along, lo, hi)) every = false;
    }
    if (windows == 0) continue;
    ++all;
    if (every) ++followed;
    courses.insert(j.course);
  }
  return OfShare(followed, all, static_cast<long long>(courses.size()));
}

Measured CommunityBased(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long out = 0, all = 0;
  std::set<std::string> citizens;
  for (const auto& c : f.contacts) {
    if (!p.Holds(c.day) || !Mine(consultant, c.consultant_id)) continue;
    ++all;
    if (c.in_community) ++out;
    citizens.insert(c.pseudonym);
  }
  return OfShare(out, all, static_cast<long long>(citizens.size()));
}

// Outreach after a no-show counts when it comes within this many days.
constexpr int kOutreachWithin = 14;

Measured AssertiveEngagement(const FidelityFacts& f, const FidelityPeriod& p, const Who& consultant) {
  long long kept = 0, ended = 0, reached = 0, no_shows = 0;
  std::set<size_t> courses;
  for (size_t i = 0; i < f.courses.size(); ++i) {
    const Course& c = f.courses[i];
    if (!RunningIn(c, p) || !CoursesMine(c, p, consultant)) continue;
    if (c.end && p.Holds(*c.end)) {
      ++ended;
      if (!c.closed_for_no_shows) ++kept;
      courses.insert(i);
    }
    for (absl::CivilDay d : c.no_shows) {
      if (!p.Holds(d)) continue;
      ++no_shows;
      if (AnyIn(c.outreach, d, d + kOutreachWithin)) ++reached;
      courses.insert(i);
    }
  }
  const Measured a = OfShare(kept, ended, 0), b = OfShare(reached, no_shows, 0);
  Measured m = !a.value ? b : !b.value ? a : (*b.value < *a.value ? b : a);
  if (m.value) m.citizens = static_cast<long long>(courses.size());
  return m;
}

}  // namespace

const std::string& CarrierOn(const std::vector<FidelityFacts::Spell>& spells, absl::CivilDay day) {
  const std::string* who = &spells.front().consultant_id;
  for (const auto& s : spells) {
    if (s.from <= day) who = &s.consultant_id;
  }
  return *who;
}

Measured MeasureItem(int number, const FidelityFacts& facts, const FidelityPeriod& period,
                     const Who& consultant) {
  if (period.last < period.first) return {};
  switch (number) {
    case 1:
      return Caseload(facts, period, consultant);
    case 3:
      return Generalist(facts, period, consultant);
    case 4:
      return Integration(facts, period, consultant);
    case 9:
      return ZeroExclusion(facts, period, consultant);
    case 12:
      return BeforeStart(facts, period, consultant, &Course::benefits_counselling);
    case 13:
      return BeforeStart(facts, period, consultant, &Course::disclosure);
    case 15:
      return RapidJobSearch(facts, period, consultant);
    case 17:
      return JobDevelopment(facts, period, consultant);
    case 19:
      return Diversity(facts, period, consultant, &Job::job_type);
    case 20:
      return Diversity(facts, period, consultant, &Job::employer_id);
    case 21:
      return Competitive(facts, period, consultant);
    case 23:
      return FollowAlong(facts, period, consultant);
    case 24:
      return CommunityBased(facts, period, consultant);
    case 25:
      return AssertiveEngagement(facts, period, consultant);
    default:
      return {};
  }
}

std::optional<std::string> ReviewerScoreProblem(int number, int score) {
  if (number < 1 || number > kFidelityItems) return "is not on the scale (1..25)";
  if (MeasuredFromData(number)) return "is scored from the data, not by the reviewers";
  if (score < 1 || score > 5) return absl::StrCat("score ", score, " is outside 1..5");
  return std::nullopt;
}

bool MeasuredPerConsultant(int number) { return MeasuredFromData(number) && number != 9; }

std::vector<std::string> ConsultantsOf(const FidelityFacts& facts) {
  std::set<std::string> ids;
  for (const auto& c : facts.courses) {
    for (const auto& s : c.spells) ids.insert(s.consultant_id);
  }
  for (const auto& j : facts.jobs) ids.insert(j.consultant_id);
  for (const auto& e : facts.employer_contacts) ids.insert(e.consultant_id);
  for (const auto& c : facts.contacts) ids.insert(c.consultant_id);
  ids.erase("");
  return {ids.begin(), ids.end()};
}

absl::StatusOr<FidelityReview> ReviewFidelity(const FidelityScale& scale, const FidelityFacts& facts,
                                              const FidelityPeriod& period,
                                              const std::map<int, int>& reviewer_scores) {
  for (const auto& [number, score] : reviewer_scores) {
    if (auto problem = ReviewerScoreProblem(number, score)) {
      return absl::InvalidArgumentError(absl::StrCat("reviewer_scores: item ", number, " ", *problem));
    }
  }
  FidelityReview review;
  const auto consultants = ConsultantsOf(facts);
  for (const FidelityItem& item : scale.items) {
    ReviewedItem r;
    r.number = item.number;
    if (item.anchors) {
      r.programme = MeasureItem(item.number, facts, period);
      if (r.programme.value) r.score = ScoreOn(*item.anchors, *r.programme.value);
      if (MeasuredPerConsultant(item.number)) {
        for (const auto& id : consultants) {
          Measured m = MeasureItem(item.number, facts, period, id);
          if (!m.value) continue;
          const int score = ScoreOn(*item.anchors, *m.value);
          r.consultants.push_back({id, std::move(m), score});
        }
      }
    } else if (auto it = reviewer_scores.find(item.number); it != reviewer_scores.end()) {
      r.score = it->second;
    }
    if (r.score) {
      ++review.items_scored;
      review.scored_total += *r.score;
    }
    review.items.push_back(std::move(r));
  }
  if (review.items_scored == kFidelityItems) {
    review.total = review.scored_total;
    review.band = BandOfTotal(scale, *review.total);
  }
  return review;
}

}  // namespace ips::reporting
