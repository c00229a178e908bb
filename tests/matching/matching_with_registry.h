#pragma once

// The matching service with a real registry behind it (in-process, each on
// a fresh database of the test's backend, mTLS with the matching
// certificate), and helpers that make employers, openings, enrolled
// citizens and placements through the API.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ips/matching/v1/events.pb.h"
#include "tests/support/matching_server.h"
#include "tests/support/query.h"
#include "tests/support/registry_fixture.h"

namespace ips::testing {

namespace mv1 = ips::matching::v1;

inline absl::CivilDay Today(int n = 0) { return TodayInCopenhagen() + n; }

inline std::string FirstBadField(const grpc::Status& s) {
  auto fields = BadFields(s);
  return fields.empty() ? "" : fields.front();
}

class MatchingWithRegistry : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    if (IsSkipped()) return;
    IPS_FRESH_DATABASE_OR_SKIP(matching_url_, GetParam());
    matching_ = std::make_unique<MatchingServer>(matching_url_, RegistryClientFor(server_->port()));
    m_ = matching_->Stub();
    anna_ = MakeConsultant("anna").name();
    employer_ = MakeEmployer();
  }

  std::string MakeEmployer() {
    mv1::CreateEmployerRequest req;
    req.mutable_employer()->set_cvr("10150817");
    req.mutable_employer()->set_display_name("Café Sydhavn");
    req.mutable_employer()->set_industry("food service");
    mv1::Employer out;
    EXPECT_TRUE(m_->CreateEmployer(Ctx(ConsultantToken()).get(), req, &out).ok());
    return out.name();
  }

  mv1::Opening MakeOpening(int slots, bool serves_alcohol = false) {
    mv1::CreateOpeningRequest req;
    req.set_parent(employer_);
    auto* o = req.mutable_opening();
    o->set_kind(mv1::OPENING_KIND_COMPANY_INTERNSHIP);
    o->set_title("kitchen assistant");
    o->set_min_hours(10);
    o->set_max_hours(25);
    o->set_physical_demand(mv1::PHYSICAL_DEMAND_LIGHT);
    o->set_shift_pattern(mv1::SHIFT_PATTERN_DAY);
    o->mutable_location()->set_latitude(55.65);
    o->mutable_location()->set_longitude(12.54);
    o->set_serves_alcohol(serves_alcohol);
    o->set_slots(slots);
    mv1::Opening out;
    EXPECT_TRUE(m_->CreateOpening(Ctx(ConsultantToken()).get(), req, &out).ok());
    return out;
  }

  // A citizen enrolled `days_ago` days ago with `consultant`.
  rv1::Citizen EnrolledCitizen(int n, int days_ago, const std::string& consultant) {
    auto c = MakeCitizen(CprFor(1975, 4, 10 + n, n));
    Enroll(c, Today(-days_ago), consultant);
    return c;
  }

  // A citizen whose course began 60 days ago and ended yesterday.
  rv1::Citizen CitizenWithEndedCourse() {
    auto c = MakeCitizen(CprFor(1971, 1, 2, 4));
    auto e = Enroll(c, Today(-60), anna_);
    rv1::EndEnrollmentRequest end;
    end.set_name(e.name());
    *end.mutable_end_date() = ToProtoDate(Today(-1));
    end.set_outcome(rv1::COURSE_OUTCOME_OTHER_OFFER);
    rv1::Enrollment done;
    EXPECT_TRUE(stub_->EndEnrollment(Ctx(ConsultantToken()).get(), end, &done).ok());
    return c;
  }

  mv1::CreatePlacementRequest PlacementRequest(const rv1::Citizen& c, const std::string& opening,
                                               int start_offset, int hours,
                                               const std::string& request_id = "") {
    mv1::CreatePlacementRequest req;
    req.set_parent(c.name());
    req.set_request_id(request_id);
    auto* p = req.mutable_placement();
    p->set_opening(opening);
    if (opening.empty()) {
      p->set_employer(employer_);
      p->set_kind(mv1::OPENING_KIND_SMALL_JOB);
    }
    *p->mutable_start_date() = ToProtoDate(Today(start_offset));
    p->add_hours()->set_hours_per_week(hours);
    return req;
  }

  grpc::Status Place(const mv1::CreatePlacementRequest& req, mv1::Placement* out,
                     const std::string& token = ConsultantToken()) {
    return m_->CreatePlacement(Ctx(token).get(), req, out);
  }

  int PlacementCount() {
    mv1::ListPlacementsRequest req;
    req.set_parent("citizens/-");
    req.set_page_size(1000);
    mv1::ListPlacementsResponse resp;
    EXPECT_TRUE(m_->ListPlacements(Ctx(ConsultantToken()).get(), req, &resp).ok());
    return resp.placements_size();
  }

  void SetProfile(const rv1::Citizen& c, std::vector<mv1::Accommodation> accommodations) {
    mv1::UpdateJobProfileRequest req;
    auto* p = req.mutable_job_profile();
    p->set_name(c.name() + "/jobProfile");
    p->add_goal_titles("kitchen");
    p->set_preferred_hours(20);
    for (auto a : accommodations) p->add_accommodations(a);
    p->mutable_home()->set_latitude(55.66);
    p->mutable_home()->set_longitude(12.54);
    p->set_max_travel_km(10);
    for (const char* f : {"goal_titles", "preferred_hours", "accommodations", "home", "max_travel_km"}) {
      req.mutable_update_mask()->add_paths(f);
    }
    mv1::JobProfile out;
    ASSERT_TRUE(m_->UpdateJobProfile(Ctx(ConsultantToken()).get(), req, &out).ok());
  }

  std::string matching_url_, anna_, employer_;
  std::unique_ptr<MatchingServer> matching_;
  std::unique_ptr<mv1::EmployerMatching::Stub> m_;
};

}  // namespace ips::testing
