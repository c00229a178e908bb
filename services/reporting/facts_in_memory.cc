#include "services/reporting/facts_in_memory.h"

#include <algorithm>
#include <optional>

#include "ips/matching/v1/events.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/dates.h"
#include "services/rules/conversation_plan.h"

namespace ips::reporting {
namespace {

namespace rv1 = registry::v1;
namespace mv1 = matching::v1;
namespace tv1 = treatment::v1;

const absl::CivilDay kEpoch(1970, 1, 1);

DayNumber DayOf(const google::type::Date& d) { return ToDayNumber(CivilDayOf(d)); }

// The day list of a course that an activity of `kind` goes to, for the
// fidelity review; none for the kinds it does not read.
std::optional<DayList> FidelityListOf(rv1::ActivityKind kind) {
  switch (kind) {
    case rv1::ACTIVITY_KIND_OUTREACH:
      return DayList::kOutreach;
    case rv1::ACTIVITY_KIND_BENEFITS_COUNSELLING:
      return DayList::kBenefits;
    case rv1::ACTIVITY_KIND_DISCLOSURE:
      return DayList::kDisclosure;
    case rv1::ACTIVITY_KIND_FOLLOW_ALONG:
      return DayList::kFollowAlong;
    default:
      return std::nullopt;
  }
}

// Adds `day` to ascending `days` unless it is there; true when added.
bool AddDay(std::vector<DayNumber>& days, DayNumber day) {
  auto at = std::lower_bound(days.begin(), days.end(), day);
  if (at != days.end() && *at == day) return false;
  days.insert(at, day);
  return true;
}

// Adds a contact held on `day` at `place` to `c` unless it is there (an
// activity is published again when it changes); true when added.
bool AddMeeting(StoredCourse& c, DayNumber day, int place) {
  for (size_t i = 0; i < c.met.size(); ++i) {
    if (c.met[i] == day && c.met_places[i] == place) return false;
  }
  c.met.push_back(day);
  c.met_places.push_back(place);
  return true;
}

bool IsSocialEffort(rv1::ActivityKind kind) {
  return kind == rv1::ACTIVITY_KIND_SOCIAL_FREE_CARD || kind == rv1::ACTIVITY_KIND_HOUSING ||
         kind == rv1::ACTIVITY_KIND_DEBT || kind == rv1::ACTIVITY_KIND_HEALTH;
}

// Opening kinds (ips.matching.v1.OpeningKind) that count as a job or as
// education for the programme's target: ordinary, part-time, flex job;
// education.
// The day in Copenhagen an event was committed: a reassignment takes
// effect when it is made.
DayNumber CommitDay(const common::v1::Event& e) {
  return ToDayNumber(DayInCopenhagen(absl::FromUnixSeconds(e.create_time().seconds()) +
                                     absl::Nanoseconds(e.create_time().nanos())));
}

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

// Replaces the row with the same id or adds it; its index.
template <typename Row>
size_t Put(std::vector<Row>& rows, absl::flat_hash_map<std::string, size_t>& index, const std::string& id,
           Row row) {
  auto [it, added] = index.try_emplace(id, rows.size());
  if (added) {
    rows.push_back(std::move(row));
  } else {
    rows[it->second] = std::move(row);
  }
  return it->second;
}

}  // namespace

DayNumber ToDayNumber(absl::CivilDay day) { return static_cast<DayNumber>(day - kEpoch); }
absl::CivilDay FromDayNumber(DayNumber day) { return kEpoch + day; }

int FactsInMemory::Intern(const std::string& pseudonym) {
  auto [it, added] = pseudonym_index_.try_emplace(pseudonym, static_cast<int>(pseudonyms_.size()));
  if (added) {
    pseudonyms_.push_back(pseudonym);
    courses_of_.emplace_back();
  }
  return it->second;
}

void FactsInMemory::PutCourse(StoredCourse c) {
  const int p = c.pseudonym;
  const size_t before = courses_.size();
  const std::string id = c.enrollment_id;
  const size_t i = Put(courses_, course_index_, id, std::move(c));
  // An enrolment belongs to one citizen for good: listed once, when added.
  if (i == before) courses_of_[static_cast<size_t>(p)].push_back(i);
}

bool FactsInMemory::AddCourseDay(size_t i, DayList list, DayNumber day, int place) {
  StoredCourse& c = courses_[i];
  switch (list) {
    case DayList::kHeld:
      c.held.push_back(day);
      c.held_places.push_back(place);
      return true;
    case DayList::kNoShow:
      c.no_show_days.push_back(day);
      return true;
    case DayList::kOutreach:
      return AddDay(c.outreach, day);
    case DayList::kBenefits:
      return AddDay(c.benefits_counselling, day);
    case DayList::kDisclosure:
      return AddDay(c.disclosure, day);
    case DayList::kFollowAlong:
      return AddDay(c.follow_along, day);
    case DayList::kMet:
      return AddMeeting(c, day, place);
  }
  return false;  // a list this version does not know
}

void FactsInMemory::RecordCourseDay(size_t i, DayList list, DayNumber day, int place) {
  if (AddCourseDay(i, list, day, place)) {
    changes_.course_days.push_back({i, courses_[i].day_rows++, list, day, place});
  }
}

bool FactsInMemory::PutCourseDay(const std::string& enrollment_id, int position, DayList list, DayNumber day,
                                 int place) {
  auto it = course_index_.find(enrollment_id);
  if (it == course_index_.end()) return false;
  AddCourseDay(it->second, list, day, place);
  StoredCourse& c = courses_[it->second];
  c.day_rows = std::max(c.day_rows, position + 1);
  return true;
}

void FactsInMemory::PutPlacement(StoredPlacement p) {
  const std::string id = p.placement_id;
  Put(placements_, placement_index_, id, std::move(p));
}

void FactsInMemory::PutReferral(StoredReferral r) {
  const std::string id = r.referral_id;
  Put(referrals_, referral_index_, id, std::move(r));
}

void FactsInMemory::PutTreatmentStart(StoredTreatmentStart t) {
  const std::string id = t.episode_id;
  Put(treatment_starts_, treatment_start_index_, id, std::move(t));
}

void FactsInMemory::PutRefusal(StoredRefusal r) {
  if (!refused_on_.insert({r.pseudonym, r.day}).second) return;
  refusals_.push_back(r);
}

void FactsInMemory::PutNote(StoredNote n) {
  const std::string id = n.note_id;
  Put(notes_, note_index_, id, std::move(n));
}

void FactsInMemory::PutBehalfContact(StoredBehalfContact c) { behalf_contacts_.push_back(std::move(c)); }

void FactsInMemory::PutContacts(const std::string& consultant_id, DayNumber day, int contacts) {
  contacts_[consultant_id][day] = contacts;
}

void FactsInMemory::PutCursor(const std::string& source, long long sequence) { cursors_[source] = sequence; }

long long FactsInMemory::Applied(const std::string& source) const {
  auto it = cursors_.find(source);
  return it == cursors_.end() ? 0 : it->second;
}

int FactsInMemory::Contacts(const std::string& consultant_id, DayNumber day) const {
  auto k = contacts_.find(consultant_id);
  if (k == contacts_.end()) return 0;
  auto d = k->second.find(day);
  return d == k->second.end() ? 0 : d->second;
}

FactsInMemory::Changes FactsInMemory::TakeChanges() { return std::exchange(changes_, Changes{}); }

void FactsInMemory::Apply(const std::string& source, const common::v1::Event& event) {
  if (event.sequence() <= Applied(source)) return;  // already applied (a resent event)
  if (source == "registry") {
    ApplyRegistry(event);
  } else if (source == "matching") {
    ApplyMatching(event);
  } else if (source == "treatment") {
    ApplyTreatment(event);
  }
  cursors_[source] = event.sequence();
  changes_.cursors.insert(source);
}

void FactsInMemory::ApplyRegistry(const common::v1::Event& e) {
  const auto& any = e.payload();
  // Events about an enrolment reporting has not seen are skipped: the
  // registry's feed has each enrolment before anything about it.
  const auto find = [&](const std::string& id) -> std::optional<size_t> {
    auto it = course_index_.find(id);
    if (it == course_index_.end()) return std::nullopt;
    return it->second;
  };
  // A course whose own columns the event changes.
  const auto touch = [&](const std::string& id) -> StoredCourse* {
    auto i = find(id);
    if (!i) return nullptr;
    changes_.courses.insert(*i);
    return &courses_[*i];
  };
  if (rv1::EnrollmentStarted m; any.UnpackTo(&m)) {
    StoredCourse c;
    c.enrollment_id = m.enrollment_id();
    c.pseudonym = Intern(e.subject_pseudonym());
    c.consultant_id = m.consultant_id();
    c.start = DayOf(m.start_date());
    for (const auto& d : m.conversation_due_dates()) c.due.push_back(DayOf(d));
    std::sort(c.due.begin(), c.due.end());
    if (auto again = find(m.enrollment_id())) {
      // Started again (not something the registry does, but the store
      // must follow memory): its stored days go, and so do those waiting.
      changes_.restarted_courses.insert(*again);
      auto& waiting = changes_.course_days;
      waiting.erase(std::remove_if(waiting.begin(), waiting.end(),
                                   [&](const StoredCourseDay& d) { return d.course == *again; }),
                    waiting.end());
    }
    PutCourse(std::move(c));
    touch(m.enrollment_id());
  } else if (rv1::EntryRefused m; any.UnpackTo(&m)) {
    StoredRefusal r{Intern(e.subject_pseudonym()), CommitDay(e), 0};
    for (int rule : m.unmet_rules()) {
      if (rule > 0 && rule < 31) r.unmet_rules |= 1 << rule;
    }
    if (!refused_on_.count({r.pseudonym, r.day})) {
      changes_.refusals.insert(refusals_.size());
      PutRefusal(r);
    }
  } else if (rv1::ConversationPlanChanged m; any.UnpackTo(&m)) {
    // The rules the course is judged by changed: its plan is made again.
    if (auto* c = touch(m.enrollment_id())) {
      c->due.clear();
      for (const auto& d : m.conversation_due_dates()) c->due.push_back(DayOf(d));
      std::sort(c->due.begin(), c->due.end());
    }
  } else if (rv1::ConsultantAssigned m; any.UnpackTo(&m)) {
    if (auto* c = touch(m.enrollment_id())) {
      c->consultant_id = m.consultant_id();
      c->reassignments.push_back({CommitDay(e), m.previous_consultant_id(), m.consultant_id()});
    }
  } else if (rv1::EnrollmentEnded m; any.UnpackTo(&m)) {
    if (auto* c = touch(m.enrollment_id())) {
      c->end = DayOf(m.end_date());
      c->outcome = m.outcome();
      c->lost_contact = m.lost_contact();
    }
  } else if (rv1::JobConversationRecorded m; any.UnpackTo(&m)) {
    if (m.status() == rv1::JOB_CONVERSATION_STATUS_HELD) {
      if (auto i = find(m.enrollment_id())) RecordCourseDay(*i, DayList::kHeld, DayOf(m.date()), m.place());
    } else if (m.status() == rv1::JOB_CONVERSATION_STATUS_NO_SHOW) {
      if (auto i = find(m.enrollment_id())) RecordCourseDay(*i, DayList::kNoShow, DayOf(m.date()), 0);
    }
  } else if (rv1::ActivityRecorded m; any.UnpackTo(&m)) {
    if (IsSocialEffort(m.kind())) {
      if (auto* c = touch(m.enrollment_id())) c->social_progression = true;
    } else if (auto list = FidelityListOf(m.kind())) {
      if (auto i = find(m.enrollment_id())) {
        const DayNumber day = DayOf(m.start_date());
        RecordCourseDay(*i, *list, day, 0);
        if (m.place() != rv1::CONVERSATION_PLACE_UNSPECIFIED)
          RecordCourseDay(*i, DayList::kMet, day, m.place());
      }
    }
  }
}

void FactsInMemory::ApplyMatching(const common::v1::Event& e) {
  const auto& any = e.payload();
  if (mv1::PlacementStarted m; any.UnpackTo(&m)) {
    StoredPlacement p;
    p.placement_id = m.placement_id();
    p.pseudonym = Intern(e.subject_pseudonym());
    p.kind = m.kind();
    p.start = DayOf(m.start_date());
    p.employer_id = m.employer_id();
    p.job_type = m.job_type_id();
    PutPlacement(std::move(p));
    changes_.placements.insert(placement_index_.at(m.placement_id()));
  } else if (mv1::PlacementEnded m; any.UnpackTo(&m)) {
    auto it = placement_index_.find(m.placement_id());
    if (it == placement_index_.end()) return;
    placements_[it->second].end = DayOf(m.end_date());
    placements_[it->second].converted = m.converted();
    changes_.placements.insert(it->second);
  } else if (mv1::EmployerContactRecorded m; any.UnpackTo(&m)) {
    const DayNumber day = DayOf(m.contact_date());
    ++contacts_[m.consultant_id()][day];
    changes_.contact_days.insert({m.consultant_id(), day});
    if (!e.subject_pseudonym().empty()) {  // on a citizen's behalf
      changes_.behalf_contacts.insert(behalf_contacts_.size());
      PutBehalfContact({e.sequence(), Intern(e.subject_pseudonym()), m.consultant_id(), day,
                        m.channel() == mv1::CONTACT_CHANNEL_VISIT});
    }
  }
}

void FactsInMemory::ApplyTreatment(const common::v1::Event& e) {
  const auto& any = e.payload();
  if (tv1::ReferralCreated m; any.UnpackTo(&m)) {
    StoredReferral r;
    r.referral_id = m.referral_id();
    r.pseudonym = Intern(e.subject_pseudonym());
    r.request = DayOf(m.request_date());
    r.referred_by = m.referred_by();
    PutReferral(std::move(r));
    changes_.referrals.insert(referral_index_.at(m.referral_id()));
  } else if (tv1::TreatmentOffered m; any.UnpackTo(&m)) {
    auto it = referral_index_.find(m.referral_id());
    if (it == referral_index_.end()) return;
    referrals_[it->second].guarantee_met = m.guarantee_met() ? 1 : 0;
    changes_.referrals.insert(it->second);
  } else if (tv1::TreatmentStarted m; any.UnpackTo(&m)) {
    StoredTreatmentStart t;
    t.episode_id = m.episode_id();
    t.pseudonym = Intern(e.subject_pseudonym());
    t.start = DayOf(m.start_date());
    PutTreatmentStart(std::move(t));
    changes_.treatment_starts.insert(treatment_start_index_.at(m.episode_id()));
  } else if (tv1::CoordinationNoteRecorded m; any.UnpackTo(&m)) {
    PutNote({m.note_id(), Intern(e.subject_pseudonym()), DayOf(m.note_date())});
    changes_.notes.insert(note_index_.at(m.note_id()));
  }
}

long FactsInMemory::CourseOn(int p, DayNumber day) const {
  for (size_t i : courses_of_[static_cast<size_t>(p)]) {
    const StoredCourse& c = courses_[i];
    if (c.start <= day && (c.end == kNoDay || day <= c.end)) return static_cast<long>(i);
  }
  return -1;
}

CourseFacts FactsInMemory::CoursesAsOf(absl::CivilDay as_of, absl::CivilDay period_start) const {
  CourseFacts out;
  const DayNumber today = ToDayNumber(as_of);
  // Stored course -> its place in out.courses (-1: not started by today).
  std::vector<long> slot(courses_.size(), -1);
  out.courses.reserve(courses_.size());
  std::vector<DayNumber> held;
  for (size_t i = 0; i < courses_.size(); ++i) {
    const StoredCourse& s = courses_[i];
    if (s.start == kNoDay || s.start > today) continue;
    CourseFact c;
    c.consultant_id = s.consultant_id;
    c.start = FromDayNumber(s.start);
    // A course ended after the as-of day is still running on it; its plan
    // is judged up to its end.
    DayNumber judged_on = today;
    std::optional<int> ended;
    if (s.end != kNoDay && s.end <= today) {
      c.end = FromDayNumber(s.end);
      c.outcome = OfOutcome(s.outcome);
      judged_on = s.end;
      ended = s.end;
    }
    c.social_progression = s.social_progression;
    // No-shows, like held conversations, as of the day (the feed gives
    // their days since the fidelity review needed them).
    c.conversations_no_show = static_cast<int>(
        std::count_if(s.no_show_days.begin(), s.no_show_days.end(), [&](DayNumber d) { return d <= today; }));
    held.clear();
    for (DayNumber d : s.held) {
      if (d <= today) held.push_back(d);
    }
    c.conversations_held = static_cast<int>(held.size());
    // The registry's rule, with the plan the course's own rules version made.
    const auto tally = rules::TallyPlan(s.due, held, judged_on, ended);
    c.conversations_due = tally.judged;
    c.conversations_met_on_time = tally.met;
    slot[i] = static_cast<long>(out.courses.size());
    out.courses.push_back(std::move(c));
  }
  // Placements, referrals and treatment starts count for the course
  // running on their day.
  const auto course_on = [&](int p, DayNumber day) -> CourseFact* {
    const long i = CourseOn(p, day);
    if (i < 0 || slot[static_cast<size_t>(i)] < 0) return nullptr;
    return &out.courses[static_cast<size_t>(slot[static_cast<size_t>(i)])];
  };
  for (const auto& p : placements_) {
    if (p.start == kNoDay || p.start > today) continue;
    CourseFact* c = course_on(p.pseudonym, p.start);
    if (!c) continue;
    PlacementFact f;
    f.start = FromDayNumber(p.start);
    if (p.end != kNoDay && p.end <= today) f.end = FromDayNumber(p.end);
    f.converted = p.converted;
    f.attains = OfPlacementKind(p.kind);
    c->placements.push_back(f);
  }
  for (const auto& r : referrals_) {
    if (r.request == kNoDay || r.request > today) continue;
    CourseFact* c = course_on(r.pseudonym, r.request);
    if (!c) continue;  // the programme counts referrals made during a course
    ++c->referrals_after_start;
    ++out.referrals;
    if (r.referred_by == 1) ++out.referrals_by_consultant;
    if (r.guarantee_met >= 0) {
      ++out.guarantee_judged;
      out.guarantee_met += r.guarantee_met;
    }
  }
  for (const auto& t : treatment_starts_) {
    if (t.start == kNoDay || t.start > today) continue;
    if (CourseFact* c = course_on(t.pseudonym, t.start)) ++c->treatment_starts_after_start;
  }
  const DayNumber from = ToDayNumber(period_start);
  for (const auto& [consultant, days] : contacts_) {
    auto first = days.lower_bound(from), last = days.upper_bound(today);
    if (first == last) continue;
    int sum = 0;
    for (auto it = first; it != last; ++it) sum += it->second;
    out.employer_contacts[consultant] = sum;
  }
  return out;
}

}  // namespace ips::reporting
