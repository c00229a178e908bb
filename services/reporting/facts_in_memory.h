#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "ips/common/v1/events.pb.h"
#include "services/reporting/domain/fidelity_facts.h"
#include "services/reporting/report_builder.h"

namespace ips::reporting {

// A day as a number: days since 1970-01-01. kNoDay = none (a course not
// ended).
using DayNumber = int;
inline constexpr DayNumber kNoDay = INT32_MIN;
DayNumber ToDayNumber(absl::CivilDay day);
absl::CivilDay FromDayNumber(DayNumber day);

// The facts as derived from the feeds, as stored: a report judges them as
// of a day. Pseudonyms are interned (index into FactsInMemory::pseudonyms()).
struct StoredCourse {
  std::string enrollment_id;
  int pseudonym = 0;
  std::string consultant_id;
  DayNumber start = kNoDay, end = kNoDay;
  int outcome = 0;  // ips.registry.v1.CourseOutcome
  bool social_progression = false;
  bool lost_contact = false;            // ended early because the citizen could not be reached
  std::vector<DayNumber> due;           // ascending, as the registry published them
  std::vector<DayNumber> held;          // in the order recorded
  std::vector<DayNumber> no_show_days;  // missed job conversations, in the order recorded
  // Days of the course's outreach, benefits counselling, disclosure and
  // follow-along activities (their start), ascending, each day once: an
  // activity is published again when it changes, and the fidelity review
  // asks only whether there was one by a day or in a span.
  std::vector<DayNumber> outreach, benefits_counselling, disclosure, follow_along;
  // Those of them recorded with where they were held: the day and the
  // ips.registry.v1.ConversationPlace, in step, each pair once.
  std::vector<DayNumber> met;
  std::vector<int> met_places;
  std::vector<int> held_places;  // ips.registry.v1.ConversationPlace of each held, in step with `held`
  // Each reassignment: the day the registry committed it, the consultant
  // before and after (consultant_id is the last `to`).
  struct Reassignment {
    DayNumber day = kNoDay;
    std::string from, to;
  };
  std::vector<Reassignment> reassignments;  // in the order made
  // How many day rows (below) the course has had since it started: the
  // position the next one is stored at.
  int day_rows = 0;
};

// The day lists of a course are stored as rows appended once each, not as
// columns rewritten whole: a batch of conversations then inserts narrow
// rows instead of rewriting every course it touches (bench/RESULTS.md,
// issue 20). The list a row goes to (stored as the number).
enum class DayList : int {
  kHeld = 0,         // a held job conversation: day and place
  kNoShow = 1,       // a missed job conversation: day
  kOutreach = 2,     // the fidelity review's activity days: day
  kBenefits = 3,     //
  kDisclosure = 4,   //
  kFollowAlong = 5,  //
  kMet = 6,          // an activity recorded with where it was held: day and place
};
struct StoredCourseDay {
  size_t course = 0;  // index into FactsInMemory::courses()
  int position = 0;   // the course's day_rows when it was added: rows are read back in this order
  DayList list = DayList::kHeld;
  DayNumber day = kNoDay;
  int place = 0;  // ips.registry.v1.ConversationPlace, where the list has one; else 0
};
struct StoredPlacement {
  std::string placement_id;
  int pseudonym = 0;
  int kind = 0;  // ips.matching.v1.OpeningKind
  DayNumber start = kNoDay, end = kNoDay;
  bool converted = false;
  std::string employer_id;  // the employer's pseudonym
  std::string job_type;     // the pseudonym of the job's type (its industry)
};
// An employer contact a consultant made on a citizen's behalf (matching's
// EmployerContactRecorded with the envelope's pseudonym), keyed by its
// sequence on the matching feed: the event names no contact.
struct StoredBehalfContact {
  long long sequence = 0;
  int pseudonym = 0;
  std::string consultant_id;
  DayNumber day = kNoDay;
  bool face_to_face = false;  // a visit at the workplace
};
// An enrolment the entry rules refused (the registry's EntryRefused): one
// decision per citizen and day, on the day the registry made it.
struct StoredRefusal {
  int pseudonym = 0;
  DayNumber day = kNoDay;
  int unmet_rules = 0;  // bit n set: ips.registry.v1.EligibilityRule n was not met
};
// A coordination note between BIF's IPS team and SOF about a citizen
// (treatment's CoordinationNoteRecorded).
struct StoredNote {
  std::string note_id;
  int pseudonym = 0;
  DayNumber day = kNoDay;
};
struct StoredReferral {
  std::string referral_id;
  int pseudonym = 0;
  DayNumber request = kNoDay;
  int referred_by = 0;     // ips.treatment.v1.Referrer
  int guarantee_met = -1;  // -1 not yet offered, 0 late, 1 within the guarantee
};
struct StoredTreatmentStart {
  std::string episode_id;
  int pseudonym = 0;
  DayNumber start = kNoDay;
};

// FactsInMemory holds everything reporting derives from the three feeds, in
// memory, so a report over a million citizens judges the facts without
// reading them back (fact_store.h keeps the durable copy, committed_facts.h
// keeps the two in step). Applying an event records which rows changed.
// Not thread-safe: CommittedFacts guards it.
class FactsInMemory {
 public:
  // Derives the facts of one event of `source` ("registry", "matching",
  // "treatment") and moves that feed's cursor. Events at or below the
  // cursor (resent) and types reporting does not use are skipped, so a
  // publisher may add types without breaking it. Only the envelope's
  // pseudonym is kept of the citizen.
  void Apply(const std::string& source, const common::v1::Event& event);
  long long Applied(const std::string& source) const;
  // Every feed's cursor, by source.
  const std::map<std::string, long long>& cursors() const { return cursors_; }

