#include "services/common/audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/common_schema.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

const PageTokens kTokens({std::string(32, 'p')});

// A fresh SQLite database with the common tables.
std::unique_ptr<Database> FreshDb() {
  auto db = Database::Open(ips::testing::FreshDatabase(ips::testing::Backend::kSqlite));
  EXPECT_TRUE(db.ok());
  EXPECT_TRUE((*db)->Migrate(CommonMigrations()).ok());
  return *std::move(db);
}

// Inserts a record as a service of an earlier version stored it: hash
// version 1, fields unbounded.
void InsertVersion1(Database& db, int64_t sequence, const std::string& previous, const std::string& resource,
                    std::string* hash_out) {
  common::v1::AuditRecord r;
  r.set_sequence(sequence);
  r.set_subject("anna");
  r.set_method("/s/M");
  r.set_resource(resource);
  r.set_outcome("OK");
  r.set_previous_hash(previous);
  r.set_hash_version(1);
  const long long micros = 1700000000000000 + sequence;
  const std::string hash = AuditLog::HashOf(r, micros);
  ASSERT_TRUE(
      db.Write([&](soci::session& s) {
          long long seq = sequence;
          s << "INSERT INTO audit_log (sequence, create_micros, subject, agency, service, method, resource, "
               "citizen_id, outcome, note, previous_hash, hash) VALUES (:q, :t, 'anna', '', '', '/s/M', :r, "
               "'', 'OK', '', :p, :h)",
              soci::use(seq), soci::use(micros), soci::use(resource), soci::use(previous), soci::use(hash);
          s << "UPDATE counters SET value = :q WHERE name = 'audit'", soci::use(seq);
          return absl::OkStatus();
        }).ok());
  *hash_out = hash;
}

TEST(AuditLogTest, ChainsRecordsAndFindsATamperedRow) {
  auto db = Database::Open(ips::testing::FreshDatabase(ips::testing::Backend::kSqlite));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate(CommonMigrations()).ok());
  AuditLog log(**db, kTokens);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(log.Append({"anna", "BIF", "ipsctl", "/s/M", "citizens/x", "x", "OK", ""}).ok());
  }
  EXPECT_EQ(*log.FirstBrokenLink(), 0);
  auto list = log.List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->audit_records_size(), 5);
  EXPECT_EQ(list->audit_records(1).previous_hash(), list->audit_records(0).hash());

  // The table refuses updates...
  auto refused = (*db)->Write([](soci::session& s) {
    s << "UPDATE audit_log SET outcome = 'OK' WHERE sequence = 3";
    return absl::OkStatus();
  });
  EXPECT_FALSE(refused.ok());
  // ...and when someone with database access removes the guard and edits a
  // row anyway, verification names the first broken record.
  ASSERT_TRUE((*db)
                  ->Write([](soci::session& s) {
                    s << "DROP TRIGGER audit_log_no_update";
                    s << "UPDATE audit_log SET subject = 'someone-else' WHERE sequence = 3";
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(*log.FirstBrokenLink(), 3);
}

TEST(AuditLogTest, ListsWithFilterAndPages) {
  auto db = Database::Open(ips::testing::FreshDatabase(ips::testing::Backend::kSqlite));
  ASSERT_TRUE((*db)->Migrate(CommonMigrations()).ok());
  AuditLog log(**db, kTokens);
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(log.Append({"anna", "BIF", "", "/s/M", "r", i % 2 ? "c1" : "c2", "OK", ""}).ok());
  }
  common::v1::ListAuditRecordsRequest req;
  req.set_filter("citizen_id = c1");
  req.set_page_size(2);
  auto page1 = log.List(req);
  ASSERT_TRUE(page1.ok()) << page1.status();
  EXPECT_EQ(page1->audit_records_size(), 2);
  ASSERT_FALSE(page1->next_page_token().empty());
  req.set_page_token(page1->next_page_token());
  auto page2 = log.List(req);
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->audit_records_size(), 1);
  EXPECT_TRUE(page2->next_page_token().empty());
  for (const auto& r : page2->audit_records()) EXPECT_EQ(r.citizen_id(), "c1");
}

