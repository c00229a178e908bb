// Ranking for one citizen over 100,000 open openings of 10,000 employers,
// on one core (the process is pinned to CPU 0): p50, p99 and max over 300
// citizens with random profiles (tests/support/random_matching.h).
//
//   build/bench/matching_rank [--openings=100000] [--employers=10000] [--citizens=300]
#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/matching/domain/ranking.h"
#include "tests/support/random_matching.h"

int main(int argc, char** argv) {
  int openings_n = 100000, employers_n = 10000, citizens = 300;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--openings=", 0) == 0) openings_n = std::atoi(a.c_str() + 11);
    if (a.rfind("--employers=", 0) == 0) employers_n = std::atoi(a.c_str() + 12);
    if (a.rfind("--citizens=", 0) == 0) citizens = std::atoi(a.c_str() + 11);
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;

  ips::testing::RandomMatching gen(20261123);
  std::vector<ips::matching::Opening> openings;
  openings.reserve(openings_n);
  for (int i = 0; i < openings_n; ++i) openings.push_back(gen.Opening(i, employers_n));
  const ips::matching::ScoringConfig config;

  std::vector<double> ms;
  size_t returned = 0, admissible_total = 0;
  for (int c = 0; c < citizens; ++c) {
    const auto profile = gen.Profile(c, employers_n);
    const absl::Time start = absl::Now();
    size_t admissible = 0;
    const auto ranked = ips::matching::RankOpenings(profile, openings, config, 50, &admissible);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    returned += ranked.size();
    admissible_total += admissible;
  }
  std::sort(ms.begin(), ms.end());
  std::cout << absl::StrFormat(
      "RankOpenings, top 50 of %d openings (%d employers), %d citizens, %s:\n"
      "  p50 %.2f ms   p99 %.2f ms   max %.2f ms   (admissible per citizen: %.0f on average; returned "
      "%.1f)\n",
      openings_n, employers_n, citizens, pinned ? "pinned to CPU 0" : "NOT pinned", ms[ms.size() / 2],
      ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], ms.back(),
      static_cast<double>(admissible_total) / citizens, static_cast<double>(returned) / citizens);
  return 0;
}
