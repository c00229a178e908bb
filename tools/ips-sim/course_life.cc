// One citizen's course in the simulation: registered, enrolled, their
// activities, conversations and placements, SOF's part, and the end.
#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/dates.h"
#include "tools/ips-sim/simulation_call.h"

namespace ips::sim {
namespace {

// The next kind up the chain for a conversion, or UNSPECIFIED at its top.
mv1::OpeningKind NextKind(mv1::OpeningKind kind) {
  switch (kind) {
    case mv1::OPENING_KIND_COMPANY_INTERNSHIP:
      return mv1::OPENING_KIND_WAGE_SUBSIDY_JOB;
    case mv1::OPENING_KIND_WAGE_SUBSIDY_JOB:
    case mv1::OPENING_KIND_PART_TIME_JOB:
      return mv1::OPENING_KIND_ORDINARY_JOB;
    case mv1::OPENING_KIND_SMALL_JOB:
      return mv1::OPENING_KIND_PART_TIME_JOB;
    default:
      return mv1::OPENING_KIND_UNSPECIFIED;
  }
}

// The course outcome a job or education placement leads to.
rv1::CourseOutcome OutcomeOf(mv1::OpeningKind kind) {
  switch (kind) {
    case mv1::OPENING_KIND_ORDINARY_JOB:
      return rv1::COURSE_OUTCOME_ORDINARY_JOB;
    case mv1::OPENING_KIND_PART_TIME_JOB:
      return rv1::COURSE_OUTCOME_PART_TIME_JOB;
    case mv1::OPENING_KIND_FLEX_JOB:
      return rv1::COURSE_OUTCOME_FLEX_JOB;
    case mv1::OPENING_KIND_EDUCATION:
      return rv1::COURSE_OUTCOME_EDUCATION;
    default:
      return rv1::COURSE_OUTCOME_UNSPECIFIED;
  }
}

}  // namespace

void Simulation::LiveOneCourse(int i) {
  // Each citizen draws from their own stream, so what one citizen's calls
  // answer (a rerun's MatchOpenings sees filled openings) cannot shift the
  // draws of the next.
  rng_.seed(options_.seed * 1000003u + static_cast<unsigned>(i));
  const absl::CivilDay today = options_.today;
  const int span = std::max(1, options_.days - 45);
  const absl::CivilDay start = Day(i * span / std::max(1, options_.citizens));
  const size_t k = static_cast<size_t>(i) % consultants_.size();
  const std::string& token = tokens_.consultants[k];

  // Who the citizen is: most are eligible; some are not, as in real intake.
  const int kind = Uniform(0, 99);
  const bool too_young = kind < 5, long_unemployed = kind >= 5 && kind < 9, outside = kind >= 9 && kind < 12;
  const int age = too_young ? Uniform(24, 28) : Uniform(31, 60);
  const int year = static_cast<int>(start.year()) - age, month = Uniform(1, 12), mday = Uniform(1, 28);
  // The seventh digit gives the century: 0-3 for 1900-1999, 4 for 2000-2036.
  const std::string cpr =
      absl::StrFormat("%02d%02d%02d-%d%03d", mday, month, year % 100, year >= 2000 ? 4 : 0, i);
  rv1::CreateCitizenRequest cc;
  cc.mutable_citizen()->set_cpr(cpr);
  cc.mutable_citizen()->set_given_name("Borger");
  cc.mutable_citizen()->set_family_name(absl::StrCat("Nr", i + 1));
  cc.mutable_citizen()->set_district(outside
                                         ? rv1::DISTRICT_OUTSIDE_COPENHAGEN
                                         : (Chance(0.8) ? rv1::DISTRICT_SYDHAVNEN : rv1::DISTRICT_BAVNEHOEJ));
  cc.mutable_citizen()->set_housing(Chance(0.15) ? rv1::HOUSING_SHELTER : rv1::HOUSING_RENTED);
  cc.set_request_id(Id("citizen", i));
  rv1::Citizen citizen;
  if (!Call("CreateCitizen", registry_.get(), &rv1::CitizenRegistry::Stub::CreateCitizen, token, cc,
            &citizen))
    return;
  // Made by an earlier run (the registry answered the first call's
  // citizen): that run lived this citizen's course already. Going through
  // it again would not send the same requests (MatchOpenings now sees the
  // openings that run filled), and a request id sent with another body is
  // refused, so the rest is left as it was.
  const absl::Time made = absl::FromUnixSeconds(citizen.create_time().seconds()) +
                          absl::Nanoseconds(citizen.create_time().nanos());
  if (made < run_started_) {
    ++tally_.already_made;
    return;
  }

  // SOF: most consent to SOF telling BIF their treatment status.
  if (Chance(0.7)) {
    tv1::CreateConsentRequest consent;
    consent.set_parent(citizen.name());
    consent.mutable_consent()->set_scope(tv1::CONSENT_SCOPE_TREATMENT_STATUS);
    *consent.mutable_consent()->mutable_given_date() = ToProtoDate(start - 10);
    *consent.mutable_consent()->mutable_expiry_date() = ToProtoDate(start + 690);
    consent.set_request_id(Id("sof-consent", i));
    tv1::Consent out;
    Call("CreateConsent", treatment_.get(), &tv1::TreatmentCoordination::Stub::CreateConsent,
         tokens_.sof_worker, consent, &out);
  }

  rv1::EnrollCitizenRequest enrol;
  enrol.set_citizen(citizen.name());
  enrol.set_request_id(Id("enrol", i));
  auto* e = enrol.mutable_enrollment();
  e->set_consultant(consultants_[k]);
  *e->mutable_start_date() = ToProtoDate(start);
  e->mutable_assessment()->set_activity_ready(true);
  e->mutable_assessment()->set_benefit_type(rv1::BENEFIT_TYPE_CASH_BENEFIT);
  e->mutable_assessment()->set_substance_use_problem(true);
  e->mutable_assessment()->set_unemployment_months(long_unemployed ? Uniform(61, 120) : Uniform(6, 55));
  rv1::Enrollment course;
  if (!Call("EnrollCitizen", registry_.get(), &rv1::CitizenRegistry::Stub::EnrollCitizen, token, enrol,
            &course, {grpc::StatusCode::FAILED_PRECONDITION})) {
    ++tally_.refused;
    return;
  }
  ++tally_.enrolled;

  // How the course will go, decided up front so the calls come in date
  // order: the day it ends (if it has by today) and with what outcome.
  std::optional<absl::CivilDay> end;
  rv1::CourseOutcome outcome = rv1::COURSE_OUTCOME_UNSPECIFIED;
  auto end_by = [&](absl::CivilDay day, rv1::CourseOutcome o) {
    if (day <= today && (!end || day < *end)) {
      end = day;
      outcome = o;
    }
  };
  if (Chance(0.12)) end_by(start + Uniform(60, 300), rv1::COURSE_OUTCOME_ENDED_EARLY);
  // A resource course only where the rules in force on the start allow
  // one (none for courses started from 1 February 2026).
  const bool rehabilitation = Chance(0.5);
  end_by(start + 420 + Uniform(0, 120), rehabilitation && MayEndIn(start, rv1::COURSE_OUTCOME_RESOURCE_COURSE)
                                            ? rv1::COURSE_OUTCOME_RESOURCE_COURSE
                                            : rv1::COURSE_OUTCOME_OTHER_OFFER);
  auto within = [&](absl::CivilDay day) { return day <= today && (!end || day <= *end); };

  // Activities: job club for half; a social effort for a third.
  if (Chance(0.5) && within(start + 14)) {
    rv1::CreateActivityRequest a;
    a.set_parent(course.name());
    a.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_JOB_CLUB);
    *a.mutable_activity()->mutable_start_date() = ToProtoDate(start + 14);
    a.set_request_id(Id("activity", i, 1));
    rv1::Activity out;
    Call("CreateActivity", registry_.get(), &rv1::CitizenRegistry::Stub::CreateActivity, token, a, &out);
  }
  if (Chance(0.35) && within(start + 21)) {
    rv1::CreateActivityRequest a;
    a.set_parent(course.name());
    a.mutable_activity()->set_kind(Chance(0.5) ? rv1::ACTIVITY_KIND_SOCIAL_FREE_CARD
                                               : rv1::ACTIVITY_KIND_HOUSING);
    *a.mutable_activity()->mutable_start_date() = ToProtoDate(start + 21);
    a.set_request_id(Id("activity", i, 2));
    rv1::Activity out;
    Call("CreateActivity", registry_.get(), &rv1::CitizenRegistry::Stub::CreateActivity, token, a, &out);
  }

