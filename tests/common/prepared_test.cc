#include "services/common/prepared.h"

#include <gtest/gtest.h>

#include "services/common/database.h"
#include "tests/support/test_env.h"

namespace ips {
namespace {

using ::ips::testing::Backend;

class PreparedTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url;
    IPS_FRESH_DATABASE_OR_SKIP(url, GetParam());
    // One session, so every call below meets the same statements.
    auto db = Database::Open(url, 1);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Write([](soci::session& s) {
                     s << "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)";
                     for (int i = 1; i <= 50; ++i) {
                       std::string name = "thing" + std::to_string(i);
                       s << "INSERT INTO things (id, name) VALUES (:i, :n)", soci::use(i), soci::use(name);
                     }
                     return absl::OkStatus();
                   })
                    .ok());
  }

  // The name of thing `id`, read through a kept statement.
  std::string NameOf(soci::session& s, int id) {
    std::string name;
    Prepared st(s, "SELECT name FROM things WHERE id = :id");
    st, soci::use(id), soci::into(name);
    return st.Execute() ? name : "";
  }

  // Statements PostgreSQL holds prepared for this session.
  int ServerSidePrepared(soci::session& s) {
    int n = 0;
    s << "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM things WHERE id%'",
        soci::into(n);
    return n;
  }

  std::unique_ptr<Database> db_;
};

TEST_P(PreparedTest, AKeptStatementAnswersEachCallWithItsOwnValues) {
  for (int id : {3, 17, 3, 50, 51}) {
    std::string got;
    ASSERT_TRUE(db_->Read([&](soci::session& s) {
                     got = NameOf(s, id);
                     return absl::OkStatus();
                   })
                    .ok());
    EXPECT_EQ(got, id == 51 ? "" : "thing" + std::to_string(id)) << id;
  }
  // Prepared once on the server for the five calls, not once per call.
  if (GetParam() == Backend::kPostgres) {
    ASSERT_TRUE(db_->Read([&](soci::session& s) {
                     EXPECT_EQ(ServerSidePrepared(s), 1);
                     return absl::OkStatus();
                   })
                    .ok());
  }
}

