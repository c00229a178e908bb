#include "tools/ips-sim/simulation.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/dates.h"
#include "tools/ips-sim/simulation_call.h"

namespace ips::sim {
namespace {

// A CVR number with a valid modulus-11 check digit, from a running number.
std::string Cvr(int n) {
  static constexpr int kWeights[7] = {2, 7, 6, 5, 4, 3, 2};
  for (int k = n;; k += 7919) {
    const std::string base = std::to_string(2000000 + (k * 7331) % 7000000);
    int sum = 0;
    for (int d = 0; d < 7; ++d) sum += (base[d] - '0') * kWeights[d];
    const int check = (11 - sum % 11) % 11;
    if (check < 10) return base + std::to_string(check);
  }
}

}  // namespace

Simulation::Simulation(Channels channels, Tokens tokens, Options options)
    : registry_(rv1::CitizenRegistry::NewStub(channels.registry)),
      matching_(mv1::EmployerMatching::NewStub(channels.matching)),
      treatment_(tv1::TreatmentCoordination::NewStub(channels.treatment)),
      tokens_(std::move(tokens)),
      options_(options),
      start_(options.today - options.days),
      rng_(options.seed) {}

int Simulation::Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
bool Simulation::Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
std::string Simulation::Id(const std::string& what, int i, int j) const {
  return absl::StrCat("sim-", options_.seed, "-", what, "-", i, "-", j);
}

void Simulation::SetUpStaffAndEmployers() {
  for (size_t k = 0; k < tokens_.consultant_subjects.size(); ++k) {
    rv1::CreateConsultantRequest req;
    req.mutable_consultant()->set_display_name(absl::StrCat("Consultant ", k + 1));
    req.mutable_consultant()->set_subject(tokens_.consultant_subjects[k]);
    req.mutable_consultant()->set_unit("IPS Sydhavnen");
    req.mutable_consultant()->set_caseload_cap(40);
    req.set_request_id(Id("consultant", static_cast<int>(k)));
    rv1::Consultant out;
    Call("CreateConsultant", registry_.get(), &rv1::CitizenRegistry::Stub::CreateConsultant,
         tokens_.team_lead, req, &out);
    consultants_.push_back(out.name());
  }
  tv1::CreateTreatmentUnitRequest unit;
  unit.mutable_unit()->set_display_name("Ambulatorium Sydhavn");
  unit.set_request_id(Id("unit", 0));
  tv1::TreatmentUnit made_unit;
  Call("CreateTreatmentUnit", treatment_.get(), &tv1::TreatmentCoordination::Stub::CreateTreatmentUnit,
       tokens_.sof_worker, unit, &made_unit);
  unit_ = made_unit.name();

  // Mostly stepping stones (internships, small jobs, wage subsidy); a few
  // ordinary jobs and education places from the start.
  const std::vector<mv1::OpeningKind> kinds = {
      mv1::OPENING_KIND_COMPANY_INTERNSHIP, mv1::OPENING_KIND_SMALL_JOB,
      mv1::OPENING_KIND_COMPANY_INTERNSHIP, mv1::OPENING_KIND_WAGE_SUBSIDY_JOB,
      mv1::OPENING_KIND_COMPANY_INTERNSHIP, mv1::OPENING_KIND_SMALL_JOB,
      mv1::OPENING_KIND_EDUCATION,          mv1::OPENING_KIND_COMPANY_INTERNSHIP,
      mv1::OPENING_KIND_ORDINARY_JOB,       mv1::OPENING_KIND_SMALL_JOB};
  for (int e = 0; e < 20; ++e) {
    const size_t industry = static_cast<size_t>(e) % kIndustries.size();
    mv1::CreateEmployerRequest req;
    req.mutable_employer()->set_cvr(Cvr(e));
    req.mutable_employer()->set_display_name(absl::StrCat("Virksomhed ", e + 1));
    req.mutable_employer()->set_industry(kIndustries[industry]);
    req.mutable_employer()->set_municipality("København");
    req.set_request_id(Id("employer", e));
    mv1::Employer out;
    if (!Call("CreateEmployer", matching_.get(), &mv1::EmployerMatching::Stub::CreateEmployer,
              tokens_.team_lead, req, &out)) {
      continue;
    }
    employers_.push_back(out.name());
    for (int n = 0; n < 3; ++n) {
      mv1::CreateOpeningRequest o;
      o.set_parent(out.name());
      auto* op = o.mutable_opening();
      op->set_kind(kinds[static_cast<size_t>(e * 3 + n) % kinds.size()]);
      op->set_title(kTitles[industry]);
      op->set_industry(kIndustries[industry]);
      op->set_min_hours(Uniform(5, 15));
      op->set_max_hours(op->min_hours() + Uniform(10, 22));
      op->set_physical_demand(industry == 1 || industry == 4 ? mv1::PHYSICAL_DEMAND_HEAVY
                                                             : mv1::PHYSICAL_DEMAND_LIGHT);
      op->set_shift_pattern(industry == 6 ? mv1::SHIFT_PATTERN_NIGHT : mv1::SHIFT_PATTERN_DAY);
      op->set_serves_alcohol(industry == 0 && n == 0);
      op->set_customer_facing(industry == 3 || industry == 0);
      op->set_gradual_start_possible(n != 2);
      op->mutable_location()->set_latitude(55.62 + Uniform(0, 60) / 1000.0);
      op->mutable_location()->set_longitude(12.50 + Uniform(0, 80) / 1000.0);
      op->set_slots(6);
      o.set_request_id(Id("opening", e, n));
      mv1::Opening made;
      Call("CreateOpening", matching_.get(), &mv1::EmployerMatching::Stub::CreateOpening, tokens_.team_lead,
           o, &made);
    }
  }
}

void Simulation::Contacts() {
  // Each consultant contacts employers most weeks (IPS: regular
  // face-to-face employer contact).
  for (size_t k = 0; k < consultants_.size(); ++k) {
    rng_.seed(options_.seed * 7919u + static_cast<unsigned>(k));
    for (int week = 0; week * 7 < options_.days; ++week) {
      if (!Chance(0.8) || employers_.empty()) continue;
      const absl::CivilDay day = Day(week * 7 + Uniform(0, 4));
      if (day > options_.today) continue;
      mv1::CreateEmployerContactRequest req;
      req.set_parent(employers_[static_cast<size_t>(Uniform(0, static_cast<int>(employers_.size()) - 1))]);
      auto* c = req.mutable_contact();
      c->set_consultant(consultants_[k]);
      c->set_channel(Chance(0.6) ? mv1::CONTACT_CHANNEL_VISIT : mv1::CONTACT_CHANNEL_PHONE);
      *c->mutable_contact_date() = ToProtoDate(day);
      c->set_purpose(static_cast<mv1::ContactPurpose>(Uniform(1, 4)));
      c->set_outcome(static_cast<mv1::ContactOutcome>(Uniform(1, 4)));
      req.set_request_id(Id("contact", static_cast<int>(k), week));
      mv1::EmployerContact out;
      Call("CreateEmployerContact", matching_.get(), &mv1::EmployerMatching::Stub::CreateEmployerContact,
           tokens_.consultants[k], req, &out);
    }
  }
}

void Simulation::ContactsOnBehalf(int i, size_t k, const std::string& citizen, absl::CivilDay start,
                                  absl::CivilDay last) {
  // The first consultant works to the fidelity scale (items 15 and 17): a
  // visit at an employer within the first fortnight, then one every few
  // weeks for as long as the course runs. The others begin after months
  // and mostly telephone.
  const bool to_scale = k == 0;
  absl::CivilDay day = start + (to_scale ? Uniform(3, 14) : Uniform(40, 120));
  for (int n = 0; day <= last && !employers_.empty(); ++n) {
    mv1::CreateEmployerContactRequest req;
    req.set_parent(employers_[static_cast<size_t>(Uniform(0, static_cast<int>(employers_.size()) - 1))]);
    auto* c = req.mutable_contact();
    c->set_consultant(consultants_[k]);
    c->set_citizen(citizen);
    c->set_channel(to_scale || Chance(0.4) ? mv1::CONTACT_CHANNEL_VISIT : mv1::CONTACT_CHANNEL_PHONE);
    *c->mutable_contact_date() = ToProtoDate(day);
    c->set_purpose(mv1::CONTACT_PURPOSE_OPENING_FOR_CITIZEN);
    c->set_outcome(static_cast<mv1::ContactOutcome>(Uniform(1, 4)));
    req.set_request_id(Id("behalf-contact", i, n));
    mv1::EmployerContact out;
    Call("CreateEmployerContact", matching_.get(), &mv1::EmployerMatching::Stub::CreateEmployerContact,
         tokens_.consultants[k], req, &out);
    day += to_scale ? Uniform(14, 35) : Uniform(45, 90);
  }
}

void Simulation::FollowAlong(int i, size_t k, const std::string& course, absl::CivilDay from,
                             absl::CivilDay last) {
  // The consultant working to the scale (item 23) stays in touch every week
  // or few through the first five months; the others now and then.
  const bool to_scale = k == 0;
  const absl::CivilDay until = std::min(last, from + 150);
  absl::CivilDay day = from + (to_scale ? Uniform(2, 7) : Uniform(20, 60));
  for (int n = 0; day <= until; ++n) {
    rv1::CreateActivityRequest a;
    a.set_parent(course);
    a.mutable_activity()->set_kind(rv1::ACTIVITY_KIND_FOLLOW_ALONG);
    a.mutable_activity()->set_place(MeetingPlace(k));
    *a.mutable_activity()->mutable_start_date() = ToProtoDate(day);
    a.set_request_id(Id("follow-along", i, n));
    rv1::Activity out;
    Call("CreateActivity", registry_.get(), &rv1::CitizenRegistry::Stub::CreateActivity,
         tokens_.consultants[k], a, &out);
    day += to_scale ? Uniform(7, 25) : Uniform(40, 90);
  }
}

registry::v1::ConversationPlace Simulation::MeetingPlace(size_t k) {
  return Chance(k == 0 ? 0.7 : 0.1) ? rv1::CONVERSATION_PLACE_COMMUNITY
         : Chance(0.7)              ? rv1::CONVERSATION_PLACE_LOCAL_OFFICE
                                    : rv1::CONVERSATION_PLACE_PHONE;
}

Tally Simulation::Run() {
  run_started_ = absl::Now();
  // The rules versions the registry judges courses by, as any caller reads them.
  rv1::ListRuleVersionsResponse versions;
  Call("ListRuleVersions", registry_.get(), &rv1::CitizenRegistry::Stub::ListRuleVersions, tokens_.team_lead,
       rv1::ListRuleVersionsRequest(), &versions);
  rule_versions_.assign(versions.versions().begin(), versions.versions().end());
  SetUpStaffAndEmployers();
  Contacts();
  for (int i = 0; i < options_.citizens; ++i) LiveOneCourse(i);
  return tally_;
}

}  // namespace ips::sim
