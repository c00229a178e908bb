// Reporting's facts: derived from events in memory (FactsInMemory), kept in step
// with the database (CommittedFacts, fact_store), judged as of a day.
#include "services/reporting/facts_in_memory.h"

#include <gtest/gtest.h>

#include <random>

#include "ips/matching/v1/events.pb.h"
#include "ips/registry/v1/events.pb.h"
#include "ips/treatment/v1/events.pb.h"
#include "services/common/common_schema.h"
#include "services/common/dates.h"
#include "services/reporting/committed_facts.h"
#include "services/reporting/fact_store.h"
#include "services/reporting/fidelity_review_builder.h"
#include "services/reporting/fidelity_scale_json.h"
#include "services/reporting/reporting_config.h"
#include "services/reporting/reporting_schema.h"
#include "tests/support/test_env.h"

namespace ips::reporting {
namespace {

namespace rv1 = registry::v1;
namespace mv1 = matching::v1;
namespace tv1 = treatment::v1;

const absl::CivilDay kDay(2026, 3, 2);

// A feed's events, numbered as a publisher would.
class Feed {
 public:
  common::v1::Event Next(const std::string& pseudonym, const google::protobuf::Message& payload) {
    common::v1::Event e;
    e.set_sequence(++sequence_);
    e.set_type(payload.GetDescriptor()->full_name());
    e.set_subject_pseudonym(pseudonym);
    e.mutable_payload()->PackFrom(payload);
    return e;
  }

