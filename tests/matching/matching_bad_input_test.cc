// Bad input to the matching service gets the exact status code, names the
// field, and writes nothing; random hostile requests to every unary RPC
// are all answered deliberately. A real registry stands behind it, so
// placements and MatchCandidates run their whole path.
#include <gtest/gtest.h>

#include <functional>

#include "services/common/dates.h"
#include "tests/support/bad_input.h"
#include "tests/support/matching_server.h"
#include "tests/support/random_requests.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"

namespace ips::testing {
namespace {

namespace mv1 = ips::matching::v1;

class MatchingBadInputTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string registry_url;
    IPS_FRESH_DATABASE_OR_SKIP(registry_url, GetParam());
    registry_ = std::make_unique<RegistryServer>(registry_url);
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<MatchingServer>(url_, RegistryClientFor(registry_->port()));
    stub_ = server_->Stub();
  }

  long long Rows() {
    return CountRows(server_->core(), {"employers", "employer_contacts", "openings", "job_profiles",
                                       "placements", "request_ids", "outbox"});
  }

  std::string url_;
  std::unique_ptr<RegistryServer> registry_;
  std::unique_ptr<MatchingServer> server_;
  std::unique_ptr<mv1::EmployerMatching::Stub> stub_;
};

TEST_P(MatchingBadInputTest, EveryBadInputIsRefusedAndNothingIsWritten) {
  const std::string token = ConsultantToken();
  mv1::CreateEmployerRequest create;
  create.mutable_employer()->set_cvr("10150817");
  create.mutable_employer()->set_display_name("Café Sydhavn");
  mv1::Employer employer;
  ASSERT_TRUE(stub_->CreateEmployer(Ctx(token).get(), create, &employer).ok());
  const auto today = ToProtoDate(TodayInCopenhagen());
  using C = grpc::StatusCode;
  const C bad = C::INVALID_ARGUMENT;

  auto new_employer = [&](std::function<void(mv1::CreateEmployerRequest&)> f) {
    return [&, f] {
      mv1::CreateEmployerRequest r;
      r.mutable_employer()->set_cvr("25313763");
      r.mutable_employer()->set_display_name("Lager ApS");
      f(r);
      mv1::Employer out;
      return stub_->CreateEmployer(Ctx(token).get(), r, &out);
    };
  };
  auto contact = [&](std::function<void(mv1::CreateEmployerContactRequest&)> f) {
    return [&, f] {
      mv1::CreateEmployerContactRequest r;
      r.set_parent(employer.name());
      auto* c = r.mutable_contact();
      c->set_consultant("consultants/anna");
      c->set_channel(mv1::CONTACT_CHANNEL_VISIT);
      *c->mutable_contact_date() = today;
      c->set_purpose(mv1::CONTACT_PURPOSE_FOLLOW_UP);
      c->set_outcome(mv1::CONTACT_OUTCOME_NOT_NOW);
      f(r);
      mv1::EmployerContact out;
      return stub_->CreateEmployerContact(Ctx(token).get(), r, &out);
    };
  };
  auto opening = [&](std::function<void(mv1::CreateOpeningRequest&)> f) {
    return [&, f] {
      mv1::CreateOpeningRequest r;
      r.set_parent(employer.name());
      auto* o = r.mutable_opening();
      o->set_kind(mv1::OPENING_KIND_SMALL_JOB);
      o->set_title("Cleaner");
      o->set_max_hours(10);
      o->set_physical_demand(mv1::PHYSICAL_DEMAND_MODERATE);
      o->set_shift_pattern(mv1::SHIFT_PATTERN_DAY);
      o->mutable_location()->set_latitude(55.65);
      o->mutable_location()->set_longitude(12.54);
      o->set_slots(2);
      f(r);
      mv1::Opening out;
      return stub_->CreateOpening(Ctx(token).get(), r, &out);
    };
  };
  auto profile = [&](const std::string& path, std::function<void(mv1::JobProfile&)> f) {
    return [&, path, f] {
      mv1::UpdateJobProfileRequest r;
      r.mutable_job_profile()->set_name("citizens/anna-1/jobProfile");
      f(*r.mutable_job_profile());
      r.mutable_update_mask()->add_paths(path);
      mv1::JobProfile out;
      return stub_->UpdateJobProfile(Ctx(token).get(), r, &out);
    };
  };
  auto placement = [&](std::function<void(mv1::CreatePlacementRequest&)> f) {
    return [&, f] {
      mv1::CreatePlacementRequest r;
      r.set_parent("citizens/anna-1");
      auto* p = r.mutable_placement();
      p->set_employer(employer.name());
      p->set_kind(mv1::OPENING_KIND_COMPANY_INTERNSHIP);
      *p->mutable_start_date() = today;
      p->add_hours()->set_hours_per_week(20);
      f(r);
      mv1::Placement out;
      return stub_->CreatePlacement(Ctx(token).get(), r, &out);
    };
  };
  const std::string placement_name = "citizens/anna-1/placements/p1";
  auto hours = [&](std::function<void(mv1::ChangePlacementHoursRequest&)> f) {
    return [&, f] {
      mv1::ChangePlacementHoursRequest r;
      r.set_name(placement_name);
      *r.mutable_change()->mutable_effective_date() = today;
      r.mutable_change()->set_hours_per_week(30);
      f(r);
      mv1::Placement out;
      return stub_->ChangePlacementHours(Ctx(token).get(), r, &out);
    };
  };
  auto convert = [&](std::function<void(mv1::ConvertPlacementRequest&)> f) {
    return [&, f] {
      mv1::ConvertPlacementRequest r;
      r.set_name(placement_name);
      r.set_kind(mv1::OPENING_KIND_WAGE_SUBSIDY_JOB);
      *r.mutable_start_date() = today;
      r.set_hours_per_week(30);
      f(r);
      mv1::Placement out;
      return stub_->ConvertPlacement(Ctx(token).get(), r, &out);
    };
  };
  auto end = [&](std::function<void(mv1::EndPlacementRequest&)> f) {
    return [&, f] {
      mv1::EndPlacementRequest r;
      r.set_name(placement_name);
      *r.mutable_end_date() = today;
      r.set_end_reason(mv1::PLACEMENT_END_REASON_ENDED);
      f(r);
      mv1::Placement out;
      return stub_->EndPlacement(Ctx(token).get(), r, &out);
    };
  };
  auto in_days = [](int n) { return ToProtoDate(TodayInCopenhagen() + n); };
  const std::vector<BadCase> cases = {
      {"placement bad parent", bad, "parent", placement([](auto& r) { r.set_parent("anna-1"); })},
      {"placement no employer", bad, "placement.employer",
       placement([](auto& r) { r.mutable_placement()->clear_employer(); })},
      {"placement bad opening", bad, "placement.opening",
       placement([](auto& r) { r.mutable_placement()->set_opening("openings/x"); })},
      {"placement opening of another employer", bad, "placement.employer",
       placement([](auto& r) { r.mutable_placement()->set_opening("employers/other/openings/x"); })},
      {"placement no kind", bad, "placement.kind",
       placement([](auto& r) { r.mutable_placement()->clear_kind(); })},
      {"placement unknown kind", bad, "placement.kind",
       placement([](auto& r) { r.mutable_placement()->set_kind(static_cast<mv1::OpeningKind>(42)); })},
      {"placement no start", bad, "placement.start_date",
       placement([](auto& r) { r.mutable_placement()->clear_start_date(); })},
      {"placement starts in a year", bad, "placement.start_date",
       placement([&](auto& r) { *r.mutable_placement()->mutable_start_date() = in_days(365); })},
      {"placement no hours", bad, "placement.hours",
       placement([](auto& r) { r.mutable_placement()->clear_hours(); })},
      {"placement two hours", bad, "placement.hours",
       placement([](auto& r) { r.mutable_placement()->add_hours()->set_hours_per_week(10); })},
      {"placement zero hours", bad, "placement.hours.hours_per_week",
       placement([](auto& r) { r.mutable_placement()->mutable_hours(0)->set_hours_per_week(0); })},
      {"placement hours from another day", bad, "placement.hours.effective_date", placement([&](auto& r) {
         *r.mutable_placement()->mutable_hours(0)->mutable_effective_date() = in_days(-3);
       })},
      {"placement converted_from set", bad, "placement.converted_from", placement([](auto& r) {
         r.mutable_placement()->set_converted_from("citizens/anna-1/placements/p0");
       })},
      {"placement request id too long", bad, "request_id",
       placement([](auto& r) { r.set_request_id(std::string(101, 'x')); })},
      {"placement not found", C::NOT_FOUND, "",
       [&] {
         mv1::GetPlacementRequest r;
         r.set_name(placement_name);
         mv1::Placement out;
         return stub_->GetPlacement(Ctx(token).get(), r, &out);
       }},
      {"placement list bad filter", bad, "filter",
       [&] {
         mv1::ListPlacementsRequest r;
         r.set_parent("citizens/-");
         r.set_filter("state = RUNNING");
         mv1::ListPlacementsResponse out;
         return stub_->ListPlacements(Ctx(token).get(), r, &out);
       }},
      {"hours bad name", bad, "name", hours([](auto& r) { r.set_name("placements/p1"); })},
      {"hours too many", bad, "change.hours_per_week",
       hours([](auto& r) { r.mutable_change()->set_hours_per_week(49); })},
      {"hours no date", bad, "change.effective_date",
       hours([](auto& r) { r.mutable_change()->clear_effective_date(); })},
      {"hours of no placement", C::NOT_FOUND, "", hours([](auto&) {})},
      {"convert no kind", bad, "kind", convert([](auto& r) { r.clear_kind(); })},
      {"convert no hours", bad, "hours_per_week", convert([](auto& r) { r.set_hours_per_week(0); })},
      {"convert no start", bad, "start_date", convert([](auto& r) { r.clear_start_date(); })},
      {"end no reason", bad, "end_reason", end([](auto& r) { r.clear_end_reason(); })},
      {"end unknown reason", bad, "end_reason",
       end([](auto& r) { r.set_end_reason(static_cast<mv1::PlacementEndReason>(9)); })},
      {"end no date", bad, "end_date", end([](auto& r) { r.clear_end_date(); })},
      {"candidates bad opening", bad, "opening",
       [&] {
         mv1::MatchCandidatesRequest r;
         r.set_opening(employer.name());
         mv1::MatchCandidatesResponse out;
         return stub_->MatchCandidates(Ctx(token).get(), r, &out);
       }},
      {"candidates page too big", bad, "page_size",
       [&] {
         mv1::MatchCandidatesRequest r;
         r.set_opening(employer.name() + "/openings/x");
         r.set_page_size(101);
         mv1::MatchCandidatesResponse out;
         return stub_->MatchCandidates(Ctx(token).get(), r, &out);
       }},
      {"cvr fails modulus 11", bad, "employer.cvr",
       new_employer([](auto& r) { r.mutable_employer()->set_cvr("12345678"); })},
      {"cvr too short", bad, "employer.cvr",
       new_employer([](auto& r) { r.mutable_employer()->set_cvr("1234567"); })},
      {"cvr taken", C::ALREADY_EXISTS, "",
       new_employer([](auto& r) { r.mutable_employer()->set_cvr("DK10150817"); })},
      {"no name", bad, "employer.display_name",
       new_employer([](auto& r) { r.mutable_employer()->clear_display_name(); })},
      {"bad e-mail", bad, "employer.contact_persons[0].email", new_employer([](auto& r) {
         auto* p = r.mutable_employer()->add_contact_persons();
         p->set_display_name("Mette");
         p->set_email("mette.example.dk");
       })},
      {"contact unknown consultant form", bad, "contact.consultant",
       contact([](auto& r) { r.mutable_contact()->set_consultant("anna"); })},
      {"contact in the future", bad, "contact.contact_date", contact([](auto& r) {
         *r.mutable_contact()->mutable_contact_date() = ToProtoDate(TodayInCopenhagen() + 1);
       })},
      {"contact without outcome", bad, "contact.outcome",
       contact([](auto& r) { r.mutable_contact()->clear_outcome(); })},
      {"contact at unknown employer", C::NOT_FOUND, "",
       contact([](auto& r) { r.set_parent("employers/nope"); })},
      {"opening without kind", bad, "opening.kind",
       opening([](auto& r) { r.mutable_opening()->clear_kind(); })},
      {"opening max below min", bad, "opening.max_hours",
       opening([](auto& r) { r.mutable_opening()->set_min_hours(20); })},
      {"opening 60 hours", bad, "opening.max_hours",
       opening([](auto& r) { r.mutable_opening()->set_max_hours(60); })},
      {"opening without location", bad, "opening.location",
       opening([](auto& r) { r.mutable_opening()->clear_location(); })},
      {"opening off the globe", bad, "opening.location",
       opening([](auto& r) { r.mutable_opening()->mutable_location()->set_latitude(91); })},
      {"opening without slots", bad, "opening.slots",
       opening([](auto& r) { r.mutable_opening()->set_slots(0); })},
      {"opening at unknown employer", C::NOT_FOUND, "",
       opening([](auto& r) { r.set_parent("employers/nope"); })},
      {"profile accommodation twice", bad, "job_profile.accommodations[1]",
       profile("accommodations",
               [](auto& p) {
                 p.add_accommodations(mv1::ACCOMMODATION_GRADUAL_START);
                 p.add_accommodations(mv1::ACCOMMODATION_GRADUAL_START);
               })},
      {"profile unknown accommodation", bad, "job_profile.accommodations[0]",
       profile("accommodations", [](auto& p) { p.add_accommodations(static_cast<mv1::Accommodation>(42)); })},
      {"profile 100 hours", bad, "job_profile.preferred_hours",
       profile("preferred_hours", [](auto& p) { p.set_preferred_hours(100); })},
      {"profile network not an employer", bad, "job_profile.network_employers[0]",
       profile("network_employers", [](auto& p) { p.add_network_employers("Café Sydhavn"); })},
      {"profile unknown mask path", bad, "update_mask", profile("cpr", [](auto&) {})},
      {"match bad citizen", bad, "citizen",
       [&] {
         mv1::MatchOpeningsRequest r;
         r.set_citizen("anna");
         mv1::MatchOpeningsResponse out;
         return stub_->MatchOpenings(Ctx(token).get(), r, &out);
       }},
      {"match page too big", bad, "page_size",
       [&] {
         mv1::MatchOpeningsRequest r;
         r.set_citizen("citizens/anna-1");
         r.set_page_size(101);
         mv1::MatchOpeningsResponse out;
         return stub_->MatchOpenings(Ctx(token).get(), r, &out);
       }},
  };
  ExpectRefusedWithoutWrites(cases, [&] { return Rows(); });
}