TEST(AuditLogTest, FieldsAreBoundedAndCprNumbersMasked) {
  auto db = FreshDb();
  AuditLog log(*db, kTokens);
  const std::string huge(3 << 20, 'f');
  ASSERT_TRUE(log.Append({"anna", "BIF", "ipsctl", "/s/ListCitizens", "citizens?" + huge, "",
                          "PERMISSION_DENIED", ""})
                  .ok());
  ASSERT_TRUE(
      log.Append({std::string(1000, 's'), "BIF", "ipsctl", "/s/ListCitizens",
                  "citizens?district = 0101801234 AND x = 010180-1234 AND y = 010180 1234", "", "OK", ""})
          .ok());
  // Ids and other numbers are not CPR numbers.
  ASSERT_TRUE(log.Append({"anna", "BIF", "", "/s/M", "citizens/a0101801234b/x/12345678901", "a0101801234b",
                          "OK", "3 rows"})
                  .ok());
  auto list = log.List({});
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->audit_records_size(), 3);
  const auto& big = list->audit_records(0);
  EXPECT_EQ(big.resource().rfind("[3145737 bytes, sha256 ", 0), 0u) << big.resource();
  EXPECT_LE(big.resource().size(), AuditLog::kMaxResource);
  const auto& typed = list->audit_records(1);
  EXPECT_EQ(typed.resource(), "citizens?district = [cpr?] AND x = [cpr?] AND y = [cpr?]");
  EXPECT_EQ(typed.subject().rfind("[1000 bytes, sha256 ", 0), 0u);
  EXPECT_EQ(list->audit_records(2).resource(), "citizens/a0101801234b/x/12345678901");
  EXPECT_EQ(list->audit_records(2).citizen_id(), "a0101801234b");
  EXPECT_EQ(*log.FirstBrokenLink(), 0);
}

TEST(AuditLogTest, TheHashKeepsFieldBoundariesWhereTheOldOneDidNot) {
  common::v1::AuditRecord a, b;
  // A resource with the separator in it re-splits into other fields.
  a.set_resource(
      "citizens/x\x1f"
      "y");
  a.set_citizen_id("z");
  b.set_resource("citizens/x");
  b.set_citizen_id(
      "y\x1f"
      "z");
  // Version 1 joined fields with U+001F: a separator inside a field let two
  // different records hash alike.
  a.set_hash_version(1);
  b.set_hash_version(1);
  EXPECT_EQ(AuditLog::HashOf(a, 1), AuditLog::HashOf(b, 1));
  a.set_hash_version(2);
  b.set_hash_version(2);
  EXPECT_NE(AuditLog::HashOf(a, 1), AuditLog::HashOf(b, 1));
}

TEST(AuditLogTest, ChainsOfTheOldHashStillVerifyAndMayNotGoBack) {
  auto db = FreshDb();
  std::string h1, h2;
  InsertVersion1(*db, 1, std::string(64, '0'), "citizens/a", &h1);
  InsertVersion1(*db, 2, h1, "citizens/b", &h2);
  AuditLog log(*db, kTokens);
  ASSERT_TRUE(log.Append({"bo", "BIF", "", "/s/M", "citizens/c", "c", "OK", ""}).ok());
  auto list = log.List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->audit_records_size(), 3);
  EXPECT_EQ(list->audit_records(0).hash_version(), 1);
  EXPECT_EQ(list->audit_records(2).hash_version(), 2);
  EXPECT_EQ(*log.FirstBrokenLink(), 0);
  // A version-1 record after a version-2 one is a downgrade: broken there.
  std::string h4;
  InsertVersion1(*db, 4, list->audit_records(2).hash(), "citizens/d", &h4);
  EXPECT_EQ(*log.FirstBrokenLink(), 4);
}