 private:
  long long sequence_ = 0;
};

common::v1::Event Started(Feed& f, const std::string& p, const std::string& id, absl::CivilDay start,
                          const std::string& consultant = "k1") {
  rv1::EnrollmentStarted m;
  m.set_enrollment_id(id);
  m.set_consultant_id(consultant);
  *m.mutable_start_date() = ToProtoDate(start);
  for (int offset : {7, 61, 122, 183}) *m.add_conversation_due_dates() = ToProtoDate(start + offset);
  return f.Next(p, m);
}

common::v1::Event Conversation(Feed& f, const std::string& p, const std::string& id, absl::CivilDay day,
                               rv1::JobConversationStatus status) {
  rv1::JobConversationRecorded m;
  m.set_enrollment_id(id);
  *m.mutable_date() = ToProtoDate(day);
  m.set_status(status);
  return f.Next(p, m);
}

common::v1::Event Ended(Feed& f, const std::string& p, const std::string& id, absl::CivilDay day,
                        int outcome) {
  rv1::EnrollmentEnded m;
  m.set_enrollment_id(id);
  *m.mutable_end_date() = ToProtoDate(day);
  m.set_outcome(static_cast<rv1::CourseOutcome>(outcome));
  return f.Next(p, m);
}

common::v1::Event Placed(Feed& f, const std::string& p, const std::string& id, absl::CivilDay day,
                         mv1::OpeningKind kind) {
  mv1::PlacementStarted m;
  m.set_placement_id(id);
  m.set_kind(kind);
  *m.mutable_start_date() = ToProtoDate(day);
  return f.Next(p, m);
}

common::v1::Event Referred(Feed& f, const std::string& p, const std::string& id, absl::CivilDay day) {
  tv1::ReferralCreated m;
  m.set_referral_id(id);
  m.set_referred_by(tv1::REFERRER_IPS_CONSULTANT);
  *m.mutable_request_date() = ToProtoDate(day);
  return f.Next(p, m);
}

common::v1::Event Offered(Feed& f, const std::string& p, const std::string& id, bool met) {
  tv1::TreatmentOffered m;
  m.set_referral_id(id);
  m.set_guarantee_met(met);
  return f.Next(p, m);
}

// An employer contact; on the behalf of the citizen of `pseudonym` unless
// empty.
common::v1::Event Contact(Feed& f, const std::string& consultant, absl::CivilDay day,
                          const std::string& pseudonym = "",
                          mv1::ContactChannel channel = mv1::CONTACT_CHANNEL_PHONE) {
  mv1::EmployerContactRecorded m;
  m.set_consultant_id(consultant);
  *m.mutable_contact_date() = ToProtoDate(day);
  m.set_channel(channel);
  return f.Next(pseudonym, m);
}

common::v1::Event Activity(Feed& f, const std::string& p, const std::string& id, const std::string& activity,
                           rv1::ActivityKind kind, absl::CivilDay day) {
  rv1::ActivityRecorded m;
  m.set_enrollment_id(id);
  m.set_activity_id(activity);
  m.set_kind(kind);
  *m.mutable_start_date() = ToProtoDate(day);
  return f.Next(p, m);
}

TEST(FactsInMemoryTest, JudgesACourseAsOfADay) {
  FactsInMemory facts;
  Feed registry, matching, treatment;
  std::vector<common::v1::Event> reg = {
      Started(registry, "p1", "e1", kDay),
      Conversation(registry, "p1", "e1", kDay + 5, rv1::JOB_CONVERSATION_STATUS_HELD),   // meets day 7
      Conversation(registry, "p1", "e1", kDay + 70, rv1::JOB_CONVERSATION_STATUS_HELD),  // late for 61
      Conversation(registry, "p1", "e1", kDay + 80, rv1::JOB_CONVERSATION_STATUS_NO_SHOW),
      Ended(registry, "p1", "e1", kDay + 150, 1),  // job
  };
  for (const auto& e : reg) facts.Apply("registry", e);
  facts.Apply("registry", reg[1]);  // resent: skipped
  facts.Apply("matching", Placed(matching, "p1", "pl1", kDay + 20, mv1::OPENING_KIND_COMPANY_INTERNSHIP));
  facts.Apply("matching",
              Placed(matching, "p1", "pl2", kDay - 20, mv1::OPENING_KIND_COMPANY_INTERNSHIP));  // no course
  facts.Apply("matching", Contact(matching, "k1", kDay + 1));
  facts.Apply("matching", Contact(matching, "k1", kDay + 1));
  facts.Apply("matching", Contact(matching, "k1", kDay + 400));
  facts.Apply("treatment", Referred(treatment, "p1", "r1", kDay + 30));
  facts.Apply("treatment", Offered(treatment, "p1", "r1", true));
  EXPECT_EQ(facts.Applied("registry"), 5);
  EXPECT_EQ(facts.Applied("matching"), 5);

  // Day 100: running; due 7 met, 61 missed, 122 already met by the
  // conversation on day 70, 183 pending.
  CourseFacts on100 = facts.CoursesAsOf(kDay + 100, kDay);
  ASSERT_EQ(on100.courses.size(), 1u);
  const CourseFact& c = on100.courses[0];
  EXPECT_FALSE(c.end.has_value());
  EXPECT_EQ(c.conversations_held, 2);
  EXPECT_EQ(c.conversations_no_show, 1);
  EXPECT_EQ(c.conversations_due, 3);
  EXPECT_EQ(c.conversations_met_on_time, 2);
  ASSERT_EQ(c.placements.size(), 1u);
  EXPECT_EQ(c.placements[0].start, kDay + 20);
  EXPECT_EQ(on100.referrals, 1);
  EXPECT_EQ(on100.referrals_by_consultant, 1);
  EXPECT_EQ(on100.guarantee_met, 1);
  EXPECT_EQ(on100.employer_contacts.at("k1"), 2);  // the contact on day 400 is after the as-of day

  // Day 200: ended on day 150 in a job; the plan is judged up to the end,
  // so 183 stays pending (not missed).
  CourseFacts on200 = facts.CoursesAsOf(kDay + 200, kDay);
  ASSERT_TRUE(on200.courses[0].end.has_value());
  EXPECT_EQ(*on200.courses[0].end, kDay + 150);
  EXPECT_EQ(on200.courses[0].outcome, Attainment::kJob);
  EXPECT_EQ(on200.courses[0].conversations_due, 3);
  EXPECT_EQ(on200.courses[0].conversations_met_on_time, 2);

  // Before the start nothing is enrolled.
  EXPECT_TRUE(facts.CoursesAsOf(kDay - 1, kDay - 30).courses.empty());
}

TEST(FactsInMemoryTest, ChangesNameEachChangedRowOnce) {
  FactsInMemory facts;
  Feed registry;
  facts.Apply("registry", Started(registry, "p1", "e1", kDay));
  for (int i = 0; i < 5; ++i) {
    facts.Apply("registry", Conversation(registry, "p1", "e1", kDay + i, rv1::JOB_CONVERSATION_STATUS_HELD));
  }
  facts.Apply("registry", Conversation(registry, "p1", "unknown", kDay, rv1::JOB_CONVERSATION_STATUS_HELD));
  auto changes = facts.TakeChanges();
  EXPECT_EQ(changes.courses.size(), 1u);
  EXPECT_EQ(changes.cursors.count("registry"), 1u);
  // Each held conversation is a day row of its own, numbered in order; the
  // unknown enrolment's is skipped.
  ASSERT_EQ(changes.course_days.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(changes.course_days[static_cast<size_t>(i)].position, i);
    EXPECT_EQ(changes.course_days[static_cast<size_t>(i)].list, DayList::kHeld);
  }
  EXPECT_TRUE(facts.TakeChanges().courses.empty());
  EXPECT_EQ(facts.courses()[0].held.size(), 5u);
  // A later conversation adds a row and leaves the course's own columns be.
  facts.Apply("registry", Conversation(registry, "p1", "e1", kDay + 9, rv1::JOB_CONVERSATION_STATUS_NO_SHOW));
  changes = facts.TakeChanges();
  EXPECT_TRUE(changes.courses.empty());
  ASSERT_EQ(changes.course_days.size(), 1u);
  EXPECT_EQ(changes.course_days[0].position, 5);
  EXPECT_EQ(changes.course_days[0].list, DayList::kNoShow);
}

TEST(FactsInMemoryTest, ACourseStartedAgainDropsItsDays) {
  FactsInMemory facts;
  Feed registry;
  facts.Apply("registry", Started(registry, "p1", "e1", kDay));
  facts.Apply("registry", Conversation(registry, "p1", "e1", kDay + 1, rv1::JOB_CONVERSATION_STATUS_HELD));
  (void)facts.TakeChanges();
  facts.Apply("registry", Conversation(registry, "p1", "e1", kDay + 2, rv1::JOB_CONVERSATION_STATUS_HELD));
  facts.Apply("registry", Started(registry, "p1", "e1", kDay + 3));
  facts.Apply("registry", Conversation(registry, "p1", "e1", kDay + 4, rv1::JOB_CONVERSATION_STATUS_HELD));
  auto changes = facts.TakeChanges();
  EXPECT_EQ(changes.restarted_courses.size(), 1u);
  // The day waiting from before the new start is gone; the new one is the
  // course's first again.
  ASSERT_EQ(changes.course_days.size(), 1u);
  EXPECT_EQ(changes.course_days[0].position, 0);
  EXPECT_EQ(changes.course_days[0].day, ToDayNumber(kDay + 4));
  EXPECT_EQ(facts.courses()[0].held.size(), 1u);
}

// A random programme as three feeds: enrolments, conversations, re-plans,
// activities (outreach, benefits counselling, disclosure, follow-along: some
// published twice, as on a change), coordination notes, ends (some for lost contact), consultant changes,
// placements started and ended, contacts (some on a citizen's behalf),
// referrals, offers and treatment starts, for `citizens` citizens.
struct Programme {
  std::vector<common::v1::Event> registry, matching, treatment;
};
Programme RandomProgramme(unsigned seed, int citizens) {
  std::mt19937 rng(seed);
  Feed r, m, t;
  Programme out;
  for (int c = 0; c < citizens; ++c) {
    const std::string p = "p" + std::to_string(c), e = "e" + std::to_string(c);
    const absl::CivilDay start = kDay + static_cast<int>(rng() % 300);
    out.registry.push_back(Started(r, p, e, start, "k" + std::to_string(rng() % 4)));
    for (int k = 0, n = static_cast<int>(rng() % 6); k < n; ++k) {
      out.registry.push_back(
          Conversation(r, p, e, start + static_cast<int>(rng() % 200),
                       rng() % 3 ? rv1::JOB_CONVERSATION_STATUS_HELD : rv1::JOB_CONVERSATION_STATUS_NO_SHOW));
    }
    if (rng() % 4 == 0) {  // the rules changed: a new plan
      rv1::ConversationPlanChanged plan;
      plan.set_enrollment_id(e);
      for (int offset : {10, 40, 90}) *plan.add_conversation_due_dates() = ToProtoDate(start + offset);
      out.registry.push_back(r.Next(p, plan));
    }
    for (int k = 0, n = static_cast<int>(rng() % 4); k < n; ++k) {
      // Outreach, benefits counselling, disclosure, follow-along.
      const auto kind = static_cast<rv1::ActivityKind>(5 + rng() % 4);
      const std::string a = e + "a" + std::to_string(k);
      const absl::CivilDay day = start + static_cast<int>(rng() % 150);
      out.registry.push_back(Activity(r, p, e, a, kind, day));
      if (rng() % 2) out.registry.push_back(Activity(r, p, e, a, kind, day));  // changed: published again
    }
    if (rng() % 3 == 0) {
      rv1::ConsultantAssigned moved;
      moved.set_enrollment_id(e);
      moved.set_consultant_id("k9");
      out.registry.push_back(r.Next(p, moved));
    }
    if (rng() % 2 == 0) {
      const std::string pl = "pl" + std::to_string(c);
      out.matching.push_back(
          Placed(m, p, pl, start + static_cast<int>(rng() % 60),
                 rng() % 2 ? mv1::OPENING_KIND_ORDINARY_JOB : mv1::OPENING_KIND_COMPANY_INTERNSHIP));
      if (rng() % 2 == 0) {
        mv1::PlacementEnded ended;
        ended.set_placement_id(pl);
        ended.set_converted(rng() % 2 == 0);
        *ended.mutable_end_date() = ToProtoDate(start + 90);
        out.matching.push_back(m.Next(p, ended));
      }
    }
    out.matching.push_back(Contact(m, "k" + std::to_string(rng() % 4), start + static_cast<int>(rng() % 30)));
    if (rng() % 2) {
      out.matching.push_back(Contact(m, "k" + std::to_string(rng() % 4), start + static_cast<int>(rng() % 60),
                                     p, rng() % 2 ? mv1::CONTACT_CHANNEL_VISIT : mv1::CONTACT_CHANNEL_PHONE));
    }
    if (rng() % 3 == 0) {
      tv1::CoordinationNoteRecorded note;
      note.set_note_id("n" + std::to_string(c));
      *note.mutable_note_date() = ToProtoDate(start + static_cast<int>(rng() % 100));
      out.treatment.push_back(t.Next(p, note));
    }
    if (rng() % 3 == 0) {
      const std::string ref = "r" + std::to_string(c);
      out.treatment.push_back(Referred(t, p, ref, start + 10));
      if (rng() % 2) out.treatment.push_back(Offered(t, p, ref, rng() % 2 == 0));
      tv1::TreatmentStarted started;
      started.set_episode_id("ep" + std::to_string(c));
      *started.mutable_start_date() = ToProtoDate(start + 25);
      out.treatment.push_back(t.Next(p, started));
    }
    if (rng() % 3 == 0) {
      const int outcome = static_cast<int>(rng() % 10);
      auto ended = Ended(r, p, e, start + 200, outcome);
      if (outcome == rv1::COURSE_OUTCOME_ENDED_EARLY && rng() % 2) {
        rv1::EnrollmentEnded m;
        ended.payload().UnpackTo(&m);
        m.set_lost_contact(true);
        ended.mutable_payload()->PackFrom(m);
      }
      out.registry.push_back(ended);
    }
  }
  return out;
}

class CommittedFactsTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    auto db = Database::Open(url_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto migrations = CommonMigrations();
    for (auto& m : ReportingMigrations()) migrations.push_back(m);
    ASSERT_TRUE(db_->Migrate(migrations).ok());
  }