TEST_P(MatchingBadInputTest, RandomRequestsAreAnsweredDeliberately) {
  mv1::CreateEmployerRequest create;
  create.mutable_employer()->set_cvr("10150817");
  create.mutable_employer()->set_display_name("Café Sydhavn");
  mv1::Employer employer;
  ASSERT_TRUE(stub_->CreateEmployer(Ctx(ConsultantToken()).get(), create, &employer).ok());
  RandomRequests gen(RandomSeed(20261125), {employer.name(), "citizens/anna-1", "citizens/anna-1/jobProfile",
                                            employer.name() + "/openings/x", "consultants/anna",
                                            "citizens/anna-1/placements/p1", "citizens/-"});
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      mv1::EmployerMatching::service_full_name());
  int calls = 0;
  for (const auto& bad : SendRandomRequests(server_->port(), service,
                                            Token("lead-bo", "BIF", {"team_lead", "dpo"}), gen, 20, &calls)) {
    ADD_FAILURE() << bad;
  }
  EXPECT_EQ(calls, 20 * (service->method_count() - 1));
  EXPECT_EQ(*server_->core().audit().FirstBrokenLink(), 0);
}

IPS_ON_BOTH_DATABASES(MatchingBadInputTest);

}  // namespace
}  // namespace ips::testing
