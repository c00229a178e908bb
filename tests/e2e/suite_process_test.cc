// The whole suite as separate processes with mTLS, on each database: the
// treatment service, the registry (checking the treatment rule with SOF),
// matching (asking the registry) and reporting (following the three feeds,
// without the pseudonym key). The simulator drives a programme through the
// public APIs; the report has figures in it; a second simulator run adds
// nothing and leaves the report as it was; and each service killed with
// SIGKILL mid-run and restarted loses nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/ipsctl_runner.h"
#include "tests/support/process.h"
#include "tests/support/registry_server.h"
#include "tests/support/treatment_server.h"

namespace ips::testing {
namespace {

nlohmann::json Json(const std::string& out) { return nlohmann::json::parse(out.substr(out.find('{'))); }

// The four services as processes on fixed loopback ports (so a restarted
// one is found where it was), each with its own database of `backend`.
class Suite {
 public:
  // Fresh databases and the four services; false (with a test failure or
  // skip recorded) when something could not start.
  void Start(Backend backend) {
    for (const char* name : {"treatment", "registry", "matching", "reporting"}) {
      std::string db;
      auto fresh = [&] { IPS_FRESH_DATABASE_OR_SKIP(db, backend); };
      fresh();
      if (db.empty()) return;
      services_[name].db = db;
      services_[name].port = FreePort();
      services_[name].health_port = FreePort();
    }
    dir_ = TempDir("ips-suite-all");
    std::ofstream(dir_ + "/registry.token") << RegistryServiceToken() << "\n";
    std::ofstream(dir_ + "/reporting.token") << EventReaderToken() << "\n";
    metrics_port_ = FreePort();
    services_["registry"].extra = {"--treatment_address=localhost:" + std::to_string(port("treatment")),
                                   "--treatment_token_file=" + dir_ + "/registry.token",
                                   "--treatment_client_cert=" + Pki().ClientCert("registry"),
                                   "--treatment_client_key=" + Pki().ClientKey("registry")};
    services_["matching"].extra = {"--registry_address=localhost:" + std::to_string(port("registry")),
                                   "--registry_client_cert=" + Pki().ClientCert("matching"),
                                   "--registry_client_key=" + Pki().ClientKey("matching")};
    services_["reporting"].extra = {"--metrics_listen=127.0.0.1:" + std::to_string(metrics_port_),
                                    "--registry_address=localhost:" + std::to_string(port("registry")),
                                    "--matching_address=localhost:" + std::to_string(port("matching")),
                                    "--treatment_address=localhost:" + std::to_string(port("treatment")),
                                    "--feed_token_file=" + dir_ + "/reporting.token",
                                    "--feed_client_cert=" + Pki().ClientCert("reporting"),
                                    "--feed_client_key=" + Pki().ClientKey("reporting")};
    for (const char* name : {"treatment", "registry", "matching", "reporting"}) Launch(name);
  }

  ~Suite() {
    for (const char* name : {"reporting", "matching", "registry", "treatment"}) {
      if (services_.count(name) && services_[name].process) services_[name].process->Signal(SIGTERM);
    }
  }

  bool started() const { return services_.size() == 4; }
  int port(const std::string& name) { return services_[name].port; }
  int health_port(const std::string& name) { return services_[name].health_port; }
  int metrics_port() const { return metrics_port_; }

  // Starts build/services/NAME/NAME on its port and waits until it serves.
  void Launch(const std::string& name) {
    Service& svc = services_[name];
    const std::string port_file = dir_ + "/" + name + ".port";
    std::remove(port_file.c_str());
    auto args = ServiceArgs(BinaryDir() + "/services/" + name + "/" + name, svc.db, port_file);
    for (auto& a : args) {
      if (a.rfind("--listen=", 0) == 0) a = "--listen=127.0.0.1:" + std::to_string(svc.port);
    }
    if (name == "reporting") {  // not a publisher: it must not hold the key
      std::erase_if(args, [](const std::string& a) { return a.rfind("--pseudonym_key_file", 0) == 0; });
    }
    args.insert(args.end(), svc.extra.begin(), svc.extra.end());
    args.push_back("--health_listen=127.0.0.1:" + std::to_string(svc.health_port));
    svc.process = std::make_unique<Process>(args, dir_ + "/" + name + ".log");
    EXPECT_EQ(WaitForPortFile(port_file, absl::Seconds(30)), svc.port)
        << "see " << dir_ << "/" << name << ".log";
  }

