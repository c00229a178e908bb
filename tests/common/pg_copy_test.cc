#include "services/common/pg_copy.h"

#include <gtest/gtest.h>

#include "services/common/database.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

class CopyUpsertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string url;
    IPS_FRESH_DATABASE_OR_SKIP(url, ::ips::testing::Backend::kPostgres);
    auto db = Database::Open(url, 1);  // one session: the staging table is met again
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Write([](soci::session& s) {
                     s << "CREATE TABLE things (id TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT NOT NULL, "
                          "made TEXT NOT NULL DEFAULT 'before')";
                     s << "INSERT INTO things (id, n, note) VALUES ('a', 1, 'old')";
                     return absl::OkStatus();
                   })
                    .ok());
  }

  static std::string Row(const std::string& id, const std::string& n, const std::string& note) {
    std::string row;
    AppendCopyValue(row, id);
    row += '\t';
    AppendCopyValue(row, n);
    row += '\t';
    AppendCopyValue(row, note);
    row += '\n';
    return row;
  }
  absl::Status Upsert(const std::string& rows, int times = 1) {
    return db_->Write([&](soci::session& s) {
      for (int i = 0; i < times; ++i) {
        CopyUpsert(s, "things", "id, n, note", rows,
                   "ON CONFLICT (id) DO UPDATE SET n = excluded.n, note = excluded.note");
      }
      return absl::OkStatus();
    });
  }
  std::string Note(const std::string& id) {
    std::string note;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     soci::indicator ind;
                     s << "SELECT note FROM things WHERE id = :id", soci::use(id), soci::into(note, ind);
                     if (ind != soci::i_ok) note = "<none>";
                     return absl::OkStatus();
                   })
                    .ok());
    return note;
  }
  long long Count(const std::string& table) {
    long long n = -1;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     s << "SELECT count(*) FROM " + table, soci::into(n);
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  }

  std::unique_ptr<Database> db_;
};

// Values with the characters COPY's text format gives a meaning (tab,
// newline, carriage return, backslash, and "\N", its NULL) arrive as
// written; a row with a key already there is updated, one without inserted.
TEST_F(CopyUpsertTest, EscapedValuesArriveAsWrittenAndConflictsUpdate) {
  const std::string odd = "tab\there, line\nbreak, cr\r, back\\slash, \\N and \\t";
  ASSERT_TRUE(Upsert(Row("a", "2", odd) + Row("b", "3", "") + Row("c\td", "4", "x")).ok());
  EXPECT_EQ(Note("a"), odd);
  EXPECT_EQ(Note("b"), "");  // empty, not NULL
  EXPECT_EQ(Note("c\td"), "x");
  EXPECT_EQ(Count("things"), 3);
}

// The staging table is empty after each call: two calls with the same keys
// in one transaction (and then another transaction) neither fail on "a row
// affected twice" nor insert twice.
TEST_F(CopyUpsertTest, TheStagingTableIsEmptyAfterEachCall) {
  ASSERT_TRUE(Upsert(Row("a", "5", "first") + Row("e", "6", "new"), 2).ok());
  ASSERT_TRUE(Upsert(Row("e", "7", "again")).ok());
  EXPECT_EQ(Note("a"), "first");
  EXPECT_EQ(Note("e"), "again");
  EXPECT_EQ(Count("things"), 2);
}

// A row PostgreSQL refuses (not a number) fails the call with its reason,
// and the transaction takes every row of it back; the session works after.
TEST_F(CopyUpsertTest, ARefusedRowFailsTheTransactionAndWritesNothing) {
  const absl::Status refused = Upsert(Row("f", "7", "fine") + Row("g", "seven", "bad"));
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Note("f"), "<none>");
  EXPECT_EQ(Count("things"), 1);
  ASSERT_TRUE(Upsert(Row("f", "7", "fine")).ok());
  EXPECT_EQ(Note("f"), "fine");
}

// Appended rows go straight in; a key already there fails the transaction,
// which takes every row of the call back.
TEST_F(CopyUpsertTest, AppendedRowsGoInAndADuplicateFailsTheTransaction) {
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   CopyAppend(s, "things", "id, n, note", Row("h", "8", "tab\there") + Row("i", "9", ""));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(Note("h"), "tab\there");
  EXPECT_EQ(Count("things"), 3);
  const absl::Status duplicate = db_->Write([&](soci::session& s) {
    CopyAppend(s, "things", "id, n, note", Row("j", "10", "new") + Row("a", "11", "again"));
    return absl::OkStatus();
  });
  EXPECT_FALSE(duplicate.ok());
  EXPECT_EQ(Note("j"), "<none>");
  EXPECT_EQ(Note("a"), "old");
}

}  // namespace
}  // namespace ips
