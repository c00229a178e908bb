#include "services/reporting/event_applier.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "ips/matching/v1/events.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/stored_values.h"

namespace ips::reporting {
namespace {

namespace rv1 = registry::v1;
namespace mv1 = matching::v1;
namespace tv1 = treatment::v1;

long long DaysSinceEpoch(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day()) - absl::CivilDay(1970, 1, 1);
}

bool IsSocialEffort(rv1::ActivityKind kind) {
  return kind == rv1::ACTIVITY_KIND_SOCIAL_FREE_CARD || kind == rv1::ACTIVITY_KIND_HOUSING ||
         kind == rv1::ACTIVITY_KIND_DEBT || kind == rv1::ACTIVITY_KIND_HEALTH;
}

void ApplyRegistry(soci::session& s, const common::v1::Event& e) {
  const auto& any = e.payload();
  if (rv1::EnrollmentStarted m; any.UnpackTo(&m)) {
    std::vector<std::string> due;
    for (const auto& d : m.conversation_due_dates()) due.push_back(DateText(d));
    std::string start = DateText(m.start_date()), dues = absl::StrJoin(due, ","), none;
    s << "INSERT INTO courses (enrollment_id, pseudonym, consultant_id, start_date, end_date, outcome, "
         "due_dates, social_progression) VALUES (:e, :p, :k, :s, :n, 0, :d, 0)",
        soci::use(m.enrollment_id()), soci::use(e.subject_pseudonym()), soci::use(m.consultant_id()),
        soci::use(start), soci::use(none), soci::use(dues);
  } else if (rv1::ConsultantAssigned m; any.UnpackTo(&m)) {
    s << "UPDATE courses SET consultant_id = :k WHERE enrollment_id = :e", soci::use(m.consultant_id()),
        soci::use(m.enrollment_id());
  } else if (rv1::EnrollmentEnded m; any.UnpackTo(&m)) {
    std::string end = DateText(m.end_date());
    int outcome = m.outcome();
    s << "UPDATE courses SET end_date = :d, outcome = :o WHERE enrollment_id = :e", soci::use(end),
        soci::use(outcome), soci::use(m.enrollment_id());
  } else if (rv1::JobConversationRecorded m; any.UnpackTo(&m)) {
    // Kept on the course: the registry's feed has its enrolment first.
    if (m.status() == rv1::JOB_CONVERSATION_STATUS_HELD) {
      const std::string day = absl::StrCat(DaysSinceEpoch(m.date()), ",");
      s << "UPDATE courses SET held_days = held_days || :d WHERE enrollment_id = :e", soci::use(day),
          soci::use(m.enrollment_id());
    } else if (m.status() == rv1::JOB_CONVERSATION_STATUS_NO_SHOW) {
      s << "UPDATE courses SET no_shows = no_shows + 1 WHERE enrollment_id = :e",
          soci::use(m.enrollment_id());
    }
  } else if (rv1::ActivityRecorded m; any.UnpackTo(&m)) {
    if (IsSocialEffort(m.kind())) {
      s << "UPDATE courses SET social_progression = 1 WHERE enrollment_id = :e", soci::use(m.enrollment_id());
    }
  }
}

void ApplyMatching(soci::session& s, const common::v1::Event& e) {
  const auto& any = e.payload();
  if (mv1::PlacementStarted m; any.UnpackTo(&m)) {
    std::string start = DateText(m.start_date()), none;
    int kind = m.kind();
    s << "INSERT INTO placements (placement_id, pseudonym, kind, start_date, end_date, converted) "
         "VALUES (:i, :p, :k, :s, :n, 0)",
        soci::use(m.placement_id()), soci::use(e.subject_pseudonym()), soci::use(kind), soci::use(start),
        soci::use(none);
  } else if (mv1::PlacementEnded m; any.UnpackTo(&m)) {
    std::string end = DateText(m.end_date());
    int converted = m.converted() ? 1 : 0;
    s << "UPDATE placements SET end_date = :d, converted = :c WHERE placement_id = :i", soci::use(end),
        soci::use(converted), soci::use(m.placement_id());
  } else if (mv1::EmployerContactRecorded m; any.UnpackTo(&m)) {
    std::string date = DateText(m.contact_date());
    s << "INSERT INTO contact_days (consultant_id, contact_date, contacts) VALUES (:k, :d, 1) "
         "ON CONFLICT (consultant_id, contact_date) DO UPDATE SET contacts = contact_days.contacts + 1",
        soci::use(m.consultant_id()), soci::use(date);
  }
}

void ApplyTreatment(soci::session& s, const common::v1::Event& e) {
  const auto& any = e.payload();
  if (tv1::ReferralCreated m; any.UnpackTo(&m)) {
    std::string date = DateText(m.request_date());
    int by = m.referred_by();
    s << "INSERT INTO referrals (referral_id, pseudonym, request_date, referred_by, guarantee_met) "
         "VALUES (:i, :p, :d, :b, -1)",
        soci::use(m.referral_id()), soci::use(e.subject_pseudonym()), soci::use(date), soci::use(by);
  } else if (tv1::TreatmentOffered m; any.UnpackTo(&m)) {
    int met = m.guarantee_met() ? 1 : 0;
    s << "UPDATE referrals SET guarantee_met = :m WHERE referral_id = :i", soci::use(met),
        soci::use(m.referral_id());
  } else if (tv1::TreatmentStarted m; any.UnpackTo(&m)) {
    std::string date = DateText(m.start_date());
    s << "INSERT INTO treatment_starts (episode_id, pseudonym, start_date) VALUES (:i, :p, :d)",
        soci::use(m.episode_id()), soci::use(e.subject_pseudonym()), soci::use(date);
  }
}

}  // namespace

void ApplyEvent(soci::session& s, const std::string& source, const common::v1::Event& event) {
  if (source == "registry") {
    ApplyRegistry(s, event);
  } else if (source == "matching") {
    ApplyMatching(s, event);
  } else if (source == "treatment") {
    ApplyTreatment(s, event);
  }
}

}  // namespace ips::reporting