  // kill -9, then the same command again.
  void KillAndRestart(const std::string& name) {
    Service& svc = services_[name];
    svc.process->Signal(SIGKILL);
    EXPECT_EQ(svc.process->Wait(absl::Seconds(10)), 128 + SIGKILL);
    Launch(name);
  }

  // Stops a service (SIGTERM) and starts it again with `args` added.
  void RestartWith(const std::string& name, const std::vector<std::string>& args) {
    Service& svc = services_[name];
    svc.process->Signal(SIGTERM);
    EXPECT_EQ(svc.process->Wait(absl::Seconds(30)), 0) << name;
    svc.extra.insert(svc.extra.end(), args.begin(), args.end());
    Launch(name);
  }

  // The simulator's command line (its output goes to `log`).
  std::string SimCommand(int citizens, const std::string& log = "") {
    const auto& pki = Pki();
    return "IPS_CA=" + pki.ca + " IPS_CERT=" + pki.ClientCert("ipsctl") +
           " IPS_KEY=" + pki.ClientKey("ipsctl") + " IPS_DEV_KEY=" + pki.jwt_private +
           " IPS_JWT_ISSUER=" + kIssuer + " IPS_JWT_AUDIENCE=" + kAudience + " " + BinaryDir() +
           "/tools/ips-sim/ips-sim --citizens=" + std::to_string(citizens) + " --days=500 --seed=7" +
           " --registry=localhost:" + std::to_string(port("registry")) +
           " --matching=localhost:" + std::to_string(port("matching")) +
           " --treatment=localhost:" + std::to_string(port("treatment")) + (log.empty() ? "" : " >" + log) +
           " 2>&1";
  }
  CliResult Sim(int citizens = 40) { return RunShell(SimCommand(citizens)); }
  const std::string& dir() const { return dir_; }

  // The newest event sequence of a publisher.
  long long Last(const std::string& service) {
    auto r = RunIpsctl(port(service), "events stream --timeout=1 --service=" + service + " --json",
                       "event_reader", "JOINT", "reporting");
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
    const std::vector<long long> want = {Last("registry"), Last("matching"), Last("treatment")};
    for (int i = 0; i < 300; ++i) {
      auto feeds = Json(RunIpsctl(port("reporting"), "feeds status --json", "analyst", "JOINT").out)["feeds"];
      std::vector<long long> have;
      for (const auto& f : feeds)
        have.push_back(f.contains("applied_sequence") ? std::stoll(f["applied_sequence"].get<std::string>())
                                                      : 0);
      if (have == want) break;
      usleep(100000);
    }
    return Json(RunIpsctl(port("reporting"), "report get --json", "analyst", "JOINT").out);
  }

 private:
  struct Service {
    std::string db;
    int port = 0, health_port = 0;
    std::vector<std::string> extra;
    std::unique_ptr<Process> process;
  };
  std::map<std::string, Service> services_;
  std::string dir_;
  int metrics_port_ = 0;
};

class SuiteProcessTest : public ::testing::TestWithParam<Backend> {};

std::string KpiValue(const nlohmann::json& report, const std::string& id) {
  for (const auto& k : report["kpis"]) {
    if (k["id"] == id) return k["value"];
  }
  return "";
}

TEST_P(SuiteProcessTest, TheSimulatedProgrammeIsReportedAndARerunAddsNothing) {
  Suite suite;
  suite.Start(GetParam());
  if (!suite.started() || HasFatalFailure() || IsSkipped()) return;
  auto first = suite.Sim();
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("enrolled"), std::string::npos) << first.out;
  auto report = suite.CaughtUpReport();
  for (const auto& f : report["feeds"]) EXPECT_TRUE(f.value("connected", false)) << f;
  // Operators see each feed in the metrics (refreshed every second).
  std::string metrics;
  for (int i = 0; i < 50 && metrics.find("ips_feed_connected{source=\"treatment\"} 1") == std::string::npos;
       ++i) {
    usleep(100000);
    metrics = HttpGet(suite.metrics_port(), "/metrics");
  }
  EXPECT_NE(metrics.find("ips_feed_connected{source=\"treatment\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ips_feed_lag_events{source=\"registry\"} 0"), std::string::npos) << metrics;
  // The container health check: the server, and one of reporting's feeds.
  for (const char* name : {"treatment", "registry", "matching", "reporting"}) {
    auto health = RunIpsctl(suite.port(name), "health check", "analyst", "JOINT");
    EXPECT_EQ(health.code, 0) << name << ": " << health.out;
    EXPECT_NE(health.out.find("SERVING"), std::string::npos) << health.out;
  }
  EXPECT_EQ(RunIpsctl(suite.port("reporting"),
                      "health check --service=ips.reporting.v1.Reporting/feed/matching", "analyst", "JOINT")
                .code,
            0);
  EXPECT_EQ(
      RunIpsctl(suite.port("reporting"), "health check --service=no.such.Service", "analyst", "JOINT").code,
      2);
  // The plaintext port for Kubernetes' probes serves health and nothing
  // else.
  const std::string plain = BinaryDir() + "/tools/ipsctl/ipsctl --insecure-plaintext --addr=127.0.0.1:";
  for (const char* name : {"treatment", "registry", "matching", "reporting"}) {
    auto health = RunShell(plain + std::to_string(suite.health_port(name)) + " health check 2>&1");
    EXPECT_EQ(health.code, 0) << name << ": " << health.out;
  }
  auto refused = RunShell(plain + std::to_string(suite.health_port("reporting")) + " report get 2>&1");
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.out.find("UNIMPLEMENTED"), std::string::npos) << refused.out;
  EXPECT_GE(std::stoi(KpiValue(report, "enrolled_total")), 25) << report;
  EXPECT_NE(KpiValue(report, "job_or_education_12m"), "0 of 0") << report;
  EXPECT_NE(KpiValue(report, "days_to_first_placement"), "no placements") << report;
  EXPECT_FALSE(report["cohorts"].empty());

