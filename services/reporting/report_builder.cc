#include "services/reporting/report_builder.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/common/dates.h"
#include "services/common/soci_rows.h"
#include "services/registry/domain/conversation_plan.h"
#include "services/reporting/domain/kpi_formulas.h"
#include "services/reporting/domain/suppression.h"

namespace ips::reporting {
namespace {

// Opening kinds (ips.matching.v1.OpeningKind) that count as a job or as
// education for the programme's target: ordinary, part-time, flex job;
// education.
Attainment OfPlacementKind(int kind) {
  if (kind == 1 || kind == 2 || kind == 3) return Attainment::kJob;
  if (kind == 7) return Attainment::kEducation;
  return Attainment::kNone;
}

// Course outcomes (ips.registry.v1.CourseOutcome).
Attainment OfOutcome(int outcome) {
  switch (outcome) {
    case 0:
      return Attainment::kNone;
    case 1:
    case 2:
    case 3:
      return Attainment::kJob;
    case 4:
      return Attainment::kEducation;
    case 9:
      return Attainment::kEndedEarly;
    default:
      return Attainment::kOther;
  }
}

// 'YYYY-MM-DD' as stored; read by hand because a report reads millions of
// them and the general parser is the slow part.
std::optional<absl::CivilDay> Day(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    if (text.empty()) return std::nullopt;
    return ParseDay(std::string(text));
  }
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  return absl::CivilDay(digits(0, 4), digits(5, 2), digits(8, 2));
}

bool Covers(const CourseFact& c, absl::CivilDay day) { return c.start <= day && (!c.end || day <= *c.end); }

// The course of `pseudonym` that was running on `day`, if any.
CourseFact* CourseOn(std::unordered_map<std::string, std::vector<size_t>>& by_pseudonym,
                     std::vector<CourseFact>& courses, const std::string& pseudonym, absl::CivilDay day) {
  auto it = by_pseudonym.find(pseudonym);
  if (it == by_pseudonym.end()) return nullptr;
  for (size_t i : it->second) {
    if (Covers(courses[i], day)) return &courses[i];
  }
  return nullptr;
}

}  // namespace

