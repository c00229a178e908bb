// The audit and the inputs under attack, through the registry's gRPC API on
// both databases: a flood of refused calls leaves a small audit the DPO can
// page through and `ipsctl audit verify` accepts; no CPR number and no
// unbounded text reaches the audit; page tokens are signed; one text rule
// for what people type; tokens that repeat a claim or live for years are
// refused. Each test failed on the main branch before these were built.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_log.h"
#include "services/common/crypto.h"
#include "services/common/resource_name.h"
#include "tests/support/bad_input.h"
#include "tests/support/cpr_numbers.h"
#include "tests/support/ipsctl_runner.h"
#include "tests/support/registry_server.h"
#include "tests/support/status_details.h"

namespace ips::testing {
namespace {

namespace rv1 = ips::registry::v1;

class AuditAndInputTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    IPS_FRESH_DATABASE_OR_SKIP(url_, GetParam());
    // The production limits, with a summary every second so the test need
    // not wait a minute.
    server_ = std::make_unique<RegistryServer>(url_, "", nullptr, [](RuntimeOptions& o) {
      o.refusal_limits = {2, 20, absl::Seconds(1)};
    });
    stub_ = server_->Stub();
  }

  // The database's size on disk: the SQLite file and its write-ahead log,
  // or PostgreSQL's size of the database.
  long long DatabaseBytes() {
    if (GetParam() == Backend::kSqlite) {
      const std::string path = url_.substr(std::string("sqlite://").size());
      long long total = 0;
      for (const auto& f : {path, path + "-wal"}) {
        struct stat st {};
        if (stat(f.c_str(), &st) == 0) total += st.st_size;
      }
      return total;
    }
    long long bytes = 0;
    EXPECT_TRUE(server_->core()
                    .db()
                    .Read([&](soci::session& s) {
                      s << "SELECT pg_database_size(current_database())", soci::into(bytes);
                      return absl::OkStatus();
                    })
                    .ok());
    return bytes;
  }

