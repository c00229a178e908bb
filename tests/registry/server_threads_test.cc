// The synchronous server keeps its threads under steady concurrent load.
// With gRPC's default of two waiting threads, every call that took the last
// waiting one started a new thread and every call that ended while two
// waited ended its own, so threads were created and destroyed at the rate
// of calls (bench/RESULTS.md, issue 20 part 5). The test counts the threads
// that appear while 16 callers, all started beforehand, repeat GetCitizen.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <set>
#include <thread>

#include "tests/support/registry_fixture.h"

namespace ips::testing {
namespace {

class ServerThreadsTest : public RegistryFixture {};

// The ids of this process's threads, from /proc.
std::set<std::string> ThreadIds() {
  std::set<std::string> ids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec))
    ids.insert(entry.path().filename().string());
  return ids;
}

TEST_P(ServerThreadsTest, ConcurrentCallsStartNoNewThreadsOnceWarm) {
  const auto citizen = MakeCitizen(CprFor(1980, 3, 4, 5));
  constexpr int kCallers = 16, kCalls = 150;
  auto burst = [&](const std::function<void()>& while_running) {
    std::latch ready(kCallers + 1);
    std::atomic<int> failures{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < kCallers; ++t) {
      callers.emplace_back([&] {
        ready.arrive_and_wait();
        rv1::GetCitizenRequest req;
        req.set_name(citizen.name());
        for (int i = 0; i < kCalls; ++i) {
          rv1::Citizen out;
          if (!stub_->GetCitizen(Ctx(ConsultantToken()).get(), req, &out).ok()) ++failures;
        }
      });
    }
    while_running();
    ready.arrive_and_wait();
    for (auto& c : callers) c.join();
    EXPECT_EQ(failures.load(), 0);
  };
  burst([] {});  // the server grows to the threads this load needs

  // The callers of the second burst exist before the first snapshot; a
  // sampler then collects every thread id seen until they are done.
  std::set<std::string> before, seen;
  std::atomic<bool> done{false};
  std::thread sampler;
  burst([&] {
    std::latch snapped(2);
    sampler = std::thread([&] {
      before = ThreadIds();  // the sampler's own id among them
      snapped.count_down();
      while (!done.load()) {
        for (auto& id : ThreadIds()) seen.insert(id);
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    snapped.arrive_and_wait();
  });
  done = true;
  sampler.join();
  int started = 0;
  for (const auto& id : seen) started += before.count(id) == 0 ? 1 : 0;
  EXPECT_LE(started, 4) << kCallers * kCalls << " calls started " << started << " threads";
}

IPS_ON_BOTH_DATABASES(ServerThreadsTest);

}  // namespace
}  // namespace ips::testing