LoadedFacts LoadFacts(soci::session& s, absl::CivilDay as_of, absl::CivilDay period_start) {
  LoadedFacts out;
  std::unordered_map<std::string, std::vector<size_t>> by_pseudonym;
  // Per course (by index): the due dates and the held conversations.
  std::vector<std::vector<absl::CivilDay>> due;
  std::vector<std::vector<registry::HeldConversation>> held;
  const long long as_of_day = as_of - absl::CivilDay(1970, 1, 1);
  {
    // Read in bulk: a report reads every course.
    constexpr size_t kBulk = 2000;
    std::vector<std::string> pseudonym(kBulk), consultant(kBulk), start(kBulk), end(kBulk), dues(kBulk),
        held_days(kBulk);
    std::vector<int> outcome(kBulk), social(kBulk), no_shows(kBulk);
    soci::statement st =
        (s.prepare << "SELECT pseudonym, consultant_id, start_date, end_date, outcome, due_dates, "
                      "social_progression, held_days, no_shows FROM courses",
         soci::into(pseudonym), soci::into(consultant), soci::into(start), soci::into(end),
         soci::into(outcome), soci::into(dues), soci::into(social), soci::into(held_days),
         soci::into(no_shows));
    st.execute();
    while (st.fetch()) {
      for (size_t r = 0; r < pseudonym.size(); ++r) {
        auto start_day = Day(start[r]);
        if (!start_day || *start_day > as_of) continue;  // not started by the as-of day
        CourseFact c;
        c.pseudonym = std::move(pseudonym[r]);
        c.consultant_id = std::move(consultant[r]);
        c.start = *start_day;
        // A course ended after the as-of day is still running on it.
        if (auto e = Day(end[r]); e && *e <= as_of) {
          c.end = e;
          c.outcome = OfOutcome(outcome[r]);
        }
        c.social_progression = social[r] != 0;
        c.conversations_no_show = no_shows[r];
        const size_t index = out.courses.size();
        due.emplace_back();
        held.emplace_back();
        for (absl::string_view d : absl::StrSplit(dues[r], ',', absl::SkipEmpty())) {
          if (auto day = Day(d)) due[index].push_back(*day);
        }
        // Held conversations: days since 1970, comma-terminated.
        auto& mine = held[index];
        long long n = 0;
        for (char ch : held_days[r]) {
          if (ch == ',') {
            if (n <= as_of_day) mine.push_back({absl::CivilDay(1970, 1, 1) + n, std::to_string(mine.size())});
            n = 0;
          } else {
            n = n * 10 + (ch - '0');
          }
        }
        c.conversations_held = static_cast<int>(mine.size());
        by_pseudonym[c.pseudonym].push_back(index);
        out.courses.push_back(std::move(c));
      }
      // SOCI shrinks the vectors to the rows it read; the next fetch reads
      // as many as they hold.
      for (auto* v : {&pseudonym, &consultant, &start, &end, &dues, &held_days}) v->resize(kBulk);
      for (auto* v : {&outcome, &social, &no_shows}) v->resize(kBulk);
    }
  }
  for (size_t i = 0; i < out.courses.size(); ++i) {
    auto& c = out.courses[i];
    const absl::CivilDay judged_on = c.end ? std::min(*c.end, as_of) : as_of;
    for (const auto& d : registry::EvaluatePlan(due[i], std::move(held[i]), judged_on)) {
      if (d.state == registry::DueState::kPending) continue;
      ++c.conversations_due;
      if (d.state == registry::DueState::kMet) ++c.conversations_met_on_time;
    }
  }
  {
    std::string pseudonym, start, end;
    int kind = 0, converted = 0;
    soci::statement st =
        (s.prepare << "SELECT pseudonym, kind, start_date, end_date, converted FROM placements",
         soci::into(pseudonym), soci::into(kind), soci::into(start), soci::into(end), soci::into(converted));
    st.execute();
    while (st.fetch()) {
      auto day = Day(start);
      if (!day || *day > as_of) continue;
      CourseFact* c = CourseOn(by_pseudonym, out.courses, pseudonym, *day);
      if (!c) continue;
      PlacementFact p;
      p.start = *day;
      if (auto e = Day(end); e && *e <= as_of) p.end = e;
      p.converted = converted != 0;
      p.attains = OfPlacementKind(kind);
      c->placements.push_back(p);
    }
  }
  {
    std::string pseudonym, date;
    int by = 0, met = 0;
    soci::statement st =
        (s.prepare << "SELECT pseudonym, request_date, referred_by, guarantee_met FROM referrals",
         soci::into(pseudonym), soci::into(date), soci::into(by), soci::into(met));
    st.execute();
    while (st.fetch()) {
      auto day = Day(date);
      if (!day || *day > as_of) continue;
      CourseFact* c = CourseOn(by_pseudonym, out.courses, pseudonym, *day);
      if (!c) continue;  // the programme counts referrals made during a course
      ++c->referrals_after_start;
      ++out.referrals;
      if (by == 1) ++out.referrals_by_consultant;
      if (met >= 0) {
        ++out.guarantee_judged;
        out.guarantee_met += met;
      }
    }
  }
  {
    std::string pseudonym, date;
    soci::statement st = (s.prepare << "SELECT pseudonym, start_date FROM treatment_starts",
                          soci::into(pseudonym), soci::into(date));
    st.execute();
    while (st.fetch()) {
      auto day = Day(date);
      if (!day || *day > as_of) continue;
      if (CourseFact* c = CourseOn(by_pseudonym, out.courses, pseudonym, *day))
        ++c->treatment_starts_after_start;
    }
  }
  {
    std::string consultant, date;
    int contacts = 0;
    const std::string from = FormatDay(period_start), to = FormatDay(as_of);
    soci::statement st =
        (s.prepare << "SELECT consultant_id, contact_date, contacts FROM contact_days "
                      "WHERE contact_date >= :f AND contact_date <= :t",
         soci::use(from), soci::use(to), soci::into(consultant), soci::into(date), soci::into(contacts));
    st.execute();
    while (st.fetch()) out.employer_contacts[consultant] += contacts;
  }
  return out;
}

