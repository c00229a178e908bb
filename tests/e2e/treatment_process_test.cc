// The registry and treatment binaries as separate processes, driven with
// ipsctl as staff drive them: SOF records treatment and a consent, BIF
// sees only the minimal status, the registry checks the treatment rule
// with SOF over mTLS under its own service identity, and when SOF is down
// an enrolment fails with UNAVAILABLE instead of passing.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "services/common/dates.h"
#include "tests/support/ipsctl_runner.h"
#include "tests/support/process.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {
namespace {

class TreatmentProcessTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string registry_db, treatment_db;
    IPS_FRESH_DATABASE_OR_SKIP(treatment_db, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(registry_db, GetParam());
    dir_ = TempDir("ips-suite");
    treatment_ = std::make_unique<Process>(
        ServiceArgs(BinaryDir() + "/services/treatment/treatment", treatment_db, dir_ + "/treatment.port"),
        dir_ + "/treatment.log");
    treatment_port_ = WaitForPortFile(dir_ + "/treatment.port", absl::Seconds(20));
    ASSERT_GT(treatment_port_, 0) << "see " << dir_ << "/treatment.log";
    std::ofstream(dir_ + "/registry.token") << RegistryServiceToken() << "\n";
    auto args =
        ServiceArgs(BinaryDir() + "/services/registry/registry", registry_db, dir_ + "/registry.port");
    args.push_back("--treatment_address=localhost:" + std::to_string(treatment_port_));
    args.push_back("--treatment_token_file=" + dir_ + "/registry.token");
    args.push_back("--treatment_client_cert=" + Pki().ClientCert("registry"));
    args.push_back("--treatment_client_key=" + Pki().ClientKey("registry"));
    registry_ = std::make_unique<Process>(args, dir_ + "/registry.log");
    registry_port_ = WaitForPortFile(dir_ + "/registry.port", absl::Seconds(20));
    ASSERT_GT(registry_port_, 0) << "see " << dir_ << "/registry.log";
  }
  void TearDown() override {
    if (registry_) registry_->Signal(SIGTERM);
    if (treatment_) treatment_->Signal(SIGTERM);
  }

  CliResult Sof(const std::string& args) { return RunIpsctl(treatment_port_, args, "sof_treatment", "SOF"); }
  CliResult Bif(int port, const std::string& args) {
    return RunIpsctl(port, args, "ips_consultant,team_lead", "BIF");
  }
  std::string Citizen(const std::string& cpr) {
    auto r = Bif(registry_port_, "citizen create --cpr " + cpr +
                                     " --given-name A --family-name B --district sydhavnen --json");
    EXPECT_EQ(r.code, 0) << r.out;
    return nlohmann::json::parse(r.out.substr(r.out.find('{')))["name"];
  }

  std::string dir_;
  int treatment_port_ = 0, registry_port_ = 0;
  std::unique_ptr<Process> treatment_, registry_;
};

TEST_P(TreatmentProcessTest, BifSeesTheMinimumAndTheRegistryChecksWithSof) {
  ASSERT_EQ(Bif(registry_port_, "consultant create --display-name Kim --subject dev-user").code, 0);
  const std::string treated = Citizen("010180-1234"), clear = Citizen("020280-1234");

  auto unit = Sof("unit create --display-name 'Ambulatorium Sydhavn' --json");
  ASSERT_EQ(unit.code, 0) << unit.out;
  const std::string unit_name = nlohmann::json::parse(unit.out.substr(unit.out.find('{')))["name"];
  auto referral =
      Sof("referral create " + treated + " --by outreach --request-date today --substances alcohol,cannabis");
  ASSERT_EQ(referral.code, 0) << referral.out;
  EXPECT_NE(referral.out.find("GUARANTEE_STATE_OPEN"), std::string::npos) << referral.out;
  ASSERT_EQ(
      Sof("episode start " + treated + " --unit " + unit_name + " --modality outpatient --start-date today")
          .code,
      0);

  // No consent yet: BIF is refused, with the reason.
  auto refused = Bif(treatment_port_, "treatment-status get " + treated + "/treatmentStatus");
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.out.find("CONSENT_MISSING"), std::string::npos) << refused.out;
  for (const auto& c : {treated, clear}) {
    ASSERT_EQ(Sof("sof-consent create " + c +
                  " --scope treatment_status --given-date today --expiry-date 2099-01-01")
                  .code,
              1);  // more than two years: refused
    ASSERT_EQ(Sof("sof-consent create " + c + " --scope treatment_status --given-date today --expiry-date " +
                  FormatDay(TodayInCopenhagen() + 365))
                  .code,
              0);
  }
  auto status = Bif(treatment_port_, "treatment-status get " + treated + "/treatmentStatus --json");
  ASSERT_EQ(status.code, 0) << status.out;
  EXPECT_NE(status.out.find("MINIMAL_STATUS_IN_TREATMENT"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("units/"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("ALCOHOL"), std::string::npos) << status.out;

  // The registry asks SOF: the citizen who declares no treatment is in it.
  auto enrol =
      Bif(registry_port_, "enrollment create " + treated +
                              " --start-date today --activity-ready --benefit cash_benefit --substance-use "
                              "--unemployment-months 12");
  EXPECT_EQ(enrol.code, 1) << enrol.out;
  EXPECT_NE(enrol.out.find("ELIGIBILITY_RULE_NOT_IN_SUBSTANCE_TREATMENT"), std::string::npos) << enrol.out;
  auto ok =
      Bif(registry_port_, "enrollment create " + clear +
                              " --start-date today --activity-ready --benefit cash_benefit --substance-use "
                              "--unemployment-months 12 --json");
  ASSERT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("TREATMENT_CHECK_VERIFIED"), std::string::npos) << ok.out;

  // SOF's audit names the registry as the caller of its checks.
  auto audit = RunIpsctl(treatment_port_, "sof-audit list --json --page-size 1000", "dpo", "SOF");
  ASSERT_EQ(audit.code, 0) << audit.out;
  EXPECT_NE(audit.out.find("\"service\":\"registry\""), std::string::npos) << audit.out;

  // SOF down: the rule cannot be checked, so the enrolment fails.
  treatment_->Signal(SIGTERM);
  ASSERT_TRUE(treatment_->Wait(absl::Seconds(30)).has_value());
  treatment_.reset();
  const std::string third = Citizen("030380-1234");
  auto down =
      Bif(registry_port_, "enrollment create " + third +
                              " --start-date today --activity-ready --benefit cash_benefit --substance-use "
                              "--unemployment-months 12");
  EXPECT_EQ(down.code, 1) << down.out;
  EXPECT_NE(down.out.find("UNAVAILABLE"), std::string::npos) << down.out;
  EXPECT_NE(down.out.find("treatment service did not answer"), std::string::npos) << down.out;
}

IPS_ON_BOTH_DATABASES(TreatmentProcessTest);

}  // namespace
}  // namespace ips::testing