  // The report and the fidelity review (every figure shown) each as-of
  // day gives, serialised, for comparing.
  static std::string Figures(const CommittedFacts& live) {
    static const FidelityScale scale = *ParseFidelityScale(DefaultFidelityScaleJson());
    std::string out;
    for (int offset : {0, 100, 250, 400, 700}) {
      auto judged = live.CoursesAsOf(kDay + offset, kDay + offset - 364);
      EXPECT_TRUE(judged.ok()) << judged.status();
      if (judged.ok())
        out += BuildReport(judged->facts, kDay + offset, kDay + offset - 364, {}).SerializeAsString();
      const FidelityPeriod period{kDay + offset - 364, kDay + offset};
      auto fidelity = live.FidelityFactsOf(period);
      EXPECT_TRUE(fidelity.ok()) << fidelity.status();
      if (!fidelity.ok()) continue;
      auto review = ReviewFidelity(scale, fidelity->input.facts, period, {});
      EXPECT_TRUE(review.ok()) << review.status();
      if (review.ok())
        out +=
            PublishFidelityReview(scale, *review, fidelity->input.fed_items, period, 1).SerializeAsString();
    }
    return out;
  }

  // The rows `table` holds.
  long long Rows(const std::string& table) {
    long long n = -1;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT COUNT(*) FROM " + table, soci::into(n);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_P(CommittedFactsTest, WhatIsReadBackGivesTheSameFigures) {
  const Programme programme = RandomProgramme(7, 300);
  CommittedFacts live(*db_);
  ASSERT_TRUE(live.Load().ok());
  std::mt19937 rng(11);
  // Batches of random sizes, the feeds taking turns, some events resent.
  size_t at[3] = {0, 0, 0};
  const std::vector<common::v1::Event>* lists[3] = {&programme.registry, &programme.matching,
                                                    &programme.treatment};
  const char* sources[3] = {"registry", "matching", "treatment"};
  while (at[0] < lists[0]->size() || at[1] < lists[1]->size() || at[2] < lists[2]->size()) {
    const int k = static_cast<int>(rng() % 3);
    const auto& list = *lists[k];
    if (at[k] >= list.size()) continue;
    const size_t from = at[k] >= 3 && rng() % 4 == 0 ? at[k] - 3 : at[k];  // resend a few
    const size_t to = std::min(list.size(), at[k] + 1 + rng() % 60);
    auto applied = live.ApplyBatch(
        sources[k], {list.begin() + static_cast<long>(from), list.begin() + static_cast<long>(to)});
    ASSERT_TRUE(applied.ok()) << applied.status();
    ASSERT_EQ(*applied, static_cast<long long>(to));
    at[k] = to;
  }
  CommittedFacts reread(*db_);
  ASSERT_TRUE(reread.Load().ok());
  EXPECT_EQ(Figures(live), Figures(reread));
  // And the same as everything applied at once in memory.
  FactsInMemory direct;
  for (int k = 0; k < 3; ++k) {
    for (const auto& e : *lists[k]) direct.Apply(sources[k], e);
  }
  EXPECT_EQ(
      BuildReport(direct.CoursesAsOf(kDay + 400, kDay + 36), kDay + 400, kDay + 36, {}).SerializeAsString(),
      BuildReport(reread.CoursesAsOf(kDay + 400, kDay + 36)->facts, kDay + 400, kDay + 36, {})
          .SerializeAsString());
  EXPECT_EQ(reread.Applied("registry"), static_cast<long long>(programme.registry.size()));
  EXPECT_EQ(Rows("courses"), 300);
}

TEST_P(CommittedFactsTest, AFailedWriteLeavesMemoryAsCommitted) {
  const Programme programme = RandomProgramme(3, 40);
  CommittedFacts live(*db_);
  ASSERT_TRUE(live.Load().ok());
  ASSERT_TRUE(live.ApplyBatch("registry", programme.registry).ok());
  const std::string before = Figures(live);
  // Placements cannot be written for now.
  const bool pg = GetParam() == testing::Backend::kPostgres;
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   if (pg) {
                     s << "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; "
                          "END $$ LANGUAGE plpgsql";
                     s << "CREATE TRIGGER refuse BEFORE INSERT ON placements FOR EACH ROW EXECUTE FUNCTION "
                          "refuse()";
                   } else {
                     s << "CREATE TRIGGER refuse BEFORE INSERT ON placements BEGIN SELECT RAISE(ABORT, "
                          "'refused'); END";
                   }
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_FALSE(live.ApplyBatch("matching", programme.matching).ok());
  EXPECT_EQ(live.Applied("matching"), 0);
  EXPECT_EQ(Figures(live), before);  // nothing of the failed batch is counted
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   s << (pg ? "DROP TRIGGER refuse ON placements" : "DROP TRIGGER refuse");
                   return absl::OkStatus();
                 })
                  .ok());
  // The follower sends the batch again; now it lands, once.
  ASSERT_TRUE(live.ApplyBatch("matching", programme.matching).ok());
  EXPECT_NE(Figures(live), before);
  CommittedFacts reread(*db_);
  ASSERT_TRUE(reread.Load().ok());
  EXPECT_EQ(Figures(live), Figures(reread));
}

TEST_P(CommittedFactsTest, ACourseStartedAgainIsReadBackWithOnlyItsNewDays) {
  Feed registry;
  CommittedFacts live(*db_);
  ASSERT_TRUE(live.Load().ok());
  ASSERT_TRUE(
      live.ApplyBatch("registry",
                      {Started(registry, "p1", "e1", kDay),
                       Conversation(registry, "p1", "e1", kDay + 1, rv1::JOB_CONVERSATION_STATUS_HELD),
                       Conversation(registry, "p1", "e1", kDay + 2, rv1::JOB_CONVERSATION_STATUS_HELD)})
          .ok());
  ASSERT_TRUE(live.ApplyBatch("registry", {Started(registry, "p1", "e1", kDay + 3),
                                           Conversation(registry, "p1", "e1", kDay + 4,
                                                        rv1::JOB_CONVERSATION_STATUS_NO_SHOW)})
                  .ok());
  CommittedFacts reread(*db_);
  ASSERT_TRUE(reread.Load().ok());
  EXPECT_EQ(Figures(live), Figures(reread));
  EXPECT_EQ(Rows("course_days"), 1);
}

IPS_ON_BOTH_DATABASES(CommittedFactsTest);

}  // namespace
}  // namespace ips::reporting