namespace {

// A share as published: hidden when its numerator, its complement or its
// base is a small count.
struct Shown {
  std::string text;
  bool suppressed = false;
  std::optional<double> percent;
};

Shown ShowShare(const Share& share, long long threshold) {
  Shown out;
  if (share.denominator == 0) return {"0 of 0", false, std::nullopt};
  const auto list = SuppressList({share.numerator, share.denominator - share.numerator}, threshold);
  if (list.total) return {ShowCount(share.denominator, true, threshold), true, std::nullopt};
  if (list.items[0]) {
    const bool small = share.numerator > 0 && share.numerator < threshold;
    return {absl::StrCat(small ? ShowCount(share.numerator, true, threshold) : "suppressed", " of ",
                         share.denominator),
            true, std::nullopt};
  }
  return {share.Text(), false, share.percent()};
}

std::string ShowPlain(long long count, long long threshold) {
  return ShowCount(count, count > 0 && count < threshold, threshold);
}

v1::Kpi ShareKpi(const std::string& id, const std::string& title, const Share& share, long long threshold,
                 std::optional<double> target_percent) {
  v1::Kpi k;
  k.set_id(id);
  k.set_title(title);
  const Shown shown = ShowShare(share, threshold);
  k.set_value(shown.text);
  k.set_suppressed(shown.suppressed);
  if (!shown.suppressed) {
    k.set_numerator(share.numerator);
    k.set_denominator(share.denominator);
  }
  if (shown.percent) k.set_value_number(*shown.percent);
  if (target_percent) {
    k.set_target(absl::StrCat(absl::StrFormat("%g", *target_percent), "%"));
    if (!shown.percent) {
      k.set_status(v1::TARGET_STATUS_NO_DATA);
    } else {
      k.set_status(*shown.percent >= *target_percent ? v1::TARGET_STATUS_MET : v1::TARGET_STATUS_NOT_MET);
    }
  } else {
    k.set_status(v1::TARGET_STATUS_NO_TARGET);
  }
  return k;
}

v1::Kpi CountKpi(const std::string& id, const std::string& title, long long count, long long threshold) {
  v1::Kpi k;
  k.set_id(id);
  k.set_title(title);
  const bool hidden = count > 0 && count < threshold;
  k.set_value(ShowPlain(count, threshold));
  k.set_suppressed(hidden);
  if (!hidden) {
    k.set_denominator(count);
    k.set_value_number(static_cast<double>(count));
  }
  k.set_status(v1::TARGET_STATUS_NO_TARGET);
  return k;
}

v1::CaseloadBand BandProto(CaseloadBand b) {
  switch (b) {
    case CaseloadBand::kWithinFidelity:
      return v1::CASELOAD_BAND_WITHIN_FIDELITY;
    case CaseloadBand::kWithinBudget:
      return v1::CASELOAD_BAND_WITHIN_BUDGET;
    case CaseloadBand::kOver:
      return v1::CASELOAD_BAND_OVER;
  }
  return v1::CASELOAD_BAND_UNSPECIFIED;
}

}  // namespace