  auto second = suite.Sim();
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_NE(second.out.find("0 courses ended"), std::string::npos) << second.out;
  auto again = suite.CaughtUpReport();
  report.erase("feeds");
  again.erase("feeds");
  EXPECT_EQ(report.dump(), again.dump());
}

// Subject access: a DPO gathers everything the four services hold about
// one citizen of the simulated programme into one bundle, readable too,
// holding that citizen's records and nobody else's; each export is audited.
TEST_P(SuiteProcessTest, SubjectAccessGathersOneCitizensRecordsFromEveryService) {
  Suite suite;
  suite.Start(GetParam());
  if (!suite.started() || HasFatalFailure() || IsSkipped()) return;
  ASSERT_EQ(suite.Sim().code, 0);
  (void)suite.CaughtUpReport();
  // A citizen with a placement, and another citizen.
  auto placements =
      Json(RunIpsctl(suite.port("matching"), "placement list citizens/- --page-size 5 --json", "dpo", "BIF")
               .out)["placements"];
  ASSERT_FALSE(placements.empty());
  const std::string name = placements[0]["name"];
  const std::string citizen = name.substr(0, name.find("/placements/"));
  auto citizens = Json(
      RunIpsctl(suite.port("registry"), "citizen list --page-size 50 --json", "dpo", "BIF").out)["citizens"];
  std::string other, cpr;
  for (const auto& c : citizens) {
    if (c["name"] == citizen) cpr = c["cpr"];
    if (c["name"] != citizen && other.empty()) other = c["name"];
  }
  ASSERT_FALSE(cpr.empty());
  ASSERT_FALSE(other.empty());

  const std::string out = suite.dir();
  const std::string addrs = " --registry-addr=localhost:" + std::to_string(suite.port("registry")) +
                            " --treatment-addr=localhost:" + std::to_string(suite.port("treatment")) +
                            " --matching-addr=localhost:" + std::to_string(suite.port("matching")) +
                            " --reporting-addr=localhost:" + std::to_string(suite.port("reporting")) +
                            " --out=" + out;
  auto refused =
      RunIpsctl(suite.port("registry"), "subject-access export " + citizen + addrs, "team_lead", "BIF");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.out.find("PERMISSION_DENIED"), std::string::npos) << refused.out;

  auto made = RunIpsctl(suite.port("registry"), "subject-access export " + citizen + addrs, "dpo", "JOINT");
  ASSERT_EQ(made.code, 0) << made.out;
  std::ifstream file(out + "/subject-access.json");
  const auto bundle = nlohmann::json::parse(file);
  ASSERT_EQ(bundle["parts"].size(), 4u);
  std::map<std::string, nlohmann::json> part;
  for (const auto& p : bundle["parts"]) part[p["service"]] = p["data"];
  EXPECT_EQ(part["ips.registry.v1.CitizenRegistry"]["citizens"][0]["cpr"], cpr);
  EXPECT_FALSE(part["ips.registry.v1.CitizenRegistry"]["enrollments"].empty());
  EXPECT_FALSE(part["ips.registry.v1.CitizenRegistry"]["job_conversations"].empty());
  EXPECT_FALSE(part["ips.matching.v1.EmployerMatching"]["placements"].empty());
  EXPECT_FALSE(part["ips.matching.v1.EmployerMatching"]["job_profiles"].empty());
  EXPECT_FALSE(part["ips.reporting.v1.Reporting"]["courses"].empty());  // found by the pseudonym
  const std::string text = bundle.dump();
  EXPECT_EQ(text.find(other.substr(std::string("citizens/").size())), std::string::npos) << "another citizen";
  std::ifstream page(out + "/subject-access.html");
  const std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find(cpr), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Audited at each service with the citizen it concerned.
  const std::string id = citizen.substr(std::string("citizens/").size());
  for (const auto& [service, agency] : std::vector<std::pair<std::string, std::string>>{
           {"registry", "BIF"}, {"matching", "BIF"}, {"treatment", "SOF"}}) {
    const std::string group = service == "registry"   ? "audit"
                              : service == "matching" ? "matching-audit"
                                                      : "sof-audit";
    auto audit = RunIpsctl(suite.port(service),
                           group + " list --filter 'citizen_id = \"" + id + "\"' --page-size 1000 --json",
                           "dpo", agency);
    EXPECT_NE(audit.out.find("ExportSubjectData"), std::string::npos) << service << ": " << audit.out;
  }
}