TEST_P(PreparedTest, TheSameSqlNestedRunsAsAOneOff) {
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   int id = 4;
                   std::string outer;
                   Prepared st(s, "SELECT name FROM things WHERE id = :id");
                   st, soci::use(id), soci::into(outer);
                   EXPECT_TRUE(st.kept());
                   EXPECT_TRUE(st.Execute());
                   // While the kept one is in use, the same SQL gets its own statement.
                   std::string inner;
                   int other = 5;
                   Prepared nested(s, "SELECT name FROM things WHERE id = :id");
                   nested, soci::use(other), soci::into(inner);
                   EXPECT_FALSE(nested.kept());
                   EXPECT_TRUE(nested.Execute());
                   EXPECT_EQ(outer, "thing4");
                   EXPECT_EQ(inner, "thing5");
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(PreparedTest, RowsAreFetchedOneByOneAndAFailedWriteLeavesNothing) {
  std::vector<std::string> names;
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   int from = 45;
                   std::string name;
                   Prepared st(s, "SELECT name FROM things WHERE id > :f ORDER BY id");
                   st, soci::use(from), soci::into(name);
                   for (bool row = st.Execute(); row; row = st.Fetch()) names.push_back(name);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(names, (std::vector<std::string>{"thing46", "thing47", "thing48", "thing49", "thing50"}));
  // A kept INSERT that meets a duplicate key fails the transaction; the
  // statement stays usable and the first row of the transaction is gone.
  const auto insert = [&](int a, int b) {
    return db_->Write([&](soci::session& s) {
      for (int id : {a, b}) {
        std::string name = "new";
        Prepared st(s, "INSERT INTO things (id, name) VALUES (:i, :n)");
        st, soci::use(id), soci::use(name);
        st.Execute();
      }
      return absl::OkStatus();
    });
  };
  EXPECT_FALSE(insert(60, 1).ok());
  EXPECT_TRUE(insert(61, 62).ok());
  int count = 0;
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   s << "SELECT COUNT(*) FROM things WHERE name = 'new'", soci::into(count);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(count, 2);
}

TEST_P(PreparedTest, AWriteRunsEvenWhenAskedNotToFetchAFirstRow) {
  // Execute(false) is how a query's rows are read one by one; a statement
  // that reads none must still run (SOCI's SQLite backend runs nothing for
  // an execute without data exchange).
  ASSERT_TRUE(db_->Write([&](soci::session& s) {
                   int id = 70;
                   std::string name = "written";
                   Prepared st(s, "INSERT INTO things (id, name) VALUES (:i, :n)");
                   st, soci::use(id), soci::use(name);
                   st.Execute(false);
                   return absl::OkStatus();
                 })
                  .ok());
  std::string got;
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   got = NameOf(s, 70);
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(got, "written");
}

TEST_P(PreparedTest, AKeptSelectReadHalfWayHoldsNoSnapshotAfterwards) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "SQLite's read snapshots";
  // Read one row of many, so SQLite's statement is not at its end.
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   int from = 0;
                   std::string name;
                   Prepared st(s, "SELECT name FROM things WHERE id > :f ORDER BY id");
                   st, soci::use(from), soci::into(name);
                   EXPECT_TRUE(st.Execute());
                   return absl::OkStatus();
                 })
                  .ok());
  // A write, then a checkpoint that must copy all of the log: it cannot
  // while the kept statement still holds a snapshot.
  ASSERT_TRUE(db_->Write([](soci::session& s) {
                   s << "UPDATE things SET name = 'changed' WHERE id = 1";
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(db_->Read([&](soci::session& s) {
                   int busy = -1, log = -1, done = -1;
                   s << "PRAGMA wal_checkpoint(TRUNCATE)", soci::into(busy), soci::into(log),
                       soci::into(done);
                   EXPECT_EQ(busy, 0);
                   EXPECT_EQ(log, done);
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(PreparedTest, AKeptStatementIsPlannedAgainAsItsTableGrows) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL's generic plans";
  // The registry's least-loaded-consultant query in miniature: wide course
  // rows, an index for each owner's count and a partial unique index on the
  // same state, which a generic plan made while the table is empty prefers
  // (it then reads every running course once per owner).
  ASSERT_TRUE(
      db_->Write([](soci::session& s) {
           s << "CREATE TABLE owners (id TEXT PRIMARY KEY, state INTEGER NOT NULL)";
           s << "CREATE TABLE courses (id TEXT PRIMARY KEY, citizen TEXT NOT NULL, owner TEXT NOT NULL "
                "REFERENCES owners (id), state INTEGER NOT NULL, a TEXT NOT NULL DEFAULT '', b TEXT "
                "NOT NULL DEFAULT '', c TEXT NOT NULL DEFAULT '', d TEXT NOT NULL DEFAULT '', e TEXT "
                "NOT NULL DEFAULT '', f TEXT NOT NULL DEFAULT '', g BIGINT NOT NULL DEFAULT 0, h "
                "BIGINT NOT NULL DEFAULT 0)";
           s << "CREATE INDEX courses_citizen ON courses (citizen)";
           s << "CREATE INDEX courses_owner ON courses (owner, state)";
           s << "CREATE UNIQUE INDEX courses_one_running ON courses (citizen) WHERE state = 1";
           s << "INSERT INTO owners SELECT 'k' || i, 1 FROM generate_series(0, 39) AS i";
           return absl::OkStatus();
         })
          .ok());
  const std::string sql =
      "SELECT o.id, (SELECT COUNT(*) FROM courses c WHERE c.owner = o.id AND c.state = 1) FROM owners o "
      "WHERE o.state = :st ORDER BY o.id";
  const auto first_count = [&]() {
    int n = -1, state = 1;
    std::string owner;
    EXPECT_TRUE(db_->Read([&](soci::session& s) {
                     Prepared st(s, sql);
                     st, soci::use(state), soci::into(owner), soci::into(n);
                     st.Execute();
                     return absl::OkStatus();
                   })
                    .ok());
    return n;
  };
  // The server-side statement this session keeps for `sql`, and how many.
  const auto kept_names = [&]() {
    std::vector<std::string> names;
    EXPECT_TRUE(
        db_->Read([&](soci::session& s) {
             soci::rowset<std::string> rows =
                 (s.prepare
                  << "SELECT name FROM pg_prepared_statements WHERE statement LIKE "
                     "'%COUNT(*) FROM courses c%' AND statement NOT LIKE '%pg_prepared%' ORDER BY name");
             for (const auto& n : rows) names.push_back(n);
             return absl::OkStatus();
           })
            .ok());
    return names;
  };
  // Past PostgreSQL's five custom plans, so the empty table's generic plan
  // is the one kept.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(first_count(), 0);
  const auto before = kept_names();
  ASSERT_EQ(before.size(), 1u);
  ASSERT_TRUE(db_->Write([](soci::session& s) {
                   s << "INSERT INTO courses (id, citizen, owner, state) SELECT 'e' || i, 'c' || i, "
                        "'k' || (i % 40), 1 FROM generate_series(1, 20000) AS i";
                   return absl::OkStatus();
                 })
                  .ok());
  for (long long i = 0; i < 2 * StatementCache::kFirstReplan; ++i) EXPECT_EQ(first_count(), 500);
  // Prepared again since (so planned for 20,000 rows, not none), and the
  // old statement deallocated rather than left on the server.
  const auto after = kept_names();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0], before[0]);
}

IPS_ON_BOTH_DATABASES(PreparedTest);

}  // namespace
}  // namespace ips
