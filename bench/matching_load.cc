// Load run for the matching service over loopback with mTLS and real
// tokens: MatchOpenings for one citizen at concurrency 1 and 32 with N open
// openings in the database (each call reads them all, checks the hard
// constraints and ranks), on SQLite and on PostgreSQL when IPS_TEST_PG_URL
// is set, next to the empty-handler baseline measured in the same run.
//
//   build/bench/matching_load [--seconds=5] [--openings=2000]
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "bench/load_harness.h"
#include "services/common/server_runner.h"
#include "tests/support/matching_server.h"
#include "tests/support/random_matching.h"
#include "tests/support/registry_server.h"

namespace {

using namespace ips::testing;
using namespace ips::bench;
namespace mv1 = ips::matching::v1;

void RunMatching(Backend backend, double seconds, int openings_n, const Baseline& base) {
  const std::string url = FreshDatabase(backend);
  if (url.empty()) return;
  const std::string db = BackendName(backend);
  MatchingServer server(url);
  auto channels = Channels(server.port(), 4);
  auto stub = mv1::EmployerMatching::NewStub(channels[0]);
  const std::string token = ConsultantToken();
  RandomMatching gen(20261123);

  // 200 employers with valid CVR numbers: 8 digits whose weighted sum is a
  // multiple of 11 (the check digit is the last, weight 1).
  std::vector<std::string> employers;
  for (int i = 0; employers.size() < 200; ++i) {
    std::string cvr = std::to_string(10000000 + i * 137).substr(0, 7);
    static constexpr int kWeights[7] = {2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int d = 0; d < 7; ++d) sum += (cvr[d] - '0') * kWeights[d];
    const int check = (11 - sum % 11) % 11;
    if (check == 10) continue;
    mv1::CreateEmployerRequest req;
    req.mutable_employer()->set_cvr(cvr + std::to_string(check));
    req.mutable_employer()->set_display_name("Bench employer");
    mv1::Employer out;
    if (stub->CreateEmployer(Ctx(token).get(), req, &out).ok()) employers.push_back(out.name());
  }
  // The openings are drawn first (the generator is not thread-safe), then
  // created through the API from 8 threads.
  std::vector<mv1::CreateOpeningRequest> requests;
  for (int i = 0; i < openings_n; ++i) {
    const auto d = gen.Opening(i, 1);
    mv1::CreateOpeningRequest req;
    req.set_parent(employers[static_cast<size_t>(gen.Pick(static_cast<int>(employers.size())))]);
    auto* o = req.mutable_opening();
    o->set_kind(static_cast<mv1::OpeningKind>(static_cast<int>(d.kind) + 1));
    o->set_title(d.title);
    o->set_industry(d.industry);
    o->set_min_hours(d.min_hours);
    o->set_max_hours(d.max_hours);
    o->set_physical_demand(static_cast<mv1::PhysicalDemand>(static_cast<int>(d.demand) + 1));
    o->set_shift_pattern(static_cast<mv1::ShiftPattern>(static_cast<int>(d.shift) + 1));
    o->mutable_location()->set_latitude(d.location.lat);
    o->mutable_location()->set_longitude(d.location.lon);
    o->set_serves_alcohol(d.serves_alcohol);
    o->set_customer_facing(d.customer_facing);
    o->set_slots(1);
    requests.push_back(std::move(req));
  }
  const absl::Time seeding = absl::Now();
  std::atomic<size_t> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 8; ++w) {
    workers.emplace_back([&, w] {
      auto own = mv1::EmployerMatching::NewStub(channels[static_cast<size_t>(w) % channels.size()]);
      for (size_t i = next++; i < requests.size(); i = next++) {
        mv1::Opening out;
        if (!own->CreateOpening(Ctx(token).get(), requests[i], &out).ok()) ++failed;
      }
    });
  }
  for (auto& w : workers) w.join();
  std::cout << db << ": " << requests.size() - static_cast<size_t>(failed.load()) << " openings created in "
            << absl::ToDoubleSeconds(absl::Now() - seeding) << " s\n";
  mv1::UpdateJobProfileRequest profile;
  auto* p = profile.mutable_job_profile();
  p->set_name("citizens/bench-1/jobProfile");
  p->add_goal_titles("kitchen");
  p->add_goal_industries("food service");
  p->set_preferred_hours(20);
  p->add_accommodations(mv1::ACCOMMODATION_NO_ALCOHOL_SERVING_WORKPLACE);
  p->mutable_home()->set_latitude(55.65);
  p->mutable_home()->set_longitude(12.54);
  p->set_max_travel_km(10);
  for (const char* f :
       {"goal_titles", "goal_industries", "preferred_hours", "accommodations", "home", "max_travel_km"}) {
    profile.mutable_update_mask()->add_paths(f);
  }
  mv1::JobProfile stored;
  stub->UpdateJobProfile(Ctx(token).get(), profile, &stored);

  // The first match loads the open openings into the service's index; time
  // it apart from the runs.
  {
    const absl::Time start = absl::Now();
    mv1::MatchOpeningsRequest req;
    req.set_citizen("citizens/bench-1");
    mv1::MatchOpeningsResponse out;
    auto s = stub->MatchOpenings(Ctx(token).get(), req, &out);
    std::cout << db << ": first MatchOpenings (loads the index) "
              << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms, "
              << (s.ok() ? "ok" : s.error_message()) << ", " << out.excluded() << " excluded\n";
  }
  std::vector<std::unique_ptr<mv1::EmployerMatching::Stub>> stubs;
  for (int t = 0; t < 32; ++t) stubs.push_back(mv1::EmployerMatching::NewStub(channels[t % channels.size()]));
  for (int c : {1, 32}) {
    auto r = Load(c, seconds, [&](int t, long) {
      mv1::MatchOpeningsRequest req;
      req.set_citizen("citizens/bench-1");
      mv1::MatchOpeningsResponse out;
      return stubs[t]->MatchOpenings(Ctx(token).get(), req, &out).ok() && out.matches_size() == 20;
    });
    Row("MatchOpenings", db, c, r);
    ShareRow(r, base.at(c));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = SecondsFlag(argc, argv, 5);
  int openings = 2000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--openings=", 0) == 0) openings = std::atoi(a.c_str() + 11);
  }
  ips::DisableMutexDeadlockDetection();  // as every service does
  std::cout << "MatchOpenings with " << openings << " open openings in the database\n\n";
  Header();
  const Baseline base = MeasureEmptyHandler(seconds, ips::RuntimeOptions().idle_server_threads);
  RunMatching(Backend::kSqlite, seconds, openings, base);
  RunMatching(Backend::kPostgres, seconds, openings, base);
  PrintMaxRss();
  return 0;
}