// Erasure: a DPO's request is checked at all three publishers first and
// refused as a whole while a course runs; granted, the citizen is gone from
// the registry. Then the publishers restart with a retention period of one
// day and their sweeps erase every citizen whose course ended before
// yesterday. Reporting's figures stay exactly as they were throughout.
TEST_P(SuiteProcessTest, ErasureOnRequestAndByRetentionLeavesTheReportAsItWas) {
  Suite suite;
  suite.Start(GetParam());
  if (!suite.started() || HasFatalFailure() || IsSkipped()) return;
  ASSERT_EQ(suite.Sim().code, 0);
  auto before = suite.CaughtUpReport();
  before.erase("feeds");
  auto list = [&] {
    return Json(RunIpsctl(suite.port("registry"), "citizen list --page-size 100 --json", "dpo", "BIF")
                    .out)["citizens"];
  };
  const auto citizens = list();
  std::string running, erased;
  const std::string addrs = " --registry-addr=localhost:" + std::to_string(suite.port("registry")) +
                            " --treatment-addr=localhost:" + std::to_string(suite.port("treatment")) +
                            " --matching-addr=localhost:" + std::to_string(suite.port("matching"));
  for (const auto& c : citizens) {
    if (c.contains("active_enrollment") && running.empty()) running = c["name"];
  }
  ASSERT_FALSE(running.empty());
  auto refused = RunIpsctl(suite.port("registry"), "subject-access erase " + running + addrs, "dpo", "JOINT");
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.out.find("ERASURE_COURSE_RUNNING"), std::string::npos) << refused.out;
  // A citizen with no course running (one may still have a placement
  // running, which matching names: then the next is tried).
  for (const auto& c : citizens) {
    if (c.contains("active_enrollment")) continue;
    auto r = RunIpsctl(suite.port("registry"), "subject-access erase " + std::string(c["name"]) + addrs,
                       "dpo", "JOINT");
    if (r.code == 0) {
      EXPECT_NE(r.out.find("registry: erased"), std::string::npos) << r.out;
      erased = c["name"];
      break;
    }
    EXPECT_NE(r.out.find("may not erase"), std::string::npos) << r.out;
  }
  ASSERT_FALSE(erased.empty());
  EXPECT_EQ(list().size(), citizens.size() - 1);
  auto gone = RunIpsctl(suite.port("registry"), "citizen get " + erased, "dpo", "BIF");
  EXPECT_NE(gone.out.find("NOT_FOUND"), std::string::npos) << gone.out;
  auto after = suite.CaughtUpReport();
  after.erase("feeds");
  EXPECT_EQ(before.dump(), after.dump());

  for (const char* name : {"treatment", "matching", "registry"}) {
    suite.RestartWith(name, {"--retention_days=1", "--retention_sweep_seconds=1"});
  }
  size_t left = citizens.size() - 1;
  for (int i = 0; i < 100 && left == citizens.size() - 1; ++i) {
    usleep(100000);
    left = list().size();
  }
  EXPECT_LT(left, citizens.size() - 1) << "the registry's sweep erased nobody";
  EXPECT_NE(list().dump().find(running), std::string::npos) << "a running course is kept";
  for (const auto& [service, group, agency] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"registry", "audit", "BIF"},
                                                                      {"matching", "matching-audit", "BIF"},
                                                                      {"treatment", "sof-audit", "SOF"}}) {
    auto audit = RunIpsctl(suite.port(service), group + " list --page-size 1000 --json", "dpo", agency);
    EXPECT_NE(audit.out.find("RetentionSweep"), std::string::npos)
        << service << ": " << audit.out.substr(0, 400);
  }
  auto swept = suite.CaughtUpReport();
  swept.erase("feeds");
  EXPECT_EQ(before.dump(), swept.dump());
}

