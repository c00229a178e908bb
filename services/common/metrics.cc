#include "services/common/metrics.h"

#include "services/common/json_log.h"

namespace ips {

Metrics::Metrics(const std::string& bind_address) : registry_(std::make_shared<prometheus::Registry>()) {
  handled_ = &prometheus::BuildCounter()
                  .Name("ips_rpc_server_handled_total")
                  .Help("RPCs completed, by method and status code")
                  .Register(*registry_);
  latency_ = &prometheus::BuildHistogram()
                  .Name("ips_rpc_server_handling_seconds")
                  .Help("RPC handling time in seconds, by method")
                  .Register(*registry_);
  events_ = &prometheus::BuildCounter()
                 .Name("ips_events_published_total")
                 .Help("Domain events appended to the outbox")
                 .Register(*registry_)
                 .Add({});
  if (!bind_address.empty()) {
    exposer_ = std::make_unique<prometheus::Exposer>(bind_address);
    exposer_->RegisterCollectable(registry_);
    // Bound to port 0, the address is known only now.
    LogInfo("metrics_listening", {{"port", port()}});
  }
}

void Metrics::ObserveRpc(const std::string& method, const std::string& code, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  handled_->Add({{"method", method}, {"code", code}}).Increment();
  latency_->Add({{"method", method}}, kBuckets).Observe(seconds);
}

int Metrics::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace ips
