#include "http/metrics.h"

#include <fmt/format.h>

namespace anjian::http {

void Metrics::observe(const std::string& method, const std::string& route, unsigned status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render(const std::string& extra) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP anjian_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE anjian_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out += fmt::format("anjian_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       std::get<0>(key), std::get<1>(key), std::get<2>(key), n);
  out += "# HELP anjian_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE anjian_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("anjian_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"{}\"}} {}\n",
                         key.first, key.second, kBuckets[i], h.buckets[i]);
    out += fmt::format("anjian_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"+Inf\"}} {}\n",
                       key.first, key.second, h.count);
    out += fmt::format("anjian_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\"}} {}\n", key.first,
                       key.second, h.sum);
    out += fmt::format("anjian_http_request_duration_seconds_count{{method=\"{}\",route=\"{}\"}} {}\n", key.first,
                       key.second, h.count);
  }
  out += "# HELP anjian_http_open_connections Open client connections.\n# TYPE anjian_http_open_connections gauge\n";
  out += fmt::format("anjian_http_open_connections {}\n", open_connections_.load());
  return out + extra;
}

}  // namespace anjian::http
