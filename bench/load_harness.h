#pragma once

// What the load runs share: a closed-loop load generator with latency
// percentiles, the empty-handler gRPC baseline measured in the same run,
// and the Markdown table rows RESULTS.md quotes.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace ips::bench {

struct Result {
  double qps = 0, p50_us = 0, p99_us = 0;
  long calls = 0, errors = 0;
};

// QPS and latency percentiles from per-thread latencies (microseconds).
Result Summarize(const std::vector<std::vector<double>>& lat, long errors, absl::Duration elapsed);

// Runs `call(thread, i)` from `concurrency` threads for `seconds`.
template <typename Call>
Result Load(int concurrency, double seconds, Call call) {
  std::vector<std::vector<double>> lat(concurrency);
  std::atomic<long> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (long i = 0; !stop; ++i) {
        absl::Time a = absl::Now();
        bool ok = call(t, i);
        lat[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - a));
        if (!ok) ++errors;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(seconds * 1000)));
  stop = true;
  for (auto& th : threads) th.join();
  return Summarize(lat, errors, absl::Now() - start);
}

// Runs `call(thread, i)` for i = 0..count-1 spread over `concurrency` threads.
template <typename Call>
Result Batch(int concurrency, long count, Call call) {
  std::atomic<long> next{0};
  std::vector<std::vector<double>> lat(concurrency);
  std::atomic<long> errors{0};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      for (long i = next++; i < count; i = next++) {
        absl::Time a = absl::Now();
        if (!call(t, i)) ++errors;
        lat[t].push_back(absl::ToDoubleMicroseconds(absl::Now() - a));
      }
    });
  }
  for (auto& th : threads) th.join();
  return Summarize(lat, errors, absl::Now() - start);
}

// Prints the table header, and one row.
void Header();
void Row(const std::string& what, const std::string& db, int concurrency, const Result& r);
// A row with `r` as a share of `baseline`.
void ShareRow(const Result& r, const Result& baseline);

// Channels spread the client threads over several HTTP/2 connections.
std::vector<std::shared_ptr<grpc::Channel>> Channels(int port, int n);

// An empty-handler gRPC service on the same TLS setup as the suite's,
// measured at concurrency 1 and 32: the ceiling a real handler is judged
// against. Its server keeps `idle_server_threads` as the suite's do
// (SetServerThreads, server_runner.h).
struct Baseline {
  Result c1, c32;
  const Result& at(int concurrency) const { return concurrency == 1 ? c1 : c32; }
};
Baseline MeasureEmptyHandler(double seconds, int idle_server_threads);

// Flags shared by the load runs: --seconds=N, --idle_server_threads=N
// (default: the services' default).
double SecondsFlag(int argc, char** argv, double fallback);
int IdleServerThreadsFlag(int argc, char** argv);

// Prints the bench process's peak memory.
void PrintMaxRss();

}  // namespace ips::bench
