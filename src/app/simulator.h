#pragma once
// `anjian simulate`: a province's sensor gateways in one process. It logs in as a regulator,
// finds the monitoring points (defining missing ones when asked), takes an API key per enterprise
// and sends realistic readings through the HTTP door (or publishes them over MQTT): tank levels
// that fill and drain, gas concentrations with noise and occasional excursions past their alarm
// threshold, some points going silent for a while. `make run` runs it inside the demo at a modest
// rate; the benchmarks use it as their load generator.
#include <atomic>
#include <functional>
#include <set>
#include <string>

#include "base/result.h"

namespace anjian::app {

struct SimulateOptions {
  std::string target = "http://127.0.0.1:8080";
  // A regulator who sees the enterprises: not the 系统管理员, who reads no business data (三权分立).
  std::string username, password;
  size_t enterprises = 0;            // 0: every enterprise that has points (at most this many otherwise)
  size_t points_per_enterprise = 0;  // 0: the points as defined; N: define tank levels up to N each
  double rate = 100;                 // readings per second over all points
  double duration_s = 0;             // 0: until stopped
  unsigned connections = 4;          // keep-alive HTTP connections
  std::string mqtt;                  // tcp://HOST:PORT: publish to anjian/{uscc}/readings instead
  std::string mqtt_password;         // the gateways' broker password (their user name is the USCC)
  double silent_share = 0.02;        // share of points that go silent for a few minutes now and then
  std::set<std::string> silent_enterprises;  // never sent for (the demo's mine whose network is down)
  unsigned seed = 20261129;
};

struct SimulateStats {
  unsigned long sent = 0, accepted = 0, rejected = 0, duplicates = 0, alarms_raised = 0, requests = 0, failures = 0;
  size_t points = 0, enterprises = 0;
  double seconds = 0;
};

// Runs until `stop` or the duration. `progress` is called about every 5 s. Errors: unavailable
// (target unreachable), unauthenticated (login refused), invalid_config.
Result<SimulateStats> simulate(const SimulateOptions& options, const std::atomic<bool>& stop,
                               const std::function<void(const SimulateStats&)>& progress = {});

}  // namespace anjian::app
