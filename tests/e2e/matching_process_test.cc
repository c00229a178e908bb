// The registry and matching binaries as separate processes, driven with
// ipsctl as a consultant drives them: an employer and an opening, a job
// profile, MatchOpenings with its reasons, a placement the registry
// confirms over mTLS on the consultant's behalf, its hours, conversion and
// hire, MatchCandidates from the caseload, the pseudonymised event feed;
// and with the registry down, a placement is refused with UNAVAILABLE and
// nothing is written.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "tests/support/ipsctl_runner.h"
#include "tests/support/process.h"

namespace ips::testing {
namespace {

nlohmann::json Json(const CliResult& r) { return nlohmann::json::parse(r.out.substr(r.out.find('{'))); }

class MatchingProcessTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string registry_db;
    IPS_FRESH_DATABASE_OR_SKIP(registry_db, GetParam());
    IPS_FRESH_DATABASE_OR_SKIP(matching_db_, GetParam());
    dir_ = TempDir("ips-matching");
    registry_ = std::make_unique<Process>(
        ServiceArgs(BinaryDir() + "/services/registry/registry", registry_db, dir_ + "/registry.port"),
        dir_ + "/registry.log");
    registry_port_ = WaitForPortFile(dir_ + "/registry.port", absl::Seconds(20));
    ASSERT_GT(registry_port_, 0) << "see " << dir_ << "/registry.log";
    matching_ = std::make_unique<Process>(MatchingArgs(), dir_ + "/matching.log");
    matching_port_ = WaitForPortFile(dir_ + "/matching.port", absl::Seconds(20));
    ASSERT_GT(matching_port_, 0) << "see " << dir_ << "/matching.log";
  }
  void TearDown() override {
    if (matching_) matching_->Signal(SIGTERM);
    if (registry_) registry_->Signal(SIGTERM);
  }

  std::vector<std::string> MatchingArgs() {
    auto args =
        ServiceArgs(BinaryDir() + "/services/matching/matching", matching_db_, dir_ + "/matching.port");
    args.push_back("--registry_address=localhost:" + std::to_string(registry_port_));
    args.push_back("--registry_client_cert=" + Pki().ClientCert("matching"));
    args.push_back("--registry_client_key=" + Pki().ClientKey("matching"));
    return args;
  }

  CliResult Bif(int port, const std::string& args) { return RunIpsctl(port, args, "ips_consultant", "BIF"); }
  CliResult Lead(int port, const std::string& args) { return RunIpsctl(port, args, "team_lead", "BIF"); }

  std::string dir_, matching_db_;
  int registry_port_ = 0, matching_port_ = 0;
  std::unique_ptr<Process> registry_, matching_;
};

