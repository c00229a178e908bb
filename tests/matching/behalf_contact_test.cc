// Employer contacts on a named citizen's behalf, through the matching
// service's gRPC API with a real registry behind it, on SQLite and
// PostgreSQL: the registry decides (running course, the caller's caseload),
// the contact falls within the course, the feed carries the citizen only as
// the envelope's pseudonym, lists filter by citizen, and the citizen's
// subject-access export holds the contacts.
#include <gtest/gtest.h>

#include "services/common/resource_name.h"
#include "tests/matching/matching_with_registry.h"

namespace ips::testing {
namespace {

class BehalfContactTest : public MatchingWithRegistry {
 protected:
  // A contact by anna with the employer; on `citizen`'s behalf unless empty.
  mv1::CreateEmployerContactRequest ContactRequest(const std::string& citizen, int day_offset,
                                                   mv1::ContactChannel channel = mv1::CONTACT_CHANNEL_VISIT,
                                                   const std::string& request_id = "") {
    mv1::CreateEmployerContactRequest req;
    req.set_parent(employer_);
    req.set_request_id(request_id);
    auto* c = req.mutable_contact();
    c->set_consultant(anna_);
    c->set_citizen(citizen);
    c->set_channel(channel);
    *c->mutable_contact_date() = ToProtoDate(Today(day_offset));
    c->set_purpose(mv1::CONTACT_PURPOSE_OPENING_FOR_CITIZEN);
    c->set_outcome(mv1::CONTACT_OUTCOME_INTERESTED);
    return req;
  }

  grpc::Status Contact(const mv1::CreateEmployerContactRequest& req, mv1::EmployerContact* out,
                       const std::string& token = ConsultantToken()) {
    return m_->CreateEmployerContact(Ctx(token).get(), req, out);
  }

  std::vector<mv1::EmployerContact> Listed(const std::string& filter = "") {
    mv1::ListEmployerContactsRequest req;
    req.set_parent("employers/-");
    req.set_filter(filter);
    req.set_page_size(1000);
    mv1::ListEmployerContactsResponse resp;
    auto s = m_->ListEmployerContacts(Ctx(ConsultantToken()).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.contacts().begin(), resp.contacts().end()};
  }

  // The EmployerContactRecorded events on the feed, in order.
  std::vector<common::v1::Event> ContactEvents() {
    auto events = matching_->core().outbox().ReadAfter(0, 100);
    EXPECT_TRUE(events.ok());
    std::vector<common::v1::Event> out;
    for (const auto& e : *events) {
      if (e.type() == "ips.matching.v1.EmployerContactRecorded") out.push_back(e);
    }
    return out;
  }
};

TEST_P(BehalfContactTest, AContactOnACitizensBehalfCarriesTheCitizenAsThePseudonymOnly) {
  auto c = EnrolledCitizen(1, 20, anna_);
  mv1::EmployerContact made, general;
  ASSERT_TRUE(Contact(ContactRequest(c.name(), -5), &made).ok());
  EXPECT_EQ(made.citizen(), c.name());
  EXPECT_EQ(made.channel(), mv1::CONTACT_CHANNEL_VISIT);
  ASSERT_TRUE(Contact(ContactRequest("", -4, mv1::CONTACT_CHANNEL_PHONE), &general).ok());
  EXPECT_TRUE(general.citizen().empty());
  // A placement of the same citizen, whose event carries their pseudonym.
  mv1::Placement p;
  ASSERT_TRUE(Place(PlacementRequest(c, "", 0, 20), &p).ok());

  // Listed with the citizen, and by citizen.
  EXPECT_EQ(Listed().size(), 2u);
  auto mine = Listed("citizen = " + c.name());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].name(), made.name());
  EXPECT_EQ(mine[0].citizen(), c.name());