  // The whole audit, paged as the DPO pages it.
  std::vector<common::v1::AuditRecord> WholeAudit(int* pages = nullptr) {
    std::vector<common::v1::AuditRecord> all;
    common::v1::ListAuditRecordsRequest req;
    req.set_page_size(1000);
    int n = 0;
    do {
      common::v1::ListAuditRecordsResponse resp;
      auto s = stub_->ListAuditRecords(Ctx(DpoToken()).get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      ++n;
      for (const auto& r : resp.audit_records()) all.push_back(r);
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    if (pages) *pages = n;
    return all;
  }

  rv1::Citizen Create(const std::string& cpr) {
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(cpr);
    req.mutable_citizen()->set_given_name("Test");
    req.mutable_citizen()->set_family_name("Person");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    rv1::Citizen out;
    EXPECT_TRUE(stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out).ok());
    return out;
  }

  long long Rows() {
    return CountRows(server_->core(), {"citizens", "consultants", "request_ids", "outbox"});
  }

  std::string url_;
  std::unique_ptr<RegistryServer> server_;
  std::unique_ptr<rv1::CitizenRegistry::Stub> stub_;
};

std::string SofToken() { return Token("sof-eva", "SOF", {"sof_treatment"}); }

TEST_P(AuditAndInputTest, AFloodOfRefusedCallsLeavesASmallAuditTheDpoCanPageAndVerify) {
  Create(CprFor(1980, 1, 1, 1));
  const long long before = DatabaseBytes();
  const std::string filter = "district = " + std::string(32 << 10, 'x');  // 32 KiB, the limit is 1,000
  std::atomic<int> limited{0}, refused{0}, other{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto stub = server_->Stub();
      for (int i = 0; i < 5000; ++i) {
        rv1::ListCitizensRequest req;
        req.set_filter(filter);
        rv1::ListCitizensResponse resp;
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        const bool with_token = (i + t) % 2 == 0;  // 10,000 refused by the policy, 10,000 without a token
        if (with_token) ctx.AddMetadata("authorization", "Bearer " + SofToken());
        auto s = stub->ListCitizens(&ctx, req, &resp);
        if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++limited;
        } else if (s.error_code() ==
                   (with_token ? grpc::StatusCode::PERMISSION_DENIED : grpc::StatusCode::UNAUTHENTICATED)) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(limited + refused, 20000);
  EXPECT_GT(limited.load(), 19000);
  // An allowed call is answered and audited in the middle of it all.
  rv1::ListCitizensRequest allowed;
  rv1::ListCitizensResponse listed;
  ASSERT_TRUE(stub_->ListCitizens(Ctx(ConsultantToken()).get(), allowed, &listed).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // the summary of the last second

  int pages = 0;
  const auto audit = WholeAudit(&pages);
  long long individual = 0, summarised = 0, allowed_seen = 0;
  for (const auto& r : audit) {
    if (r.method().find("RefusedCallsOverLimit") != std::string::npos) {
      EXPECT_EQ(r.service(), "ipsctl");
      EXPECT_EQ(r.outcome(), "RESOURCE_EXHAUSTED");
      long long n = 0;
      ASSERT_TRUE(absl::SimpleAtoi(r.note().substr(0, r.note().find(' ')), &n)) << r.note();
      summarised += n;
    } else if (r.method().find("ListCitizens") != std::string::npos) {
      if (r.outcome() == "OK") {
        ++allowed_seen;
      } else {
        ++individual;
        // Refused before the handler, which alone reads the request.
        EXPECT_EQ(r.resource(), "");
      }
    }
  }
  EXPECT_EQ(individual, refused.load());
  EXPECT_EQ(summarised, limited.load());
  EXPECT_EQ(allowed_seen, 1);
  EXPECT_LT(audit.size(), 500u);
  // The chain holds, checked outside the service.
  auto verified = RunIpsctl(server_->port(), "audit verify --service=registry", "dpo");
  EXPECT_EQ(verified.code, 0) << verified.out;
  EXPECT_NE(verified.out.find("audit chain holds"), std::string::npos) << verified.out;
  const long long grown = DatabaseBytes() - before;
  EXPECT_LT(grown, 5 << 20) << grown << " bytes";
  std::cout << "flood on " << BackendName(GetParam()) << ": " << refused << " refused and audited, "
            << limited << " limited and summarised, " << audit.size() << " audit records in " << pages
            << " pages, database grew " << grown << " bytes\n";
}

TEST_P(AuditAndInputTest, NoCprNumberOrUnboundedTextReachesTheAudit) {
  auto anna = Create("0101801234");
  const long long before = Rows();
  {
    // A CPR number typed into a filter, and as a resource id.
    rv1::ListCitizensRequest req;
    req.set_filter("district = 0101801234");
    rv1::ListCitizensResponse resp;
    EXPECT_EQ(stub_->ListCitizens(Ctx(ConsultantToken()).get(), req, &resp).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    rv1::GetCitizenRequest get;
    get.set_name("citizens/010180-1234");
    rv1::Citizen c;
    EXPECT_EQ(stub_->GetCitizen(Ctx(ConsultantToken()).get(), get, &c).error_code(),
              grpc::StatusCode::NOT_FOUND);
    // A 3 MiB filter, refused as too long by the handler that names it.
    req.set_filter(std::string(3 << 20, 'f'));
    EXPECT_EQ(stub_->ListCitizens(Ctx(ConsultantToken()).get(), req, &resp).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  // Lookups record the citizen found, or that none was.
  rv1::LookupCitizenRequest lookup;
  lookup.set_cpr("010180-1234");
  rv1::Citizen found;
  ASSERT_TRUE(stub_->LookupCitizen(Ctx(ConsultantToken()).get(), lookup, &found).ok());
  lookup.set_cpr(CprFor(1990, 2, 2, 7));
  EXPECT_EQ(stub_->LookupCitizen(Ctx(ConsultantToken()).get(), lookup, &found).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Rows(), before);

  const auto audit = WholeAudit();
  int lookups = 0, filters = 0;
  AuditChainCheck chain;
  for (const auto& r : audit) {
    EXPECT_EQ(chain.Next(r), "") << r.sequence();
    EXPECT_EQ(r.hash_version(), 2);
    const std::string all = r.DebugString();
    EXPECT_EQ(all.find("0101801234"), std::string::npos) << all;
    EXPECT_EQ(all.find("010180-1234"), std::string::npos) << all;
    EXPECT_EQ(all.find(CprFor(1990, 2, 2, 7)), std::string::npos) << all;
    EXPECT_LE(r.ByteSizeLong(), 3000u);
    if (r.method().find("LookupCitizen") != std::string::npos) {
      ++lookups;
      if (r.outcome() == "OK") {
        EXPECT_EQ(r.citizen_id(), LastSegment(anna.name()));
      }
      if (r.outcome() == "NOT_FOUND") {
        EXPECT_EQ(r.citizen_id(), "");
        EXPECT_EQ(r.note(), "no citizen has the CPR number looked up");
      }
    }
    if (r.method().find("ListCitizens") != std::string::npos && r.outcome() == "INVALID_ARGUMENT") {
      ++filters;
      if (r.resource().rfind("[", 0) != 0) {
        EXPECT_EQ(r.resource(), "citizens?district = [cpr?]");
      } else {
        EXPECT_EQ(r.resource().rfind(absl::StrCat("[", (3 << 20) + 9, " bytes, sha256 "), 0), 0u)
            << r.resource();
      }
    }
  }
  EXPECT_EQ(lookups, 2);
  EXPECT_EQ(filters, 2);
}

TEST_P(AuditAndInputTest, OnlyPageTokensTheServiceSignedAreTaken) {
  for (int i = 0; i < 3; ++i) Create(CprFor(1970 + i, 3, 3, i));
  rv1::ListCitizensRequest req;
  req.set_page_size(1);
  rv1::ListCitizensResponse first, second;
  ASSERT_TRUE(stub_->ListCitizens(Ctx(TeamLeadToken()).get(), req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  ASSERT_TRUE(stub_->ListCitizens(Ctx(TeamLeadToken()).get(), req, &second).ok());
  EXPECT_NE(second.citizens(0).name(), first.citizens(0).name());
  // Made by hand the way the unkeyed checksum allowed: any position.
  const std::string body = "v1|" + Sha256Hex("ListCitizens|").substr(0, 16) + "|0";
  const std::string forged = absl::WebSafeBase64Escape(body + "|" + Sha256Hex(body).substr(0, 8));
  const std::string body2 = "v2|" + Sha256Hex("ListCitizens|").substr(0, 16) + "|0";
  const std::string forged2 = absl::WebSafeBase64Escape(body2 + "|" + Sha256Hex(body2).substr(0, 32));
  for (const auto& token : {forged, forged2}) {
    req.set_page_token(token);
    rv1::ListCitizensResponse resp;
    auto s = stub_->ListCitizens(Ctx(TeamLeadToken()).get(), req, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(BadFields(s), std::vector<std::string>{"page_token"});
    EXPECT_EQ(resp.citizens_size(), 0);
  }
}

TEST_P(AuditAndInputTest, WhatPeopleTypeKeepsOneTextRule) {
  const long long before = Rows();
  struct Case {
    std::string name, given, expect;
  };
  const std::vector<Case> cases = {
      {"right-to-left override", "Anna\u202Ekcin", "holds U+202E, a bidirectional control, at character 5"},
      {"zero-width space", "An\u200Bna", "holds U+200B, a zero-width character, at character 3"},
      {"bell", "Anna\a", "holds U+0007, a control character, at character 5"},
      {"line break in a name", "Anna\nJensen", "holds U+000A, a tab or line break, at character 5"},
      {"201 characters", std::string(201, 'a'), "must be at most 200 characters (has 201)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    rv1::CreateCitizenRequest req;
    req.mutable_citizen()->set_cpr(CprFor(1981, 4, 4, 4));
    req.mutable_citizen()->set_given_name(c.given);
    req.mutable_citizen()->set_family_name("Jensen");
    req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
    rv1::Citizen out;
    auto s = stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(BadFields(s), std::vector<std::string>{"citizen.given_name"});
    EXPECT_NE(s.error_message().find(c.expect), std::string::npos) << s.error_message();
  }
  // (Bytes that are not UTF-8 never reach a handler: protobuf refuses to
  // read such a string field, and gRPC answers as for any request that is
  // not the message; text_rule_test covers the rule's own check.)
  EXPECT_EQ(Rows(), before);
  // Sixty emoji are sixty characters, within the 200 of a name.
  std::string emoji;
  for (int i = 0; i < 60; ++i) emoji += "\U0001F600";
  rv1::CreateCitizenRequest req;
  req.mutable_citizen()->set_cpr(CprFor(1981, 4, 4, 4));
  req.mutable_citizen()->set_given_name("Åse Ølstrøm-Ærø");
  req.mutable_citizen()->set_family_name(emoji);
  req.mutable_citizen()->set_district(rv1::DISTRICT_SYDHAVNEN);
  rv1::Citizen out;
  auto s = stub_->CreateCitizen(Ctx(ConsultantToken()).get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.family_name(), emoji);
}

TEST_P(AuditAndInputTest, TokensThatRepeatAClaimOrLiveForYearsAreRefused) {
  auto anna = Create(CprFor(1982, 5, 5, 5));
  const long long before = Rows();
  rv1::ListCitizensRequest req;
  const auto call = [&](const std::string& token) {
    rv1::ListCitizensResponse resp;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    auto s = stub_->ListCitizens(&ctx, req, &resp);
    return std::make_pair(s, resp.citizens_size());
  };
  // `roles` twice: the second (dpo) decided before, reading every citizen.
  auto [twice, n1] = call(RawToken(
      ClaimsJson("consultant-anna", "BIF", R"(["ips_consultant"])", 600, R"(,"roles":["team_lead"])")));
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(twice), "TOKEN_REPEATED_CLAIM");
  EXPECT_EQ(n1, 0);
  // exp in the year 9999.
  const long long now = absl::ToUnixSeconds(absl::Now());
  auto [forever, n2] = call(RawToken(ClaimsJson("lead-bo", "BIF", R"(["team_lead"])", 253402300799LL - now)));
  EXPECT_EQ(forever.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(forever), "TOKEN_LIFETIME_TOO_LONG");
  EXPECT_EQ(n2, 0);
  // `aud` as an array holding ours is a valid token (RFC 7519 4.1.3).
  const std::string array_aud =
      absl::StrCat(R"({"sub":"lead-bo","agency":"BIF","roles":["team_lead"],"iss":")", kIssuer,
                   R"(","aud":["another",")", kAudience, R"("],"iat":)", now, R"(,"exp":)", now + 600, "}");
  auto [array, n3] = call(RawToken(array_aud));
  EXPECT_TRUE(array.ok()) << array.error_message();
  EXPECT_EQ(n3, 1);
  EXPECT_EQ(Rows(), before);
}

IPS_ON_BOTH_DATABASES(AuditAndInputTest);

}  // namespace
}  // namespace ips::testing