  // The facts as the formulas take them, judged as of `as_of`: courses
  // started by then, with their placements, referrals and treatment starts
  // joined by pseudonym and day; employer contacts in [period_start, as_of].
  CourseFacts CoursesAsOf(absl::CivilDay as_of, absl::CivilDay period_start) const;

  // The fidelity review's facts for `period` (fidelity_facts_of.cc) and
  // the items whose facts the feeds carry today; the review marks the
  // others as not yet fed rather than score them on missing facts.
  struct FidelityInput {
    FidelityFacts facts;
    std::set<int> fed_items;
  };
  FidelityInput FidelityFactsOf(const FidelityPeriod& period) const;

  // What changed since the last TakeChanges (indexes into the vectors
  // below), for the durable copy. `courses` are the courses whose own
  // columns changed; the days added to any course are `course_days`, and
  // `restarted_courses` the courses started again (their stored days go).
  struct Changes {
    absl::flat_hash_set<size_t> courses, placements, referrals, treatment_starts, behalf_contacts, notes,
        refusals;
    std::vector<StoredCourseDay> course_days;
    absl::flat_hash_set<size_t> restarted_courses;
    std::set<std::pair<std::string, DayNumber>> contact_days;
    std::set<std::string> cursors;
  };
  Changes TakeChanges();

  // Rows as stored; loading them back (fact_store.cc) does not count as a
  // change. Each Put replaces the row with the same id.
  void PutCourse(StoredCourse c);
  // Adds a stored day row to its course's lists; false when no course has
  // the id (the row is skipped).
  bool PutCourseDay(const std::string& enrollment_id, int position, DayList list, DayNumber day, int place);
  void PutPlacement(StoredPlacement p);
  void PutReferral(StoredReferral r);
  void PutTreatmentStart(StoredTreatmentStart t);
  void PutBehalfContact(StoredBehalfContact c);
  void PutNote(StoredNote n);
  void PutRefusal(StoredRefusal r);
  void PutContacts(const std::string& consultant_id, DayNumber day, int contacts);
  void PutCursor(const std::string& source, long long sequence);
  int Intern(const std::string& pseudonym);

  const std::vector<StoredCourse>& courses() const { return courses_; }
  const std::vector<StoredPlacement>& placements() const { return placements_; }
  const std::vector<StoredReferral>& referrals() const { return referrals_; }
  const std::vector<StoredTreatmentStart>& treatment_starts() const { return treatment_starts_; }
  const std::vector<StoredBehalfContact>& behalf_contacts() const { return behalf_contacts_; }
  const std::vector<StoredNote>& notes() const { return notes_; }
  const std::vector<StoredRefusal>& refusals() const { return refusals_; }
  int Contacts(const std::string& consultant_id, DayNumber day) const;
  const std::string& pseudonym(int index) const { return pseudonyms_[static_cast<size_t>(index)]; }

 private:
  void ApplyRegistry(const common::v1::Event& e);
  void ApplyMatching(const common::v1::Event& e);
  void ApplyTreatment(const common::v1::Event& e);
  // The course of pseudonym `p` running on `day` (index into courses_),
  // or -1.
  long CourseOn(int p, DayNumber day) const;
  // Adds `day` (and `place`) to course `i`'s list `list` unless the list
  // has it where it keeps each once; true when added.
  bool AddCourseDay(size_t i, DayList list, DayNumber day, int place);
  // The same, recorded as a change.
  void RecordCourseDay(size_t i, DayList list, DayNumber day, int place);

  std::vector<std::string> pseudonyms_;
  absl::flat_hash_map<std::string, int> pseudonym_index_;
  std::vector<std::vector<size_t>> courses_of_;  // per pseudonym

  std::vector<StoredCourse> courses_;
  absl::flat_hash_map<std::string, size_t> course_index_;
  std::vector<StoredPlacement> placements_;
  absl::flat_hash_map<std::string, size_t> placement_index_;
  std::vector<StoredReferral> referrals_;
  absl::flat_hash_map<std::string, size_t> referral_index_;
  std::vector<StoredTreatmentStart> treatment_starts_;
  absl::flat_hash_map<std::string, size_t> treatment_start_index_;
  std::vector<StoredBehalfContact> behalf_contacts_;  // in feed order
  std::vector<StoredNote> notes_;
  std::vector<StoredRefusal> refusals_;
  std::set<std::pair<int, DayNumber>> refused_on_;  // (pseudonym, day) of each refusal
  absl::flat_hash_map<std::string, size_t> note_index_;
  std::map<std::string, std::map<DayNumber, int>> contacts_;  // per consultant and day
  std::map<std::string, long long> cursors_;

  Changes changes_;
};

}  // namespace ips::reporting