v1::ProgrammeReport BuildReport(const LoadedFacts& facts, absl::CivilDay as_of, absl::CivilDay period_start,
                                const ReportConfig& config) {
  const long long t = config.suppression_threshold;
  const auto& courses = facts.courses;
  const int period_days = static_cast<int>(as_of - period_start) + 1;
  v1::ProgrammeReport r;
  *r.mutable_as_of() = ToProtoDate(as_of);
  *r.mutable_period_start() = ToProtoDate(period_start);
  r.set_suppression_threshold(static_cast<int>(t));

  const auto caseload = CaseloadOn(courses, as_of);
  long long active = 0;
  for (const auto& [k, n] : caseload) active += n;
  *r.add_kpis() = CountKpi("enrolled_total", "Citizens enrolled by the as-of day",
                           static_cast<long long>(courses.size()), t);
  *r.add_kpis() = CountKpi("enrolled_active", "Citizens with a running course", active, t);
  *r.add_kpis() = ShareKpi("job_or_education_12m", "In job or education within 12 months of the start",
                           JobOrEducationWithin(courses, 12, as_of), t, config.target_12_months);
  *r.add_kpis() = ShareKpi("job_or_education_24m", "In job or education within 24 months of the start",
                           JobOrEducationWithin(courses, 24, as_of), t, config.target_24_months);
  *r.add_kpis() = ShareKpi("job_or_education_now", "Running courses in job or education on the as-of day",
                           InJobOrEducationOn(courses, as_of), t, std::nullopt);
  *r.add_kpis() = ShareKpi("placement_or_progression", "With a company placement or social progression",
                           PlacementOrSocialProgression(courses, as_of), t, config.target_progression);
  const auto days = DaysToFirstPlacement(courses);
  {
    v1::Kpi k;
    k.set_id("days_to_first_placement");
    k.set_title("Median days from the start to the first placement");
    k.set_target(absl::StrCat("≤ ", config.target_days_to_placement, " days"));
    auto median = Median(days);
    const bool hidden = !days.empty() && static_cast<long long>(days.size()) < t;
    if (!median || hidden) {
      k.set_value(
          hidden ? absl::StrCat("hidden (", ShowPlain(static_cast<long long>(days.size()), t), " placed)")
                 : "no placements");
      k.set_suppressed(hidden);
      k.set_status(v1::TARGET_STATUS_NO_DATA);
    } else {
      k.set_value(absl::StrFormat("%g days (%d placed)", *median, days.size()));
      k.set_value_number(*median);
      k.set_denominator(static_cast<long long>(days.size()));
      k.set_status(*median <= config.target_days_to_placement ? v1::TARGET_STATUS_MET
                                                              : v1::TARGET_STATUS_NOT_MET);
    }
    *r.add_kpis() = k;
  }
  *r.add_kpis() = ShareKpi("placed_within_30_days", "First placement within 30 days of the start",
                           Within(days, config.target_days_to_placement), t, std::nullopt);
  *r.add_kpis() = ShareKpi("conversation_timeliness", "Job conversations held by their due date",
                           Timeliness(courses), t, std::nullopt);
  *r.add_kpis() =
      ShareKpi("conversation_attendance", "Job conversations attended", Attendance(courses), t, std::nullopt);
  long long treated = 0;
  for (const auto& c : courses) treated += c.treatment_starts_after_start;
  *r.add_kpis() =
      CountKpi("referrals_during_course", "Referrals to treatment during a course", facts.referrals, t);
  *r.add_kpis() = CountKpi("treatment_starts_during_course", "Treatment started during a course", treated, t);
  *r.add_kpis() = ShareKpi("treatment_guarantee_met", "Treatment offered within the 14-day guarantee",
                           Share{facts.guarantee_met, facts.guarantee_judged}, t, 100.0);
  {
    // The period's budget over the citizens served in the period (a course
    // running on any of its days) and the job or education outcomes reached
    // in it.
    long long served = 0, outcomes = 0;
    for (const auto& c : courses) {
      if (c.end && *c.end < period_start) continue;
      ++served;
      auto first = FirstJobOrEducation(c);
      outcomes += first && *first >= period_start && *first <= as_of;
    }
    const Cost cost = CostOf(config.budget_per_year, period_days, served, outcomes);
    for (const auto& [id, title, value] :
         {std::tuple{"cost_per_citizen", "Budget per citizen served in the period (kr.)", cost.per_citizen},
          std::tuple{"cost_per_outcome", "Budget per job or education reached in the period (kr.)",
                     cost.per_outcome}}) {
      v1::Kpi k;
      k.set_id(id);
      k.set_title(title);
      k.set_status(v1::TARGET_STATUS_NO_TARGET);
      if (value) {
        k.set_value(absl::StrFormat("%.0f", *value));
        k.set_value_number(*value);
      } else {
        k.set_value("-");
      }
      *r.add_kpis() = k;
    }
  }

  // Cohorts by start quarter.
  std::map<std::string, long long> enrolled_by_cohort;
  for (const auto& c : courses) ++enrolled_by_cohort[CohortOf(c.start)];
  const auto within12 = JobOrEducationWithinByCohort(courses, 12, as_of);
  const auto within24 = JobOrEducationWithinByCohort(courses, 24, as_of);
  for (const auto& [cohort, n] : enrolled_by_cohort) {
    auto* row = r.add_cohorts();
    row->set_cohort(cohort);
    row->set_enrolled(ShowPlain(n, t));
    row->set_within_12_months(ShowShare(within12.at(cohort), t).text);
    row->set_within_24_months(ShowShare(within24.at(cohort), t).text);
  }

  // Consultants: caseload (suppressed as a list with its total) and
  // employer contacts per week.
  const auto& contacts = facts.employer_contacts;
  std::vector<std::string> consultants;
  for (const auto& [k, n] : caseload) consultants.push_back(k);
  for (const auto& [k, n] : contacts) {
    if (!caseload.count(k)) consultants.push_back(k);
  }
  std::vector<long long> loads;
  for (const auto& k : consultants) loads.push_back(caseload.count(k) ? caseload.at(k) : 0);
  const auto hidden_loads = SuppressList(loads, t);
  for (size_t i = 0; i < consultants.size(); ++i) {
    auto* row = r.add_consultants();
    row->set_consultant_id(consultants[i]);
    row->set_caseload(ShowCount(loads[i], hidden_loads.items[i], t));
    row->set_band(BandProto(BandOf(static_cast<int>(loads[i]))));
    row->set_employer_contacts_per_week(
        ContactsPerWeek(contacts.count(consultants[i]) ? contacts.at(consultants[i]) : 0, period_days));
  }

  // Outcomes of ended courses.
  const auto outcomes = OutcomeDistribution(courses);
  const std::vector<std::pair<Attainment, std::string>> kinds = {{Attainment::kJob, "job"},
                                                                 {Attainment::kEducation, "education"},
                                                                 {Attainment::kOther, "other"},
                                                                 {Attainment::kEndedEarly, "ended_early"}};
  std::vector<long long> counts;
  for (const auto& [a, name] : kinds) counts.push_back(outcomes.count(a) ? outcomes.at(a) : 0);
  const auto hidden_outcomes = SuppressList(counts, t);
  for (size_t i = 0; i < kinds.size(); ++i) {
    auto* row = r.add_outcomes();
    row->set_outcome(kinds[i].second);
    row->set_count(ShowCount(counts[i], hidden_outcomes.items[i], t));
  }
  return r;
}

}  // namespace ips::reporting