// The report without what differs between two suites by chance: the feed
// positions' connection flags and the consultants' ids (the registry makes
// them at random), consultant rows kept as a sorted list of their figures.
nlohmann::json Comparable(nlohmann::json report) {
  report.erase("feeds");
  std::vector<std::string> rows;
  for (auto row : report["consultants"]) {
    row.erase("consultant_id");
    rows.push_back(row.dump());
  }
  std::sort(rows.begin(), rows.end());
  report["consultants"] = rows;
  return report;
}

// The parts of two comparable reports that differ, one line each (a KPI by
// its id), so a failure says what moved rather than printing both whole.
std::string Differences(const nlohmann::json& got, const nlohmann::json& want) {
  std::string out;
  for (const auto& [key, value] : want.items()) {
    if (!got.contains(key)) {
      out += key + ": missing\n";
    } else if (key == "kpis") {
      for (const auto& kpi : value) {
        bool same = false;
        for (const auto& g : got[key]) same = same || g == kpi;
        if (!same) out += "kpi " + kpi.value("id", std::string()) + ": want " + kpi.dump() + "\n";
      }
      for (const auto& g : got[key]) {
        bool same = false;
        for (const auto& kpi : value) same = same || g == kpi;
        if (!same) out += "kpi " + g.value("id", std::string()) + ": got " + g.dump() + "\n";
      }
    } else if (got[key] != value) {
      out += key + ": got " + got[key].dump() + " want " + value.dump() + "\n";
    }
  }
  return out;
}

// kill -9 of each service in turn while the simulator runs, each restarted
// with the same command: every event is there once (the same sequences as
// an undisturbed suite given the same scenario) and the final report is
// the same.
TEST_P(SuiteProcessTest, KillNineOfEachServiceMidRunLosesNothing) {
  constexpr int kCitizens = 60;
  Suite reference;
  reference.Start(GetParam());
  if (!reference.started() || HasFatalFailure() || IsSkipped()) return;
  const auto clean = reference.Sim(kCitizens);
  ASSERT_EQ(clean.code, 0) << clean.out;
  const auto expected = reference.CaughtUpReport();

  Suite suite;
  suite.Start(GetParam());
  ASSERT_TRUE(suite.started());
  const std::string log = suite.dir() + "/sim.log";
  Process sim({"/bin/sh", "-c", suite.SimCommand(kCitizens, log)}, suite.dir() + "/sim.sh.log");
  usleep(1500000);
  int killed_mid_run = 0;
  for (const char* name : {"treatment", "registry", "matching", "reporting"}) {
    killed_mid_run += !sim.Wait(absl::ZeroDuration()).has_value();
    suite.KillAndRestart(name);
    usleep(700000);
  }
  const auto code = sim.Wait(absl::Minutes(5));
  std::ifstream sim_out(log);
  const std::string out((std::istreambuf_iterator<char>(sim_out)), std::istreambuf_iterator<char>());
  ASSERT_EQ(code, 0) << out;
  // The scenario was still running when each service was killed (its
  // calls then wait for the channel or are repeated).
  EXPECT_EQ(killed_mid_run, 4) << out;

  for (const char* publisher : {"registry", "matching", "treatment"}) {
    EXPECT_EQ(suite.Last(publisher), reference.Last(publisher)) << publisher;
  }
  const auto report = suite.CaughtUpReport();
  EXPECT_EQ(Comparable(report).dump(), Comparable(expected).dump())
      << Differences(Comparable(report), Comparable(expected)) << out;
  EXPECT_GE(std::stoi(KpiValue(report, "enrolled_total")), 40) << report;
}

IPS_ON_BOTH_DATABASES(SuiteProcessTest);

}  // namespace
}  // namespace ips::testing
