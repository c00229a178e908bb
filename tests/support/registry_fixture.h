#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "services/common/dates.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"

namespace ips::testing {

namespace rv1 = ips::registry::v1;

// A registry on a fresh database of the test's backend, with helpers that
// create what most tests need through the API.
class RegistryFixture : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<RegistryServer>(url_);
    stub_ = server_->Stub();
  }

  // The first consultant a test makes is the one ConsultantToken() logs in
  // as ("consultant-anna"); later ones get their own login subjects.
  rv1::Consultant MakeConsultant(const std::string& display_name, int cap = 0) {
    rv1::CreateConsultantRequest req;
    req.mutable_consultant()->set_display_name(display_name);
    req.mutable_consultant()->set_subject(consultants_made_++ == 0 ? "consultant-anna"
                                                                   : "consultant-" + display_name);
    req.mutable_consultant()->set_unit("IPS Sydhavnen");
    req.mutable_consultant()->set_caseload_cap(cap);
    rv1::Consultant out;
    auto s = stub_->CreateConsultant(Ctx(TeamLeadToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  rv1::Citizen MakeCitizen(const std::string& cpr, rv1::District district = rv1::DISTRICT_SYDHAVNEN) {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(cpr);
    req.mutable_citizen()->set_given_name("Test");
    req.mutable_citizen()->set_family_name("Person");
    req.mutable_citizen()->set_district(district);
    rv1::Citizen out;
    auto s = stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static rv1::EligibilityAssessment EligibleAssessment() {
    rv1::EligibilityAssessment a;
    a.set_activity_ready(true);
    a.set_benefit_type(rv1::BENEFIT_TYPE_CASH_BENEFIT);
    a.set_substance_use_problem(true);
    a.set_unemployment_months(12);
    return a;
  }

  rv1::EnrollCitizenRequest EnrollRequest(const rv1::Citizen& c, absl::CivilDay start,
                                          const std::string& consultant = "") {
    rv1::EnrollCitizenRequest req;
    req.set_citizen(c.name());
    *req.mutable_enrollment()->mutable_start_date() = ToProtoDate(start);
    *req.mutable_enrollment()->mutable_assessment() = EligibleAssessment();
    req.mutable_enrollment()->set_consultant(consultant);
    return req;
  }

  rv1::Enrollment Enroll(const rv1::Citizen& c, absl::CivilDay start, const std::string& consultant = "") {
    rv1::Enrollment out;
    auto s = stub_->EnrollCitizen(Ctx(ConsultantToken()).get(), EnrollRequest(c, start, consultant), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  int consultants_made_ = 0;
  std::string url_;
  std::unique_ptr<RegistryServer> server_;
  std::unique_ptr<rv1::CitizenRegistry::Stub> stub_;
};

}  // namespace ips::testing
