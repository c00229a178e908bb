#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace ips::reporting {

// What the fidelity review reads, derived from the three feeds like the
// programme's other facts (programme_facts.h): pseudonyms and consultant
// ids only. The measures (fidelity_measures.h) are pure functions of these.
struct FidelityFacts {
  // Who carried a course from when: the first spell from the enrolment,
  // a further one for each reassignment.
  struct Spell {
    std::string consultant_id;
    absl::CivilDay from;
  };
  struct Course {
    std::string pseudonym;
    absl::CivilDay start;
    std::optional<absl::CivilDay> end;
    std::vector<Spell> spells;  // ascending by `from`; never empty
    bool closed_for_no_shows = false;
    // Days the consultant and SOF coordinated on the citizen: coordination
    // notes, and referrals to treatment made by the consultant.
    std::vector<absl::CivilDay> coordination;
    std::vector<absl::CivilDay> no_shows;  // missed job conversations or meetings
    std::vector<absl::CivilDay> outreach;  // attempts to reach the citizen again
    // Work incentives (benefits) counselling and disclosure conversations.
    std::vector<absl::CivilDay> benefits_counselling, disclosure;
    // Employer contacts made face to face on the citizen's behalf.
    std::vector<absl::CivilDay> employer_contacts_face_to_face;
  };
  // A placement (a job, an internship, education ...) of a course.
  struct Job {
    size_t course = 0;  // index into `courses`
    std::string consultant_id;
    std::string employer_id;
    std::string job_type;      // the opening's industry and title, as the diversity item compares them
    bool competitive = false;  // an ordinary, part-time or flex job
    bool education = false;    // education is not a job: items 12, 13, 19–21 leave it out
    absl::CivilDay start;
    std::optional<absl::CivilDay> end;
    std::vector<absl::CivilDay> follow_along;  // contacts with the citizen about the job
  };
  // An employer contact by a consultant (item 17 counts those face to face
  // on a named citizen's behalf).
  struct EmployerContact {
    std::string consultant_id;
    std::string pseudonym;  // the citizen's on whose behalf, or empty
    absl::CivilDay day;
    bool face_to_face = false;
    bool on_behalf_of_citizen = false;
  };
  // A contact with a citizen (job conversation, follow-along, outreach) and
  // whether it was held out in the community rather than at an office, by
  // phone or by video.
  struct CitizenContact {
    std::string consultant_id;
    std::string pseudonym;
    absl::CivilDay day;
    bool in_community = false;
  };
  // An entry decision; a refusal for a reason other than the programme's
  // statutory target group (age, benefit, area) is an exclusion.
  struct EntryDecision {
    absl::CivilDay day;
    bool excluded = false;
  };

  std::vector<Course> courses;
  std::vector<Job> jobs;
  std::vector<EmployerContact> employer_contacts;
  std::vector<CitizenContact> contacts;
  std::vector<EntryDecision> entries;
};

// The days reviewed: from `first` to `last`, both included.
struct FidelityPeriod {
  absl::CivilDay first, last;
  long days() const { return static_cast<long>(last - first) + 1; }
  bool Holds(absl::CivilDay d) const { return first <= d && d <= last; }
};

}  // namespace ips::reporting
