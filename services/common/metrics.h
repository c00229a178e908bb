#pragma once

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

namespace ips {

// Metrics holds the service's Prometheus registry and serves it on
// `/metrics` when given a bind address ("0.0.0.0:9464"; empty: not served).
//   ips_rpc_server_handled_total{method,code}   calls completed
//   ips_rpc_server_handling_seconds{method}     latency histogram
//   ips_events_published_total                  events appended to the outbox
class Metrics {
 public:
  explicit Metrics(const std::string& bind_address);

  void ObserveRpc(const std::string& method, const std::string& code, double seconds);
  void CountEvents(int n) { events_->Increment(n); }

  prometheus::Registry& registry() { return *registry_; }
  // The port /metrics listens on (0 when not served).
  int port() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* handled_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Counter* events_;
};

}  // namespace ips
