#pragma once
// Request metrics in Prometheus text format: counts by route and status, a latency histogram by
// route, open connections, and what the caller adds (database pool use).
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

namespace anjian::http {

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05, 0.1, 0.25, 0.5, 1, 5};
  void observe(const std::string& method, const std::string& route, unsigned status, double seconds);
  void set_open_connections(long n) { open_connections_ = n; }
  long open_connections() const { return open_connections_.load(); }
  // The exposition text; `extra` is appended (gauges owned by others).
  std::string render(const std::string& extra) const;

 private:
  struct Histogram {
    std::array<unsigned long, kBuckets.size()> buckets{};
    unsigned long count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, unsigned>, unsigned long> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::atomic<long> open_connections_{0};
};

}  // namespace anjian::http
