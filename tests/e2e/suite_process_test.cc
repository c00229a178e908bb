// The whole suite as separate processes with mTLS, on each database: the
// treatment service, the registry (checking the treatment rule with SOF),
// matching (asking the registry) and reporting (following the three feeds,
// without the pseudonym key). The simulator drives a programme through the
// public APIs; the report has figures in it; a second simulator run adds
// nothing and leaves the report as it was.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/ipsctl_runner.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {
namespace {

nlohmann::json Json(const std::string& out) { return nlohmann::json::parse(out.substr(out.find('{'))); }

class SuiteProcessTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string registry_db, treatment_db, matching_db, reporting_db;
    IPS_FRESH_DATABASE_OR_SKIP(treatment_db, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(registry_db, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(matching_db, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(reporting_db, GetParam());
    dir_ = TempDir("ips-suite-all");
    treatment_port_ = Start("treatment", treatment_db, {});
    std::ofstream(dir_ + "/registry.token") << RegistryServiceToken() << "\n";
    registry_port_ = Start("registry", registry_db,
                           {"--treatment_address=localhost:" + std::to_string(treatment_port_),
                            "--treatment_token_file=" + dir_ + "/registry.token",
                            "--treatment_client_cert=" + Pki().ClientCert("registry"),
                            "--treatment_client_key=" + Pki().ClientKey("registry")});
    matching_port_ = Start("matching", matching_db,
                           {"--registry_address=localhost:" + std::to_string(registry_port_),
                            "--registry_client_cert=" + Pki().ClientCert("matching"),
                            "--registry_client_key=" + Pki().ClientKey("matching")});
    std::ofstream(dir_ + "/reporting.token") << EventReaderToken() << "\n";
    metrics_port_ = FreePort();
    reporting_port_ = Start("reporting", reporting_db,
                            {"--metrics_listen=127.0.0.1:" + std::to_string(metrics_port_),
                             "--registry_address=localhost:" + std::to_string(registry_port_),
                             "--matching_address=localhost:" + std::to_string(matching_port_),
                             "--treatment_address=localhost:" + std::to_string(treatment_port_),
                             "--feed_token_file=" + dir_ + "/reporting.token",
                             "--feed_client_cert=" + Pki().ClientCert("reporting"),
                             "--feed_client_key=" + Pki().ClientKey("reporting")});
  }
  void TearDown() override {
    for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) (*it)->Signal(SIGTERM);
  }

  // Starts build/services/NAME/NAME and returns its port (0 on failure).
  int Start(const std::string& name, const std::string& db, std::vector<std::string> extra) {
    auto args = ServiceArgs(BinaryDir() + "/services/" + name + "/" + name, db, dir_ + "/" + name + ".port");
    if (name == "reporting") {  // not a publisher: it must not hold the key
      std::erase_if(args, [](const std::string& a) { return a.rfind("--pseudonym_key_file", 0) == 0; });
    }
    args.insert(args.end(), extra.begin(), extra.end());
    processes_.push_back(std::make_unique<Process>(args, dir_ + "/" + name + ".log"));
    const int port = WaitForPortFile(dir_ + "/" + name + ".port", absl::Seconds(20));
    EXPECT_GT(port, 0) << "see " << dir_ << "/" << name << ".log";
    return port;
  }

  CliResult Sim() {
    const auto& pki = Pki();
    const std::string cmd = "IPS_CA=" + pki.ca + " IPS_CERT=" + pki.ClientCert("ipsctl") +
                            " IPS_KEY=" + pki.ClientKey("ipsctl") + " IPS_DEV_KEY=" + pki.jwt_private +
                            " IPS_JWT_ISSUER=" + kIssuer + " IPS_JWT_AUDIENCE=" + kAudience + " " +
                            BinaryDir() + "/tools/ips-sim/ips-sim --citizens=40 --days=500 --seed=7" +
                            " --registry=localhost:" + std::to_string(registry_port_) +
                            " --matching=localhost:" + std::to_string(matching_port_) +
                            " --treatment=localhost:" + std::to_string(treatment_port_) + " 2>&1";
    return RunShell(cmd);
  }

  // The newest event sequence of a publisher.
  long long Last(int port, const std::string& service) {
    auto r = RunIpsctl(port, "events stream --timeout=1 --service=" + service + " --json", "event_reader",
                       "JOINT");
    long long last = 0;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("{", 0) == 0)
        last = std::stoll(nlohmann::json::parse(line)["sequence"].get<std::string>());
    }
    return last;
  }

  // Waits until reporting has applied every event, then returns the report.
  nlohmann::json CaughtUpReport() {
    const std::vector<long long> want = {Last(registry_port_, "registry"), Last(matching_port_, "matching"),
                                         Last(treatment_port_, "treatment")};
    for (int i = 0; i < 200; ++i) {
      auto feeds = Json(RunIpsctl(reporting_port_, "feeds status --json", "analyst", "JOINT").out)["feeds"];
      std::vector<long long> have;
      for (const auto& f : feeds)
        have.push_back(f.contains("applied_sequence") ? std::stoll(f["applied_sequence"].get<std::string>())
                                                      : 0);
      if (have == want) break;
      usleep(100000);
    }
    auto report = Json(RunIpsctl(reporting_port_, "report get --json", "analyst", "JOINT").out);
    return report;
  }

  std::string dir_;
  int treatment_port_ = 0, registry_port_ = 0, matching_port_ = 0, reporting_port_ = 0, metrics_port_ = 0;
  std::vector<std::unique_ptr<Process>> processes_;
};

std::string KpiValue(const nlohmann::json& report, const std::string& id) {
  for (const auto& k : report["kpis"]) {
    if (k["id"] == id) return k["value"];
  }
  return "";
}

TEST_P(SuiteProcessTest, TheSimulatedProgrammeIsReportedAndARerunAddsNothing) {
  auto first = Sim();
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("enrolled"), std::string::npos) << first.out;
  auto report = CaughtUpReport();
  for (const auto& f : report["feeds"]) EXPECT_TRUE(f.value("connected", false)) << f;
  // Operators see each feed in the metrics (refreshed every second).
  std::string metrics;
  for (int i = 0; i < 50 && metrics.find("ips_feed_connected{source=\"treatment\"} 1") == std::string::npos;
       ++i) {
    usleep(100000);
    metrics = HttpGet(metrics_port_, "/metrics");
  }
  EXPECT_NE(metrics.find("ips_feed_connected{source=\"treatment\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ips_feed_lag_events{source=\"registry\"} 0"), std::string::npos) << metrics;
  EXPECT_GE(std::stoi(KpiValue(report, "enrolled_total")), 25) << report;
  EXPECT_NE(KpiValue(report, "job_or_education_12m"), "0 of 0") << report;
  EXPECT_NE(KpiValue(report, "days_to_first_placement"), "no placements") << report;
  EXPECT_FALSE(report["cohorts"].empty());

  auto second = Sim();
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("0 courses ended"), std::string::npos) << second.out;
  auto again = CaughtUpReport();
  report.erase("feeds");
  again.erase("feeds");
  EXPECT_EQ(report.dump(), again.dump());
}

IPS_ON_BOTH_DATABASES(SuiteProcessTest);

}  // namespace
}  // namespace ips::testing