TEST(AuditLogTest, APageHoldsAtMostAMebibyteSoEveryChainCanBePaged) {
  auto db = FreshDb();
  // Records from before the bound: 700 KiB each, as a refused call with a
  // long filter left them.
  std::string previous(64, '0');
  for (int i = 1; i <= 5; ++i) InsertVersion1(*db, i, previous, std::string(700 << 10, 'x'), &previous);
  AuditLog log(*db, kTokens);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log.Append({"anna", "BIF", "", "/s/M", "r", "", "OK", ""}).ok());
  common::v1::ListAuditRecordsRequest req;
  req.set_page_size(1000);
  int records = 0, pages = 0;
  AuditChainCheck chain;
  do {
    auto page = log.List(req);
    ASSERT_TRUE(page.ok()) << page.status();
    ++pages;
    EXPECT_LE(page->ByteSizeLong(), AuditLog::kMaxPageBytes + 8 * 1000);
    ASSERT_GE(page->audit_records_size(), 1);
    for (const auto& r : page->audit_records()) {
      EXPECT_EQ(chain.Next(r), "") << r.sequence();
      ++records;
    }
    req.set_page_token(page->next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(records, 8);
  EXPECT_EQ(pages, 5);  // one old record a page, then the last with the three new
}

// On both databases (PostgreSQL: as statements of 16, 4 and 1 rows),
// a batch chains in its order, across appends of other sizes.
class AuditBatchTest : public ::testing::TestWithParam<ips::testing::Backend> {
 protected:
  // A fresh, migrated database of the test's backend with a pool of 8.
  void SetUp() override {
    std::string url;
    IPS_FRESH_DATABASE_OR_SKIP(url, GetParam());
    auto opened = Database::Open(url, 8);
    ASSERT_TRUE(opened.ok()) << opened.status();
    db_ = *std::move(opened);
    ASSERT_TRUE(db_->Migrate(CommonMigrations()).ok());
  }
  std::unique_ptr<Database> db_;
};

TEST_P(AuditBatchTest, ABatchOfAnySizeChainsInItsOrder) {
  AuditLog log(*db_, kTokens);
  ASSERT_TRUE(log.Append({"anna", "BIF", "", "/s/First", "r", "", "OK", ""}).ok());
  // On PostgreSQL 37 = 16 + 16 + 4 + 1, then 3 = 1 + 1 + 1.
  for (int size : {37, 3}) {
    std::vector<AuditEntry> entries;
    for (int i = 0; i < size; ++i) {
      entries.push_back({"anna", "BIF", "", absl::StrCat("/s/M", i), "r", "", "OK", ""});
    }
    std::vector<const AuditEntry*> batch;
    for (const auto& e : entries) batch.push_back(&e);
    ASSERT_TRUE(db_->Write([&](soci::session& s) {
                     AuditLog::AppendInTransaction(s, batch);
                     return absl::OkStatus();
                   })
                    .ok());
  }
  ASSERT_TRUE(log.Append({"anna", "BIF", "", "/s/Last", "r", "", "OK", ""}).ok());
  EXPECT_EQ(*log.FirstBrokenLink(), 0);
  common::v1::ListAuditRecordsRequest req;
  req.set_page_size(100);
  auto list = log.List(req);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->audit_records_size(), 42);
  EXPECT_EQ(list->audit_records(0).method(), "/s/First");
  EXPECT_EQ(list->audit_records(0).previous_hash(), std::string(64, '0'));
  for (int i = 0; i < 37; ++i) EXPECT_EQ(list->audit_records(1 + i).method(), absl::StrCat("/s/M", i));
  EXPECT_EQ(list->audit_records(40).method(), "/s/M2");
  EXPECT_EQ(list->audit_records(41).method(), "/s/Last");
  AuditChainCheck chain;
  for (const auto& r : list->audit_records()) EXPECT_EQ(chain.Next(r), "") << r.sequence();
}

// Writers that append in their own transactions at once wait for one
// another on the counter row; each must still link to the record committed
// just before its own (on PostgreSQL that record was committed after the
// waiting statement's snapshot was taken).
TEST_P(AuditBatchTest, ConcurrentWritersKeepOneChain) {
  AuditLog log(*db_, kTokens);
  constexpr int kWriters = 8, kEach = 25;
  std::vector<std::thread> writers;
  std::atomic<int> failed{0};
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        const AuditEntry e{"anna", "BIF", "", absl::StrCat("/s/W", w), "r", "", "OK", ""};
        const absl::Status st = db_->Write([&](soci::session& s) {
          AuditLog::AppendInTransaction(s, e);
          return absl::OkStatus();
        });
        if (!st.ok()) ++failed;
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(*log.FirstBrokenLink(), 0);
  int records = 0;
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   s << "SELECT COUNT(*) FROM audit_log", soci::into(records);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(records, kWriters * kEach);
}

IPS_ON_BOTH_DATABASES(AuditBatchTest);

}  // namespace
}  // namespace ips
