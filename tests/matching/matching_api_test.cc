// The matching service through its gRPC API on SQLite and PostgreSQL, for
// the parts built so far: employers (CVR), employer contacts, openings, job
// profiles and MatchOpenings.
#include <gtest/gtest.h>

#include "services/common/dates.h"
#include "services/matching/matching_config.h"
#include "tests/support/matching_server.h"
#include "tests/support/policy_coverage.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"

namespace ips::testing {
namespace {

namespace mv1 = ips::matching::v1;

TEST(MatchingPolicyTest, EveryRpcHasAPolicyEntryAndEveryEntryAnRpc) {
  ExpectPolicyCoversService(matching::DefaultPolicyJson(), "ips.matching.v1.EmployerMatching");
}

class MatchingApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    server_ = std::make_unique<MatchingServer>(url_);
    stub_ = server_->Stub();
    token_ = ConsultantToken();
  }

  mv1::Employer MakeEmployer(const std::string& cvr, const std::string& name, int* code = nullptr) {
    mv1::CreateEmployerRequest req;
    req.mutable_employer()->set_cvr(cvr);
    req.mutable_employer()->set_display_name(name);
    req.mutable_employer()->set_industry("food service");
    mv1::Employer out;
    auto s = stub_->CreateEmployer(Ctx(token_).get(), req, &out);
    if (code)
      *code = s.error_code();
    else
      EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  mv1::Opening MakeOpening(const mv1::Employer& e, const std::string& title, bool alcohol,
                           double km_north = 1) {
    mv1::CreateOpeningRequest req;
    req.set_parent(e.name());
    auto* o = req.mutable_opening();
    o->set_kind(mv1::OPENING_KIND_COMPANY_INTERNSHIP);
    o->set_title(title);
    o->set_min_hours(10);
    o->set_max_hours(25);
    o->set_physical_demand(mv1::PHYSICAL_DEMAND_LIGHT);
    o->set_shift_pattern(mv1::SHIFT_PATTERN_DAY);
    o->mutable_location()->set_latitude(55.650 + km_north / 110.574);
    o->mutable_location()->set_longitude(12.540);
    o->set_serves_alcohol(alcohol);
    o->set_slots(1);
    mv1::Opening out;
    auto s = stub_->CreateOpening(Ctx(token_).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::string url_, token_;
  std::unique_ptr<MatchingServer> server_;
  std::unique_ptr<mv1::EmployerMatching::Stub> stub_;
};

TEST_P(MatchingApiTest, EmployersAreKeyedByAValidCvr) {
  auto e = MakeEmployer("DK 1015 0817", "Café Sydhavn");
  EXPECT_EQ(e.cvr(), "10150817");
  EXPECT_EQ(e.etag(), "v1");
  int code = 0;
  MakeEmployer("10150817", "Same company again", &code);
  EXPECT_EQ(code, grpc::StatusCode::ALREADY_EXISTS);
  mv1::CreateEmployerRequest bad;
  bad.mutable_employer()->set_cvr("12345678");
  mv1::Employer out;
  auto s = stub_->CreateEmployer(Ctx(token_).get(), bad, &out);
  EXPECT_EQ(BadFields(s), (std::vector<std::string>{"employer.cvr", "employer.display_name"}));

  mv1::GetEmployerRequest get;
  get.set_name(e.name());
  mv1::Employer got;
  ASSERT_TRUE(stub_->GetEmployer(Ctx(token_).get(), get, &got).ok());
  EXPECT_EQ(got.cvr(), "10150817");
  EXPECT_EQ(got.display_name(), "Café Sydhavn");
  get.set_name("employers/nope");
  EXPECT_EQ(stub_->GetEmployer(Ctx(token_).get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);

  MakeEmployer("25313763", "Lager ApS");
  mv1::ListEmployersRequest list;
  list.set_filter("cvr = \"DK25313763\"");
  mv1::ListEmployersResponse found;
  ASSERT_TRUE(stub_->ListEmployers(Ctx(token_).get(), list, &found).ok());
  ASSERT_EQ(found.employers_size(), 1);
  EXPECT_EQ(found.employers(0).display_name(), "Lager ApS");

  mv1::UpdateEmployerRequest update;
  *update.mutable_employer() = e;
  update.mutable_employer()->set_display_name("Café Sydhavn ApS");
  auto* person = update.mutable_employer()->add_contact_persons();
  person->set_display_name("Mette Lund");
  person->set_email("mette@example.dk");
  update.mutable_update_mask()->add_paths("display_name");
  update.mutable_update_mask()->add_paths("contact_persons");
  mv1::Employer updated;
  ASSERT_TRUE(stub_->UpdateEmployer(Ctx(token_).get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Café Sydhavn ApS");
  ASSERT_EQ(updated.contact_persons_size(), 1);
  EXPECT_EQ(updated.etag(), "v2");
  EXPECT_EQ(stub_->UpdateEmployer(Ctx(token_).get(), update, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  update.mutable_update_mask()->add_paths("cvr");
  EXPECT_EQ(BadFields(stub_->UpdateEmployer(Ctx(token_).get(), update, &updated)),
            std::vector<std::string>{"update_mask"});
}

TEST_P(MatchingApiTest, EmployerContactsAreRecordedAndListedByConsultant) {
  auto e = MakeEmployer("10150817", "Café Sydhavn");
  auto contact = [&](const std::string& consultant, int days_ago, mv1::ContactChannel channel) {
    mv1::CreateEmployerContactRequest req;
    req.set_parent(e.name());
    auto* c = req.mutable_contact();
    c->set_consultant(consultant);
    c->set_channel(channel);
    *c->mutable_contact_date() = ToProtoDate(TodayInCopenhagen() - days_ago);
    c->set_purpose(mv1::CONTACT_PURPOSE_NEW_EMPLOYER);
    c->set_outcome(mv1::CONTACT_OUTCOME_INTERESTED);
    mv1::EmployerContact out;
    auto s = stub_->CreateEmployerContact(Ctx(token_).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  contact("consultants/anna", 3, mv1::CONTACT_CHANNEL_VISIT);
  contact("consultants/anna", 1, mv1::CONTACT_CHANNEL_PHONE);
  contact("consultants/bo", 2, mv1::CONTACT_CHANNEL_VISIT);

  mv1::ListEmployerContactsRequest list;
  list.set_parent("employers/-");
  list.set_filter("consultant = consultants/anna");
  mv1::ListEmployerContactsResponse anna;
  ASSERT_TRUE(stub_->ListEmployerContacts(Ctx(token_).get(), list, &anna).ok());
  ASSERT_EQ(anna.contacts_size(), 2);
  EXPECT_EQ(anna.contacts(0).channel(), mv1::CONTACT_CHANNEL_VISIT);  // by date
  list.set_filter("channel = CONTACT_CHANNEL_VISIT");
  mv1::ListEmployerContactsResponse visits;
  ASSERT_TRUE(stub_->ListEmployerContacts(Ctx(token_).get(), list, &visits).ok());
  EXPECT_EQ(visits.contacts_size(), 2);

  mv1::CreateEmployerContactRequest unknown;
  unknown.set_parent("employers/nope");
  *unknown.mutable_contact() = anna.contacts(0);
  mv1::EmployerContact out;
  EXPECT_EQ(stub_->CreateEmployerContact(Ctx(token_).get(), unknown, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_P(MatchingApiTest, OpeningsAreCreatedListedAndClosed) {
  auto e = MakeEmployer("10150817", "Café Sydhavn");
  auto o = MakeOpening(e, "Kitchen assistant", true);
  EXPECT_EQ(o.industry(), "food service");  // the employer's
  EXPECT_EQ(o.state(), mv1::OPENING_STATE_OPEN);
  mv1::GetOpeningRequest get;
  get.set_name(o.name());
  mv1::Opening got;
  ASSERT_TRUE(stub_->GetOpening(Ctx(token_).get(), get, &got).ok());
  EXPECT_EQ(got.title(), "Kitchen assistant");
  EXPECT_TRUE(got.serves_alcohol());
  EXPECT_NEAR(got.location().longitude(), 12.540, 1e-9);

  mv1::UpdateOpeningRequest update;
  *update.mutable_opening() = o;
  update.mutable_opening()->set_max_hours(5);  // below the minimum of 10
  update.mutable_update_mask()->add_paths("max_hours");
  mv1::Opening updated;
  EXPECT_EQ(BadFields(stub_->UpdateOpening(Ctx(token_).get(), update, &updated)),
            std::vector<std::string>{"opening.max_hours"});
  update.mutable_opening()->set_state(mv1::OPENING_STATE_CLOSED);
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("state");
  ASSERT_TRUE(stub_->UpdateOpening(Ctx(token_).get(), update, &updated).ok());
  EXPECT_EQ(updated.state(), mv1::OPENING_STATE_CLOSED);
  EXPECT_EQ(updated.max_hours(), 25);  // only the masked field changed

  MakeOpening(e, "Dishwasher", false);
  mv1::ListOpeningsRequest list;
  list.set_parent("employers/-");
  list.set_filter("state = OPENING_STATE_OPEN");
  mv1::ListOpeningsResponse open;
  ASSERT_TRUE(stub_->ListOpenings(Ctx(token_).get(), list, &open).ok());
  ASSERT_EQ(open.openings_size(), 1);
  EXPECT_EQ(open.openings(0).title(), "Dishwasher");
}

TEST_P(MatchingApiTest, MatchOpeningsRespectsAccommodationsAndExplainsTheOrder) {
  const std::string citizen = "citizens/anna-1";
  mv1::MatchOpeningsRequest match;
  match.set_citizen(citizen);
  mv1::MatchOpeningsResponse none;
  auto s = stub_->MatchOpenings(Ctx(token_).get(), match, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);  // no profile yet

  mv1::GetJobProfileRequest get;
  get.set_name(citizen + "/jobProfile");
  mv1::JobProfile empty;
  ASSERT_TRUE(stub_->GetJobProfile(Ctx(token_).get(), get, &empty).ok());
  EXPECT_TRUE(empty.etag().empty());

  auto cafe = MakeEmployer("10150817", "Café Sydhavn");
  auto bar = MakeOpening(cafe, "Bar assistant", true);
  auto kitchen = MakeOpening(cafe, "Kitchen assistant", false, 1);
  auto far = MakeOpening(cafe, "Kitchen helper", false, 9);

  mv1::UpdateJobProfileRequest profile;
  auto* p = profile.mutable_job_profile();
  p->set_name(citizen + "/jobProfile");
  p->add_goal_titles("Kitchen");
  p->set_preferred_hours(20);
  p->add_accommodations(mv1::ACCOMMODATION_NO_ALCOHOL_SERVING_WORKPLACE);
  p->mutable_home()->set_latitude(55.650);
  p->mutable_home()->set_longitude(12.540);
  p->set_max_travel_km(10);
  for (const char* f : {"goal_titles", "preferred_hours", "accommodations", "home", "max_travel_km"}) {
    profile.mutable_update_mask()->add_paths(f);
  }
  mv1::JobProfile stored;
  ASSERT_TRUE(stub_->UpdateJobProfile(Ctx(token_).get(), profile, &stored).ok());
  EXPECT_EQ(stored.etag(), "v1");
  profile.mutable_job_profile()->set_etag("v9");
  EXPECT_EQ(stub_->UpdateJobProfile(Ctx(token_).get(), profile, &stored).error_code(),
            grpc::StatusCode::ABORTED);

  mv1::MatchOpeningsResponse resp;
  ASSERT_TRUE(stub_->MatchOpenings(Ctx(token_).get(), match, &resp).ok());
  EXPECT_EQ(resp.excluded(), 1);  // the bar serves alcohol
  ASSERT_EQ(resp.matches_size(), 2);
  EXPECT_EQ(resp.matches(0).opening().name(), kitchen.name());  // 1 km beats 9 km
  EXPECT_EQ(resp.matches(1).opening().name(), far.name());
  EXPECT_GT(resp.matches(0).score(), resp.matches(1).score());
  for (const auto& m : resp.matches()) {
    EXPECT_NE(m.opening().name(), bar.name());
    int sum = 0;
    for (const auto& c : m.criteria()) sum += c.points();
    EXPECT_EQ(sum, m.score());
    ASSERT_EQ(m.criteria_size(), 5);
    EXPECT_EQ(m.criteria(0).criterion(), mv1::MATCH_CRITERION_GOAL_FIT);
    EXPECT_EQ(m.criteria(0).points(), 350);
  }
  EXPECT_EQ(resp.matches(1).criteria(2).reason(), "9.0 km from home; limit 10 km");

  // Openings are ranked from memory; a change by another replica on the
  // same database is seen by the next match all the same.
  MatchingServer other(url_);
  mv1::UpdateOpeningRequest close;
  *close.mutable_opening() = kitchen;
  close.mutable_opening()->set_state(mv1::OPENING_STATE_CLOSED);
  close.mutable_update_mask()->add_paths("state");
  mv1::Opening closed;
  ASSERT_TRUE(other.Stub()->UpdateOpening(Ctx(token_).get(), close, &closed).ok());
  mv1::MatchOpeningsResponse after;
  ASSERT_TRUE(stub_->MatchOpenings(Ctx(token_).get(), match, &after).ok());
  ASSERT_EQ(after.matches_size(), 1);
  EXPECT_EQ(after.matches(0).opening().name(), far.name());
  auto added = MakeOpening(cafe, "Kitchen porter", false, 0.5);
  ASSERT_TRUE(other.Stub()->MatchOpenings(Ctx(token_).get(), match, &after).ok());
  ASSERT_EQ(after.matches_size(), 2);
  EXPECT_EQ(after.matches(0).opening().name(), added.name());
}

IPS_ON_BOTH_DATABASES(MatchingApiTest);

}  // namespace
}  // namespace ips::testing
