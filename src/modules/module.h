#pragma once
// A module's wiring in one place (ARCHITECTURE.md, "Adding a module"): what it builds, the bus
// subscriptions and hooks it sets, the background jobs it runs, the notices it sends and its
// routes. The App lists the modules in order and owns nothing of a domain; a module finds what an
// earlier one provides in the Context, by type (as userver's components do).
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "base/event_bus.h"
#include "base/result.h"
#include "base/time.h"
#include "codes/regions.h"
#include "db/database.h"
#include "http/router.h"
#include "http/stream_hub.h"

namespace anjian::modules {

// Background work on the App's jobs thread, which ticks every 5 s while the server runs. A job's
// failure is its own to log; the next tick runs it again.
class Jobs {
 public:
  static constexpr Millis kTickMs = 5'000;
  using Job = std::function<void(Millis now)>;
  // Once, when the server has started (before the first tick).
  void at_start(Job job) { at_start_.push_back(std::move(job)); }
  // Every `period` (a whole number of ticks), in the order modules added them.
  void every(std::chrono::seconds period, Job job) {
    const auto ticks = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(period).count() / kTickMs);
    every_.push_back({ticks, std::move(job)});
  }
  void run_start(Millis now) const {
    for (const auto& j : at_start_) j(now);
  }
  // Tick n (1, 2, …): the jobs whose period divides it.
  void run_tick(std::int64_t n, Millis now) const {
    for (const auto& [ticks, job] : every_)
      if (n % ticks == 0) job(now);
  }

 private:
  std::vector<Job> at_start_;
  std::vector<std::pair<std::int64_t, Job>> every_;
};

// What modules share: the process's storage, regions, bus, stream and jobs, and the services
// earlier modules provided.
class Context {
 public:
  Context(db::Database& db, const codes::RegionTable& regions, EventBus& bus, http::StreamHub& hub, Jobs& jobs)
      : db(db), regions(regions), bus(bus), hub(hub), jobs(jobs) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  db::Database& db;
  const codes::RegionTable& regions;
  EventBus& bus;
  http::StreamHub& hub;
  Jobs& jobs;

  // Makes `service` available to the modules after this one. The context owns it.
  template <typename T>
  T& provide(std::unique_ptr<T> service) {
    T& ref = *service;
    services_[std::type_index(typeid(T))] = &ref;
    owned_.push_back(std::shared_ptr<void>(std::move(service)));
    return ref;
  }
  // A service an earlier module provided. Throws std::logic_error when none did: a wiring bug,
  // found at start-up.
  template <typename T>
  T& need() const {
    auto it = services_.find(std::type_index(typeid(T)));
    if (it == services_.end()) throw std::logic_error(std::string("module wiring: nothing provides ") + typeid(T).name());
    return *static_cast<T*>(it->second);
  }
  template <typename T>
  T* find() const {
    auto it = services_.find(std::type_index(typeid(T)));
    return it == services_.end() ? nullptr : static_cast<T*>(it->second);
  }
  // Services are destroyed in the reverse order of their provision (later ones use earlier ones).
  ~Context() {
    while (!owned_.empty()) owned_.pop_back();
  }

 private:
  std::unordered_map<std::type_index, void*> services_;
  std::vector<std::shared_ptr<void>> owned_;
};

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;
  // Builds the module's services (provided to later modules), sets its bus subscriptions and
  // hooks, adds its jobs. Errors end the start-up.
  virtual Status open(Context& ctx) = 0;
  // Registers its routes; every module is open by then.
  virtual void routes(http::Router& router, Context& ctx) = 0;
  // When the server listens, and when it stops (doors that take data from outside).
  virtual Status start(Context&) { return {}; }
  virtual void stop() {}
};

}  // namespace anjian::modules