  // The feed: the contact on the citizen's behalf under the citizen's
  // pseudonym (the same as their placement's), the other under none; the
  // citizen id itself is nowhere in an event.
  auto events = ContactEvents();
  ASSERT_EQ(events.size(), 2u);
  auto all = matching_->core().outbox().ReadAfter(0, 100);
  ASSERT_TRUE(all.ok());
  std::string placement_pseudonym;
  for (const auto& e : *all) {
    if (e.type() == "ips.matching.v1.PlacementStarted") placement_pseudonym = e.subject_pseudonym();
    EXPECT_EQ(e.SerializeAsString().find(LastSegment(c.name())), std::string::npos) << e.type();
  }
  EXPECT_FALSE(placement_pseudonym.empty());
  EXPECT_EQ(events[0].subject_pseudonym(), placement_pseudonym);
  EXPECT_TRUE(events[1].subject_pseudonym().empty());
  mv1::EmployerContactRecorded recorded;
  ASSERT_TRUE(events[0].payload().UnpackTo(&recorded));
  EXPECT_EQ(recorded.channel(), mv1::CONTACT_CHANNEL_VISIT);
  EXPECT_EQ(recorded.purpose(), mv1::CONTACT_PURPOSE_OPENING_FOR_CITIZEN);
  EXPECT_EQ(FormatDay(CivilDayOf(recorded.contact_date())), FormatDay(Today(-5)));

  // The citizen's subject-access export at matching holds the contact.
  common::v1::ExportSubjectDataRequest ex;
  ex.set_citizen(c.name());
  common::v1::SubjectDataExport out;
  ASSERT_TRUE(m_->ExportSubjectData(Ctx(DpoToken()).get(), ex, &out).ok());
  EXPECT_NE(out.data_json().find("\"employer_contacts\""), std::string::npos) << out.data_json();
  EXPECT_NE(out.data_json().find(LastSegment(made.name())), std::string::npos) << out.data_json();
  EXPECT_EQ(out.data_json().find(LastSegment(general.name())), std::string::npos) << out.data_json();
}

TEST_P(BehalfContactTest, TheRegistryDecidesOnWhoseBehalfAConsultantMayContact) {
  mv1::EmployerContact out;
  // Another consultant's citizen: the registry's caseload rule.
  auto kim = MakeConsultant("kim").name();
  auto kims = EnrolledCitizen(2, 10, kim);
  auto s = Contact(ContactRequest(kims.name(), 0), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_EQ(ErrorReason(s), "NOT_ON_CASELOAD");

  // A course that has ended takes no contacts on its behalf.
  auto ended = CitizenWithEndedCourse();
  s = Contact(ContactRequest(ended.name(), -10), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_EQ(PreconditionSubjects(s), std::vector<std::string>{ended.name()});

  // Unknown to the registry.
  s = Contact(ContactRequest("citizens/no-such-citizen", 0), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();

  // Before the course started.
  auto recent = EnrolledCitizen(3, 3, anna_);
  s = Contact(ContactRequest(recent.name(), -10), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstBadField(s), "contact.contact_date");
  EXPECT_NE(s.error_message().find("course's start"), std::string::npos) << s.error_message();

  // Not a citizen's name at all: refused before the registry is asked.
  s = Contact(ContactRequest("consultants/x", 0), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FirstBadField(s), "contact.citizen");

  // None of them was written or published.
  EXPECT_TRUE(Listed().empty());
  EXPECT_TRUE(ContactEvents().empty());
  // The team lead's caseload is everyone's.
  ASSERT_TRUE(Contact(ContactRequest(kims.name(), 0), &out, TeamLeadToken()).ok());
  EXPECT_EQ(out.citizen(), kims.name());
}

TEST_P(BehalfContactTest, RegistryDownRefusesOnlyContactsOnACitizensBehalf) {
  auto c = EnrolledCitizen(4, 10, anna_);
  mv1::EmployerContact made, out;
  auto first = ContactRequest(c.name(), 0, mv1::CONTACT_CHANNEL_VISIT, "made-before");
  ASSERT_TRUE(Contact(first, &made).ok());
  stub_.reset();
  server_->Stop();
  auto s = Contact(ContactRequest(c.name(), 0, mv1::CONTACT_CHANNEL_VISIT, "made-while-down"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("registry"), std::string::npos);
  // A retry of a contact already made answers with it; a contact about the
  // employer in general needs no registry.
  ASSERT_TRUE(Contact(first, &out).ok());
  EXPECT_EQ(out.name(), made.name());
  ASSERT_TRUE(Contact(ContactRequest("", 0), &out).ok());
  EXPECT_EQ(Listed().size(), 2u);
}

IPS_ON_BOTH_DATABASES(BehalfContactTest);

}  // namespace
}  // namespace ips::testing
