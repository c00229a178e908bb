// FactsInMemory::FidelityFactsOf: the fidelity review's facts from what the
// feeds carry today.
#include <algorithm>

#include "services/reporting/domain/fidelity_measures.h"
#include "services/reporting/facts_in_memory.h"

namespace ips::reporting {
namespace {

// The fidelity items whose facts the feeds carry to reporting today:
//  1 caseload: each course's consultant and days;
//  3 vocational generalist: the registry's reassignments (ConsultantAssigned);
// 19, 20 diversity of job types and employers: each placement's job type
//    (the pseudonym of its industry) and employer;
// 21 competitive jobs: each placement's kind and start;
// 24 community-based services: where each held job conversation and each
//    contact activity recorded with its place was;
// 15, 17 rapid job search and job development: employer contacts on a named
//    citizen's behalf (matching's, with the citizen's pseudonym), face to
//    face when a visit at the workplace;
// 12, 13 benefits counselling and disclosure: the registry's activities of
//    those kinds, by their start;
// 25 assertive engagement: no-show days, outreach activities and courses
//    ended early for lost contact;
//  4 integration with treatment: treatment's coordination notes and the
//    referrals the IPS consultant made;
// 23 time-unlimited follow-along: follow-along activities and held job
//    conversations during a job.
//  9 zero exclusion: the enrolments and the registry's refusals at entry.
// Every item the data can answer.
const std::set<int> kFedItems = {1, 3, 4, 9, 12, 13, 15, 17, 19, 20, 21, 23, 24, 25};

// The entry rules that screen people out rather than define whom the
// programme serves (ips.registry.v1.EligibilityRule): five years or more
// out of work (job readiness) and being in substance treatment already.
// The others (age, activity-ready, cash benefit, substance use, district)
// are its target group; a refusal on them alone is no exclusion.
constexpr int kExclusionRules = 1 << 5 | 1 << 7;

// ips.treatment.v1.Referrer: the IPS consultant.
constexpr int kByIpsConsultant = 1;

// ips.registry.v1.ConversationPlace: out in the community.
constexpr int kCommunity = 5;

// Who carried `c` from when: the first consultant (the first
// reassignment's `from`, or the current one) from the start, then each
// reassignment from its day.
std::vector<FidelityFacts::Spell> SpellsOf(const StoredCourse& c) {
  std::vector<FidelityFacts::Spell> spells;
  const absl::CivilDay start = FromDayNumber(c.start);
  spells.push_back({c.reassignments.empty() ? c.consultant_id : c.reassignments.front().from, start});
  for (const auto& r : c.reassignments) spells.push_back({r.to, std::max(start, FromDayNumber(r.day))});
  return spells;
}

// ips.matching.v1.OpeningKind: ordinary, part-time and flex jobs are
// competitive; education is not a job.
bool Competitive(int kind) { return kind == 1 || kind == 2 || kind == 3; }
bool Education(int kind) { return kind == 7; }

}  // namespace

FactsInMemory::FidelityInput FactsInMemory::FidelityFactsOf(const FidelityPeriod& period) const {
  FidelityInput out;
  out.fed_items = kFedItems;
  const DayNumber last = ToDayNumber(period.last);
  // Stored course -> its place in out.facts.courses (-1: started after the period).
  std::vector<long> slot(courses_.size(), -1);
  for (size_t i = 0; i < courses_.size(); ++i) {
    const StoredCourse& s = courses_[i];
    if (s.start == kNoDay || s.start > last) continue;
    FidelityFacts::Course c;
    c.pseudonym = pseudonyms_[static_cast<size_t>(s.pseudonym)];
    c.start = FromDayNumber(s.start);
    if (s.end != kNoDay && s.end <= last) c.end = FromDayNumber(s.end);
    c.spells = SpellsOf(s);
    c.closed_for_no_shows = s.lost_contact;
    const auto days_by = [&](const std::vector<DayNumber>& from, std::vector<absl::CivilDay>& to) {
      for (DayNumber d : from) {
        if (d <= last) to.push_back(FromDayNumber(d));
      }
    };
    days_by(s.no_show_days, c.no_shows);
    days_by(s.outreach, c.outreach);
    days_by(s.benefits_counselling, c.benefits_counselling);
    days_by(s.disclosure, c.disclosure);
    // Each held job conversation is a contact with the citizen, by whoever
    // carried the course that day.
    for (size_t k = 0; k < s.held.size(); ++k) {
      if (s.held[k] > last) continue;
      const absl::CivilDay day = FromDayNumber(s.held[k]);
      const int place = k < s.held_places.size() ? s.held_places[k] : 0;
      out.facts.contacts.push_back({CarrierOn(c.spells, day), c.pseudonym, day, place == kCommunity});
    }
    // And each contact activity recorded with its place.
    for (size_t k = 0; k < s.met.size() && k < s.met_places.size(); ++k) {
      if (s.met[k] > last) continue;
      const absl::CivilDay day = FromDayNumber(s.met[k]);
      out.facts.contacts.push_back(
          {CarrierOn(c.spells, day), c.pseudonym, day, s.met_places[k] == kCommunity});
    }
    out.facts.entries.push_back({c.start, false});  // admitted
    slot[i] = static_cast<long>(out.facts.courses.size());
    out.facts.courses.push_back(std::move(c));
  }
  for (const auto& p : placements_) {
    // A placement that continued as another within the period (an
    // internship as a wage subsidy job, say) is one job with the employer:
    // it counts as what it became.
    if (p.start == kNoDay || p.start > last || (p.converted && p.end != kNoDay && p.end < last)) continue;
    const long i = CourseOn(p.pseudonym, p.start);
    if (i < 0 || slot[static_cast<size_t>(i)] < 0) continue;  // a placement outside a course
    FidelityFacts::Job j;
    j.course = static_cast<size_t>(slot[static_cast<size_t>(i)]);
    j.employer_id = p.employer_id;
    j.job_type = p.job_type;
    j.competitive = Competitive(p.kind);
    j.education = Education(p.kind);
    j.start = FromDayNumber(p.start);
    // The job is the placing consultant's: who carried the course that day.
    j.consultant_id = CarrierOn(out.facts.courses[j.course].spells, j.start);
    if (p.end != kNoDay && p.end <= last) j.end = FromDayNumber(p.end);
    // Follow-along: the course's follow-along activities and held job
    // conversations from the job's first day to its end.
    const StoredCourse& course = courses_[static_cast<size_t>(i)];
    const DayNumber until = std::min(last, p.end == kNoDay ? last : p.end);
    for (const auto* days : {&course.follow_along, &course.held}) {
      for (DayNumber d : *days) {
        if (p.start <= d && d <= until) j.follow_along.push_back(FromDayNumber(d));
      }
    }
    out.facts.jobs.push_back(std::move(j));
  }
  for (const auto& r : refusals_) {
    if (r.day <= last)
      out.facts.entries.push_back({FromDayNumber(r.day), (r.unmet_rules & kExclusionRules) != 0});
  }
  // The reviewed course of the citizen `pseudonym` running on `day`, for
  // the facts treatment and matching publish by the citizen (nullptr: none,
  // or after the period).
  const auto course_on = [&](int pseudonym, DayNumber day) -> FidelityFacts::Course* {
    if (day == kNoDay || day > last) return nullptr;
    const long i = CourseOn(pseudonym, day);
    if (i < 0 || slot[static_cast<size_t>(i)] < 0) return nullptr;
    return &out.facts.courses[static_cast<size_t>(slot[static_cast<size_t>(i)])];
  };
  // Coordination with SOF on a course: notes, and referrals by the IPS
  // consultant.
  for (const auto& n : notes_) {
    if (auto* c = course_on(n.pseudonym, n.day)) c->coordination.push_back(FromDayNumber(n.day));
  }
  for (const auto& r : referrals_) {
    if (r.referred_by != kByIpsConsultant) continue;
    if (auto* c = course_on(r.pseudonym, r.request)) c->coordination.push_back(FromDayNumber(r.request));
  }
  // Employer contacts on a citizen's behalf: item 17 counts each
  // consultant's face-to-face ones; item 15 takes a course's first
  // face-to-face one (matching made it within the course).
  for (const auto& b : behalf_contacts_) {
    if (b.day == kNoDay || b.day > last) continue;
    const absl::CivilDay day = FromDayNumber(b.day);
    out.facts.employer_contacts.push_back(
        {b.consultant_id, pseudonyms_[static_cast<size_t>(b.pseudonym)], day, b.face_to_face, true});
    if (!b.face_to_face) continue;
    if (auto* c = course_on(b.pseudonym, b.day)) c->employer_contacts_face_to_face.push_back(day);
  }
  return out;
}

}  // namespace ips::reporting
