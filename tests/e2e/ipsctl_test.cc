// ipsctl against the registry binary, as staff and scripts use it: every
// RPC has a command, tables for people, JSON for scripts, and a refused
// request exits non-zero naming the field.
#include <gtest/gtest.h>
#include <signal.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "ips/matching/v1/matching_service.grpc.pb.h"
#include "ips/registry/v1/registry_service.grpc.pb.h"
#include "ips/reporting/v1/reporting_service.grpc.pb.h"
#include "ips/treatment/v1/treatment_service.grpc.pb.h"
#include "tests/support/ipsctl_runner.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"
#include "tools/ipsctl/command_table.h"
#include "tools/ipsctl/subject_bundle.h"

namespace ips::testing {
namespace {

TEST(IpsctlTest, EveryRpcOfEveryServiceHasACommand) {
  // Touch one message of each service so its descriptors are linked in.
  ASSERT_NE(matching::v1::CreateEmployerRequest::descriptor(), nullptr);
  ASSERT_NE(reporting::v1::GetProgrammeReportRequest::descriptor(), nullptr);
  for (const std::string name :
       {registry::v1::CitizenRegistry::service_full_name(),
        treatment::v1::TreatmentCoordination::service_full_name(),
        matching::v1::EmployerMatching::service_full_name(), reporting::v1::Reporting::service_full_name()}) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = service->method(i)->name();
      if (method == "StreamEvents") continue;  // `ipsctl events stream --service=...`
      int found = 0;
      for (const auto& c : ipsctl::Commands()) found += c.service == name && c.method == method;
      EXPECT_EQ(found, 1) << name << "." << method << " needs exactly one ipsctl command";
    }
  }
  // Commands are unique by group and verb.
  std::set<std::string> seen;
  for (const auto& c : ipsctl::Commands()) EXPECT_TRUE(seen.insert(c.group + " " + c.verb).second) << c.group;
}

// The subject access page shows what a service stored as text, never as
// markup: a stored note cannot run in the DPO's or the citizen's browser.
TEST(SubjectBundleTest, ThePageEscapesEveryValue) {
  common::v1::SubjectDataExport part;
  part.set_service("ips.treatment.v1.TreatmentCoordination");
  part.set_row_count(1);
  part.set_data_json(
      R"({"coordination_notes": [{"text": "<script>alert(1)</script>", "id": 7}], "episodes": []})");
  const auto bundle = ipsctl::SubjectBundle("citizens/abc", {part});
  EXPECT_EQ(bundle["parts"][0]["data"]["coordination_notes"][0]["id"], 7);
  const std::string html = ipsctl::SubjectBundleHtml(bundle);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<h3>episodes</h3>\n<p>None.</p>"), std::string::npos);
}

class IpsctlProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("ips-ctl");
    registry_ = std::make_unique<Process>(ServiceArgs(BinaryDir() + "/services/registry/registry",
                                                      "sqlite://" + dir_ + "/r.db", dir_ + "/port"),
                                          dir_ + "/registry.log");
    port_ = WaitForPortFile(dir_ + "/port", absl::Seconds(20));
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (registry_) registry_->Signal(SIGTERM);
  }

  CliResult Ipsctl(const std::string& args, const std::string& roles = "ips_consultant,team_lead") {
    return RunIpsctl(port_, args, roles);
  }

  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Process> registry_;
};

TEST_F(IpsctlProcessTest, CreatesListsAndReportsErrors) {
  auto created = Ipsctl(
      "citizen create --cpr 010180-1234 --given-name Anna --family-name Jensen --district SYDHAVNEN --json");
  ASSERT_EQ(created.code, 0) << created.out;
  auto json = nlohmann::json::parse(created.out.substr(created.out.find('{')));
  const std::string name = json["name"];
  EXPECT_EQ(json["cpr"], "0101801234");
  EXPECT_EQ(json["district"], "DISTRICT_SYDHAVNEN");

  auto table = Ipsctl("citizen list");
  ASSERT_EQ(table.code, 0) << table.out;
  EXPECT_NE(table.out.find("family_name"), std::string::npos);
  EXPECT_NE(table.out.find("Jensen"), std::string::npos);
  EXPECT_NE(table.out.find("(1 shown)"), std::string::npos);

  auto updated = Ipsctl("citizen update " + name + " --family-name Holm --etag v1");
  ASSERT_EQ(updated.code, 0) << updated.out;
  EXPECT_NE(updated.out.find("family_name: Holm"), std::string::npos);
  EXPECT_NE(updated.out.find("etag: v2"), std::string::npos);

  auto bad = Ipsctl("citizen create --cpr 3102801234 --given-name A --family-name B --district SYDHAVNEN");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("INVALID_ARGUMENT"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("field citizen.cpr"), std::string::npos) << bad.out;

  auto denied = Ipsctl("audit list", "ips_consultant");
  EXPECT_EQ(denied.code, 1);
  EXPECT_NE(denied.out.find("PERMISSION_DENIED"), std::string::npos);
  auto audit = Ipsctl("audit list --json", "dpo");
  ASSERT_EQ(audit.code, 0) << audit.out;
  EXPECT_NE(audit.out.find("CreateCitizen"), std::string::npos);

  auto usage = Ipsctl("citizen create --no-such-flag x");
  EXPECT_EQ(usage.code, 2);
  EXPECT_NE(usage.out.find("unknown flag --no-such-flag"), std::string::npos);
}

// The DPO checks the audit chain from outside the service: it holds; a
// record altered in the database, or one taken out, is found and named.
TEST_F(IpsctlProcessTest, AuditVerifyFindsTheFirstBrokenLink) {
  for (int i = 0; i < 3; ++i) {
    auto made = Ipsctl("citizen create --cpr 01018" + std::to_string(i) +
                       "-1234 --given-name A --family-name B "
                       "--district SYDHAVNEN");
    ASSERT_EQ(made.code, 0) << made.out;
  }
  auto intact = Ipsctl("audit verify --service=registry", "dpo");
  ASSERT_EQ(intact.code, 0) << intact.out;
  EXPECT_NE(intact.out.find("audit chain holds"), std::string::npos) << intact.out;
  EXPECT_EQ(Ipsctl("audit verify --service=registry", "ips_consultant").code, 2);  // not a DPO

  // Someone with the database's keys gets past the append-only triggers.
  soci::session db(soci::sqlite3, dir_ + "/r.db");
  db << "DROP TRIGGER audit_log_no_update";
  db << "DROP TRIGGER audit_log_no_delete";
  db << "UPDATE audit_log SET outcome = 'PERMISSION_DENIED' WHERE sequence = 2";
  auto altered = Ipsctl("audit verify --service=registry", "dpo");
  EXPECT_EQ(altered.code, 1) << altered.out;
  EXPECT_NE(altered.out.find("BROKEN at record 2: its fields do not match its hash"), std::string::npos)
      << altered.out;

  db << "UPDATE audit_log SET outcome = 'OK' WHERE sequence = 2";
  ASSERT_EQ(Ipsctl("audit verify --service=registry", "dpo").code, 0);
  db << "DELETE FROM audit_log WHERE sequence = 3";
  auto removed = Ipsctl("audit verify --service=registry", "dpo");
  EXPECT_EQ(removed.code, 1) << removed.out;
  EXPECT_NE(removed.out.find("BROKEN at record 3: record 3 is missing"), std::string::npos) << removed.out;
}

}  // namespace
}  // namespace ips::testing