  // The job profile, then the first placement: the best match, mostly
  // within a month.
  mv1::UpdateJobProfileRequest profile;
  auto* p = profile.mutable_job_profile();
  p->set_name(citizen.name() + "/jobProfile");
  const size_t goal = static_cast<size_t>(Uniform(0, static_cast<int>(kIndustries.size()) - 1));
  p->add_goal_industries(kIndustries[goal]);
  p->add_goal_titles(kTitles[goal].substr(0, kTitles[goal].find(' ')));
  p->set_preferred_hours(Uniform(3, 6) * 5);
  p->set_max_hours(37);
  if (Chance(0.3)) p->add_accommodations(mv1::ACCOMMODATION_NO_ALCOHOL_SERVING_WORKPLACE);
  if (Chance(0.2)) p->add_accommodations(mv1::ACCOMMODATION_NO_HEAVY_LIFTING);
  if (Chance(0.15)) p->add_accommodations(mv1::ACCOMMODATION_DAY_SHIFTS_ONLY);
  p->mutable_home()->set_latitude(55.64 + Uniform(0, 30) / 1000.0);
  p->mutable_home()->set_longitude(12.53 + Uniform(0, 30) / 1000.0);
  p->set_max_travel_km(Uniform(5, 20));
  p->set_speaks_danish(Chance(0.85));
  for (const char* f : {"goal_industries", "goal_titles", "preferred_hours", "max_hours", "accommodations",
                        "home", "max_travel_km", "speaks_danish"}) {
    profile.mutable_update_mask()->add_paths(f);
  }
  mv1::JobProfile stored;
  Call("UpdateJobProfile", matching_.get(), &mv1::EmployerMatching::Stub::UpdateJobProfile, token, profile,
       &stored);

