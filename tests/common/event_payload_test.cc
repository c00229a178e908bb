// Events carry no identifier outside reporting's pseudonym space: every
// string field of every event payload says how it is published, the outbox
// replaces ids by their pseudonyms, and it refuses a payload that does not
// say.
#include "services/common/event_payload.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "ips/matching/v1/events.pb.h"
#include "ips/registry/v1/citizen.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/common_schema.h"
#include "services/common/outbox.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

const Pseudonymizer kKeys(std::string(32, 'k'));

TEST(EventPayloadTest, EveryEventTypeOfEveryPublisherSaysHowEachStringIsPublished) {
  int types = 0;
  // (From a message of each file: the generated pool learns a file when its
  // code is first used.)
  for (const auto* fd : {registry::v1::CitizenRegistered::descriptor()->file(),
                         treatment::v1::ReferralCreated::descriptor()->file(),
                         matching::v1::PlacementStarted::descriptor()->file()}) {
    ASSERT_NE(fd->name().find("events.proto"), std::string::npos) << fd->name();
    for (int i = 0; i < fd->message_type_count(); ++i) {
      EXPECT_TRUE(CheckPublishable(*fd->message_type(i)).ok())
          << CheckPublishable(*fd->message_type(i)).message();
      ++types;
    }
  }
  EXPECT_EQ(types, 11 + 6 + 4);  // registry, treatment, matching
}

TEST(EventPayloadTest, AMessageWithAnUndeclaredStringIsNotPublishable) {
  auto s = CheckPublishable(*registry::v1::Citizen::descriptor());
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("ips.registry.v1.Citizen."), std::string::npos) << s.message();
}

TEST(EventPayloadTest, IdsBecomeTheirPseudonymsAndClosedValuesStay) {
  registry::v1::EnrollmentStarted m;
  m.set_enrollment_id("e1");
  m.set_consultant_id("k1");
  m.set_age_band("30-39");
  PseudonymiseIds(m, kKeys);
  EXPECT_EQ(m.enrollment_id(), kKeys.RecordPseudonym("enrollment", "e1"));
  EXPECT_EQ(m.consultant_id(), kKeys.RecordPseudonym("consultant", "k1"));
  EXPECT_EQ(m.age_band(), "30-39");
  // Kinds keep apart: the same id of another kind, or as a citizen, differs.
  EXPECT_NE(kKeys.RecordPseudonym("enrollment", "x"), kKeys.RecordPseudonym("consultant", "x"));
  EXPECT_NE(kKeys.RecordPseudonym("enrollment", "x"), kKeys.Pseudonym("x"));
  // One consultant has one pseudonym in every publisher's feed.
  matching::v1::EmployerContactRecorded contact;
  contact.set_consultant_id("k1");
  PseudonymiseIds(contact, kKeys);
  EXPECT_EQ(contact.consultant_id(), m.consultant_id());
  // An id not given stays empty (a placement not converted).
  matching::v1::PlacementStarted started;
  started.set_placement_id("p1");
  PseudonymiseIds(started, kKeys);
  EXPECT_EQ(started.converted_from_id(), "");
}

class OutboxPublishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(ips::testing::FreshDatabase(ips::testing::Backend::kSqlite));
    ASSERT_TRUE(db.ok());
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate(CommonMigrations()).ok());
  }
  int Rows() {
    int n = -1;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM outbox", soci::into(n);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }
  std::unique_ptr<Database> db_;
};

TEST_F(OutboxPublishTest, TheOutboxStoresPseudonymsAndRefusesAnUndeclaredPayload) {
  Outbox outbox(*db_, "registry", kKeys);
  registry::v1::JobConversationRecorded held;
  held.set_enrollment_id("enrolment-7");
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   outbox.Append(s, "citizen-1", held);
                   return absl::OkStatus();
                 })
                  .ok());
  auto events = outbox.ReadAfter(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  registry::v1::JobConversationRecorded read;
  ASSERT_TRUE((*events)[0].payload().UnpackTo(&read));
  EXPECT_EQ(read.enrollment_id(), kKeys.RecordPseudonym("enrollment", "enrolment-7"));
  EXPECT_EQ((*events)[0].SerializeAsString().find("enrolment-7"), std::string::npos);

  // A payload that does not say how its strings are published fails the
  // write it is part of: nothing is stored.
  registry::v1::Citizen not_an_event;
  not_an_event.set_given_name("Anna");
  auto refused = db_->Write([&](soci::session& s) {
    outbox.Append(s, "citizen-1", not_an_event);
    return absl::OkStatus();
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Rows(), 1);
}

TEST_F(OutboxPublishTest, EventsStoredWithRealIdsArePublishedWithPseudonyms) {
  // An event as stored before ids were pseudonymised (or by a pod of the
  // version before during a rolling upgrade), with a field since removed:
  // ConsultantChanged's free-text unit, field 2.
  registry::v1::ConsultantChanged old;
  old.set_consultant_id("k-real");
  google::protobuf::Any any;
  any.PackFrom(old);
  std::string value = any.value();
  value += std::string("\x12\x0dIPS Sydhavnen", 15);  // field 2, length 13
  any.set_value(value);
  std::string payload = absl::Base64Escape(any.SerializeAsString());
  ASSERT_TRUE(
      db_->Write([&](soci::session& s) {
           s << "INSERT INTO outbox (sequence, event_id, type, subject_pseudonym, create_micros, payload) "
                "VALUES (1, 'e', 'ips.registry.v1.ConsultantChanged', '', 0, :p)",
               soci::use(payload);
           s << "UPDATE counters SET value = 1 WHERE name = 'outbox'";
           return absl::OkStatus();
         })
          .ok());
  Outbox outbox(*db_, "registry", kKeys);
  auto events = outbox.ReadAfter(0, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  registry::v1::ConsultantChanged read;
  ASSERT_TRUE((*events)[0].payload().UnpackTo(&read));
  EXPECT_EQ(read.consultant_id(), kKeys.RecordPseudonym("consultant", "k-real"));
  const std::string bytes = (*events)[0].SerializeAsString();
  EXPECT_EQ(bytes.find("k-real"), std::string::npos);
  EXPECT_EQ(bytes.find("Sydhavnen"), std::string::npos);
}

}  // namespace
}  // namespace ips