TEST_P(MatchingProcessTest, AConsultantMatchesPlacesAndFollowsACitizen) {
  ASSERT_EQ(Lead(registry_port_, "consultant create --display-name Kim --subject dev-user").code, 0);
  auto citizen =
      Bif(registry_port_,
          "citizen create --cpr 010180-1234 --given-name A --family-name B --district sydhavnen --json");
  ASSERT_EQ(citizen.code, 0) << citizen.out;
  const std::string c = Json(citizen)["name"];
  ASSERT_EQ(Bif(registry_port_, "enrollment create " + c +
                                    " --start-date today-12 --activity-ready --benefit cash_benefit "
                                    "--substance-use --unemployment-months 12")
                .code,
            0);

  auto employer =
      Bif(matching_port_,
          "employer create --cvr 35705643 --display-name 'Café Sydhavn' --industry 'food service' --json");
  ASSERT_EQ(employer.code, 0) << employer.out;
  const std::string e = Json(employer)["name"];
  EXPECT_EQ(Bif(matching_port_, "employer create --cvr 12345678 --display-name X").code, 1);  // modulus 11
  auto bar =
      Bif(matching_port_, "opening create " + e +
                              " --kind company_internship --title 'bartender' --max-hours 30 --demand light "
                              "--shift evening --serves-alcohol --slots 1 --lat 55.65 --lng 12.54 --json");
  ASSERT_EQ(bar.code, 0) << bar.out;
  auto kitchen =
      Bif(matching_port_, "opening create " + e +
                              " --kind company_internship --title 'kitchen assistant' --min-hours 10 "
                              "--max-hours 30 --demand light --shift day --slots 1 --lat 55.66 "
                              "--lng 12.54 --json");
  ASSERT_EQ(kitchen.code, 0) << kitchen.out;
  const std::string kitchen_name = Json(kitchen)["name"];
  auto profile = Bif(matching_port_, "job-profile update " + c +
                                         "/jobProfile --goal-titles kitchen,cook --preferred-hours 25 "
                                         "--accommodations no_alcohol_serving_workplace,day_shifts_only "
                                         "--home-lat 55.655 --home-lng 12.54 --max-travel-km 5 --json");
  ASSERT_EQ(profile.code, 0) << profile.out;

  // The bar is excluded by the accommodations; the kitchen comes with why.
  auto match = Bif(matching_port_, "match openings " + c + " --json");
  ASSERT_EQ(match.code, 0) << match.out;
  auto matches = Json(match);
  ASSERT_EQ(matches["matches"].size(), 1u) << match.out;
  EXPECT_EQ(matches["matches"][0]["opening"]["name"], kitchen_name);
  EXPECT_EQ(matches["excluded"], 1);
  EXPECT_EQ(matches["matches"][0]["criteria"].size(), 5u);
  EXPECT_NE(match.out.find("km"), std::string::npos) << match.out;

  // The consultant's citizen is a candidate for the kitchen opening.
  auto candidates = Bif(matching_port_, "match candidates " + kitchen_name + " --json");
  ASSERT_EQ(candidates.code, 0) << candidates.out;
  EXPECT_EQ(Json(candidates)["matches"][0]["citizen"], c);

  auto placed = Bif(matching_port_, "placement create " + c + " --opening " + kitchen_name +
                                        " --start-date today-2 --hours 25 --request-id p-1 --json");
  ASSERT_EQ(placed.code, 0) << placed.out;
  const std::string p = Json(placed)["name"];
  EXPECT_EQ(Json(placed)["days_from_enrollment"], 10);
  ASSERT_EQ(Bif(matching_port_, "placement change-hours " + p + " --from today --hours 37").code, 0);
  auto converted = Bif(matching_port_, "placement convert " + p +
                                           " --kind wage_subsidy_job --start-date today+1 --hours 37 --json");
  ASSERT_EQ(converted.code, 0) << converted.out;
  const std::string next = Json(converted)["name"];
  EXPECT_EQ(Json(converted)["converted_from"], p);
  ASSERT_EQ(Bif(matching_port_, "placement end " + next + " --end-date today+60 --reason hired").code, 0);
  auto hired = Bif(matching_port_, "employer get " + e + " --json");
  EXPECT_EQ(Json(hired)["hires_from_programme"], 1) << hired.out;
  auto history = Bif(matching_port_, "placement get " + p + " --json");
  EXPECT_EQ(Json(history)["hours"].size(), 2u) << history.out;

  // The feed: five placement events, the citizen only as a pseudonym.
  auto events = RunIpsctl(matching_port_, "events stream --service=matching --json", "event_reader", "JOINT",
                          "reporting");
  ASSERT_EQ(events.code, 0) << events.out;
  EXPECT_NE(events.out.find("PlacementHoursChanged"), std::string::npos) << events.out;
  EXPECT_EQ(events.out.find(c.substr(c.find('/') + 1)), std::string::npos) << events.out;

  // The registry down: nothing can be confirmed, so nothing is written.
  registry_->Signal(SIGTERM);
  ASSERT_TRUE(registry_->Wait(absl::Seconds(30)).has_value());
  registry_.reset();
  auto down = Bif(matching_port_, "placement create " + c + " --employer " + e +
                                      " --kind small_job --start-date today --hours 10");
  EXPECT_EQ(down.code, 1) << down.out;
  EXPECT_NE(down.out.find("UNAVAILABLE"), std::string::npos) << down.out;
  EXPECT_NE(down.out.find("registry did not answer"), std::string::npos) << down.out;
  auto listed = Bif(matching_port_, "placement list " + c + " --json");
  EXPECT_EQ(Json(listed)["placements"].size(), 2u) << listed.out;
  // A retried placement still answers with the one made.
  auto retried = Bif(matching_port_, "placement create " + c + " --opening " + kitchen_name +
                                         " --start-date today-2 --hours 25 --request-id p-1 --json");
  ASSERT_EQ(retried.code, 0) << retried.out;
  EXPECT_EQ(Json(retried)["name"], p);
}

TEST_P(MatchingProcessTest, MatchingRefusesToStartWithoutTheRegistry) {
  auto args = MatchingArgs();
  std::erase_if(args, [](const std::string& a) { return a.rfind("--registry_address", 0) == 0; });
  for (auto& a : args) {
    if (a.rfind("--port_file=", 0) == 0) a = "--port_file=" + dir_ + "/second.port";
  }
  Process second(args, dir_ + "/second.log");
  auto code = second.Wait(absl::Seconds(20));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2);
}

IPS_ON_BOTH_DATABASES(MatchingProcessTest);

}  // namespace
}  // namespace ips::testing