  // Conversations are recorded up to the end (or today): before each due
  // date of the course's own plan (the rules version of its start made
  // it), a few late, then one a quarter.
  std::vector<absl::CivilDay> planned;
  for (const auto& due : course.conversation_plan()) {
    planned.push_back(CivilDayOf(due.due_date()) - Uniform(0, 5) + (Chance(0.06) ? Uniform(2, 9) : 0));
  }
  for (absl::CivilDay d = (planned.empty() ? start : planned.back()) + 90; d <= start + 710; d += 90) {
    planned.push_back(d + Uniform(-2, 3));
  }
  auto conversations = [&](absl::CivilDay until) {
    int n = 0;
    for (const absl::CivilDay when : planned) {
      if (when > until || !within(when)) break;
      const bool no_show = Chance(0.15);
      rv1::CreateJobConversationRequest c;
      c.set_parent(course.name());
      c.mutable_job_conversation()->set_status(no_show ? rv1::JOB_CONVERSATION_STATUS_NO_SHOW
                                                       : rv1::JOB_CONVERSATION_STATUS_HELD);
      *c.mutable_job_conversation()->mutable_date() = ToProtoDate(when);
      c.mutable_job_conversation()->set_place(MeetingPlace(k));
      c.set_request_id(Id("conversation", i, n++));
      rv1::JobConversation out;
      Call("CreateJobConversation", registry_.get(), &rv1::CitizenRegistry::Stub::CreateJobConversation,
           token, c, &out);
      // Outreach after a no-show (item 25): the consultant working to the
      // scale seeks the citizen out within days, the others now and then.
      const absl::CivilDay sought = when + Uniform(1, k == 0 ? 5 : 20);
      if (no_show && Chance(k == 0 ? 0.9 : 0.3) && within(sought)) {
        rv1::CreateActivityRequest a;
        a.set_parent(course.name());
        a.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_OUTREACH);
        a.mutable_activity()->set_place(MeetingPlace(k));
        *a.mutable_activity()->mutable_start_date() = ToProtoDate(sought);
        a.set_request_id(Id("outreach", i, n));
        rv1::Activity out;
        Call("CreateActivity", registry_.get(), &rv1::CitizenRegistry::Stub::CreateActivity, token, a, &out);
      }
      if (no_show && within(when + 7)) {  // a new time a week later
        c.mutable_job_conversation()->set_status(rv1::JOB_CONVERSATION_STATUS_HELD);
        *c.mutable_job_conversation()->mutable_date() = ToProtoDate(when + 7);
        c.set_request_id(Id("conversation", i, n++));
        Call("CreateJobConversation", registry_.get(), &rv1::CitizenRegistry::Stub::CreateJobConversation,
             token, c, &out);
      }
    }
  };
  const absl::CivilDay first_day = start + Uniform(5, 25) + (Chance(0.3) ? Uniform(10, 70) : 0);
  std::optional<absl::CivilDay> placed_on;
  if (Chance(0.7) && within(first_day)) {
    // Before the job: benefits counselling and a talk on disclosure, which
    // the consultant working to the fidelity scale (items 12, 13) mostly
    // holds and the others seldom do.
    const std::pair<rv1::ActivityKind, double> before_the_job[] = {
        {rv1::ACTIVITY_KIND_BENEFITS_COUNSELLING, k == 0 ? 0.85 : 0.25},
        {rv1::ACTIVITY_KIND_DISCLOSURE, k == 0 ? 0.6 : 0.1}};
    for (const auto& [kind, chance] : before_the_job) {
      if (!Chance(chance)) continue;
      rv1::CreateActivityRequest a;
      a.set_parent(course.name());
      a.mutable_activity()->set_kind(kind);
      a.mutable_activity()->set_place(MeetingPlace(k));
      *a.mutable_activity()->mutable_start_date() =
          ToProtoDate(start + Uniform(1, std::max(1, static_cast<int>(first_day - start) - 1)));
      a.set_request_id(Id("before-the-job", i, kind));
      rv1::Activity out;
      Call("CreateActivity", registry_.get(), &rv1::CitizenRegistry::Stub::CreateActivity, token, a, &out);
    }
    const int pick = Uniform(0, 2);  // drawn before the answer, whatever it is
    mv1::MatchOpeningsRequest match;
    match.set_citizen(citizen.name());
    // All of them (the suite has 60): with fewer, which of the openings
    // tied at the cut come back would depend on their random names.
    match.set_page_size(100);
    mv1::MatchOpeningsResponse ranked;
    Call("MatchOpenings", matching_.get(), &mv1::EmployerMatching::Stub::MatchOpenings, token, match,
         &ranked);
    // Equal scores come back in name order, and names are random ids; order
    // them by what the seed made (title, kind, hours, place) so that the
    // same seed picks the same opening in every fresh run.
    std::stable_sort(
        ranked.mutable_matches()->begin(), ranked.mutable_matches()->end(),
        [](const mv1::OpeningMatch& a, const mv1::OpeningMatch& b) {
          const auto& x = a.opening();
          const auto& y = b.opening();
          return std::make_tuple(-a.score(), x.title(), static_cast<int>(x.kind()), x.min_hours(),
                                 x.max_hours(), x.location().latitude(), x.location().longitude()) <
                 std::make_tuple(-b.score(), y.title(), static_cast<int>(y.kind()), y.min_hours(),
                                 y.max_hours(), y.location().latitude(), y.location().longitude());
        });
    while (ranked.matches_size() > 3) ranked.mutable_matches()->RemoveLast();
    mv1::CreatePlacementRequest place;
    place.set_parent(citizen.name());
    place.set_request_id(Id("placement", i));
    auto* pl = place.mutable_placement();
    if (ranked.matches_size() > 0) {
      pl->set_opening(ranked.matches(pick % ranked.matches_size()).opening().name());
    } else {  // found outside the openings, in the citizen's own network
      pl->set_employer(employers_[static_cast<size_t>(i) % employers_.size()]);
      pl->set_kind(mv1::OPENING_KIND_COMPANY_INTERNSHIP);
    }
    *pl->mutable_start_date() = ToProtoDate(first_day);
    pl->add_hours()->set_hours_per_week(Uniform(2, 4) * 5);
    mv1::Placement current;
    if (Call("CreatePlacement", matching_.get(), &mv1::EmployerMatching::Stub::CreatePlacement, token, place,
             &current)) {
      ++tally_.placements;
      placed_on = first_day;
      absl::CivilDay last_change = first_day;
      // More hours after a month for some.
      if (Chance(0.4) && within(first_day + 28)) {
        mv1::ChangePlacementHoursRequest h;
        h.set_name(current.name());
        *h.mutable_change()->mutable_effective_date() = ToProtoDate(first_day + 28);
        h.mutable_change()->set_hours_per_week(std::min(37, current.hours(0).hours_per_week() + 10));
        Call("ChangePlacementHours", matching_.get(), &mv1::EmployerMatching::Stub::ChangePlacementHours,
             token, h, &current,
             {grpc::StatusCode::INVALID_ARGUMENT,       // changed already on a rerun
              grpc::StatusCode::FAILED_PRECONDITION});  // or ended since
        last_change = first_day + 28;
      }
      // Then it progresses up the chain, breaks down, or goes on.
      absl::CivilDay at = last_change;
      bool broke_down = false;
      for (int step = 0; step < 2; ++step) {
        const int roll = Uniform(0, 99);
        at = at + Uniform(45, 110);
        if (!within(at)) break;
        const mv1::OpeningKind next = NextKind(current.kind());
        const bool stepping_stone = current.kind() == mv1::OPENING_KIND_COMPANY_INTERNSHIP ||
                                    current.kind() == mv1::OPENING_KIND_WAGE_SUBSIDY_JOB;
        if (roll < 8 && stepping_stone) {
          // The employer hires the citizen: the place ends, the job begins.
          mv1::EndPlacementRequest hired;
          hired.set_name(current.name());
          *hired.mutable_end_date() = ToProtoDate(at);
          hired.set_end_reason(mv1::PLACEMENT_END_REASON_HIRED);
          mv1::Placement ended;
          Call("EndPlacement", matching_.get(), &mv1::EmployerMatching::Stub::EndPlacement, token, hired,
               &ended, {grpc::StatusCode::FAILED_PRECONDITION});  // ended already on a rerun
          end_by(at + Uniform(30, 120), rv1::COURSE_OUTCOME_ORDINARY_JOB);
          broke_down = true;  // the placement itself is over
          break;
        }
        if (roll < 30 && next != mv1::OPENING_KIND_UNSPECIFIED) {
          mv1::ConvertPlacementRequest c;
          c.set_name(current.name());
          c.set_kind(next);
          *c.mutable_start_date() = ToProtoDate(at);
          c.set_hours_per_week(Uniform(5, 7) * 5);
          c.set_request_id(Id("convert", i, step));
          if (!Call("ConvertPlacement", matching_.get(), &mv1::EmployerMatching::Stub::ConvertPlacement,
                    token, c, &current)) {
            break;
          }
        } else if (roll < 55) {
          mv1::EndPlacementRequest end_req;
          end_req.set_name(current.name());
          *end_req.mutable_end_date() = ToProtoDate(at);
          end_req.set_end_reason(
              static_cast<mv1::PlacementEndReason>(Uniform(3, 5)));  // dropped out, conflict, health
          mv1::Placement ended;
          Call("EndPlacement", matching_.get(), &mv1::EmployerMatching::Stub::EndPlacement, token, end_req,
               &ended, {grpc::StatusCode::FAILED_PRECONDITION});  // ended already on a rerun
          broke_down = true;
          break;
        } else {
          break;
        }
      }
      // A job or education ends the course in it, some weeks in.
      if (const auto o = OutcomeOf(current.kind()); o != rv1::COURSE_OUTCOME_UNSPECIFIED && !broke_down) {
        const auto placed_on = absl::CivilDay(current.start_date().year(), current.start_date().month(),
                                              current.start_date().day());
        // Follow-along support goes on for some months in the job.
        end_by(placed_on + Uniform(30, 200), o);
      }
    }
  }

  ContactsOnBehalf(i, k, citizen.name(), start, end ? std::min(*end, today) : today);
  if (placed_on) FollowAlong(i, k, course.name(), *placed_on, end ? std::min(*end, today) : today);
  conversations(today);

  // SOF: about a fifth are referred by their consultant during the course;
  // SOF offers treatment, mostly within the 14 days, and starts it.
  const absl::CivilDay asked = start + Uniform(10, 150);
  if (Chance(0.22) && within(asked)) {
    tv1::CreateReferralRequest r;
    r.set_parent(citizen.name());
    r.mutable_referral()->set_referred_by(tv1::REFERRER_IPS_CONSULTANT);
    *r.mutable_referral()->mutable_request_date() = ToProtoDate(asked);
    r.mutable_referral()->add_substances(tv1::SUBSTANCE_ALCOHOL);
    r.set_request_id(Id("referral", i));
    tv1::Referral referral;
    if (Call("CreateReferral", treatment_.get(), &tv1::TreatmentCoordination::Stub::CreateReferral, token, r,
             &referral)) {
      const absl::CivilDay offered = asked + (Chance(0.85) ? Uniform(3, 13) : Uniform(15, 25));
      if (offered <= today && Chance(0.85)) {
        tv1::CreateTreatmentEpisodeRequest ep;
        ep.set_parent(citizen.name());
        ep.mutable_episode()->set_referral(referral.name());
        ep.mutable_episode()->set_unit(unit_);
        ep.mutable_episode()->set_modality(tv1::MODALITY_OUTPATIENT);
        *ep.mutable_episode()->mutable_start_date() = ToProtoDate(offered);
        ep.set_request_id(Id("episode", i));
        tv1::TreatmentEpisode out;
        Call("CreateTreatmentEpisode", treatment_.get(),
             &tv1::TreatmentCoordination::Stub::CreateTreatmentEpisode, tokens_.sof_worker, ep, &out);
      }
    }
  }

  // Coordination with SOF (item 4): the consultant working to the scale
  // coordinates most courses with SOF, the others a few; SOF writes the
  // note (it needs no consent to write one).
  const absl::CivilDay noted = start + Uniform(7, 90);
  if (Chance(k == 0 ? 0.8 : 0.2) && within(noted)) {
    tv1::CreateCoordinationNoteRequest note;
    note.set_parent(citizen.name());
    *note.mutable_note()->mutable_note_date() = ToProtoDate(noted);
    note.mutable_note()->set_text(
        "Agreed with the IPS consultant: job search fitted around the treatment plan.");
    note.set_request_id(Id("coordination", i));
    tv1::CoordinationNote out;
    Call("CreateCoordinationNote", treatment_.get(),
         &tv1::TreatmentCoordination::Stub::CreateCoordinationNote, tokens_.sof_worker, note, &out);
  }

  if (end) {
    rv1::EndEnrollmentRequest done;
    done.set_name(course.name());
    *done.mutable_end_date() = ToProtoDate(*end);
    done.set_outcome(outcome);
    if (outcome == rv1::COURSE_OUTCOME_ENDED_EARLY) {
      // Most early ends of the others' courses are for lost contact; the
      // consultant who seeks citizens out loses few (item 25).
      const bool lost = Chance(k == 0 ? 0.2 : 0.7);
      done.set_lost_contact(lost);
      done.set_end_reason(lost ? "No contact for months; calls, letters and a home visit unanswered"
                               : "Stopped coming; moved in with family");
    }
    rv1::Enrollment ended;
    if (Call("EndEnrollment", registry_.get(), &rv1::CitizenRegistry::Stub::EndEnrollment, token, done,
             &ended, {grpc::StatusCode::FAILED_PRECONDITION})) {  // ended already on a rerun
      ++tally_.courses_ended;
    }
  }
}

bool Simulation::MayEndIn(absl::CivilDay start, rv1::CourseOutcome outcome) const {
  const rv1::RuleVersion* in_force = nullptr;
  for (const auto& v : rule_versions_) {
    if (CivilDayOf(v.effective_from()) <= start) in_force = &v;
  }
  return in_force && std::find(in_force->outcomes().begin(), in_force->outcomes().end(), outcome) !=
                         in_force->outcomes().end();
}

}  // namespace ips::sim
