#include "services/common/audit_log.h"

#include <gtest/gtest.h>

#include "services/common/common_schema.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

TEST(AuditLogTest, ChainsRecordsAndFindsATamperedRow) {
  auto db = Database::Open(ips::testing::FreshDatabase(ips::testing::Backend::kSqlite));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate(CommonMigrations()).ok());
  AuditLog log(**db);
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
  AuditLog log(**db);
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

}  // namespace
}  // namespace ips
